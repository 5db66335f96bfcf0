package io.postbox.commands.zsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Heap per member of a large sorted set: one million 16-byte members with random scores, the
 * delayed-queue shape. Redis 7.0.15 uses about 126 bytes of used_memory per member for the same set
 * (measured with redis-server and ZADD from redis-py); the target is at most 1.25 times that. The
 * numbers are printed; the bound is asserted because memory, unlike speed, is deterministic enough.
 */
class SortedSetMemoryTest {

    private static final int MEMBERS = 1_000_000;
    private static final double REDIS_BYTES_PER_MEMBER = 126;

    @Test
    void aMillionSixteenByteMembersTakeAtMostAQuarterMoreHeapThanRedis() {
        long before = usedHeapAfterGc();
        SortedSet set = new SortedSet();
        PackedLimits limits = new PackedLimits(128, 64);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < MEMBERS; i++) {
            byte[] member = String.format("member:%09d", i).getBytes();
            set.insert(member, random.nextDouble() * 1.7e12, limits);
        }
        long after = usedHeapAfterGc();
        assertEquals(MEMBERS, set.cardinality());
        assertEquals("skiplist", set.encoding());
        double perMember = (double) (after - before) / MEMBERS;
        System.out.printf("sorted set heap: %.1f bytes per member (Redis: %.0f, ratio %.2f); MEMORY USAGE estimate"
                + " %.1f%n", perMember, REDIS_BYTES_PER_MEMBER, perMember / REDIS_BYTES_PER_MEMBER,
                (double) set.memoryUsage(Long.MAX_VALUE) / MEMBERS);
        assertTrue(perMember <= 1.25 * REDIS_BYTES_PER_MEMBER, perMember + " bytes per member");
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
