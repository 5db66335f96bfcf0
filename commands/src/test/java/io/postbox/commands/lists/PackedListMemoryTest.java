package io.postbox.commands.lists;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.lists.PackedList.End;
import java.lang.ref.Reference;
import org.junit.jupiter.api.Test;

/**
 * Heap bytes per element of a list of 1,000,000 elements, measured after GC, against what Redis
 * 7.0.15's used_memory grows by for the same pushes (measured with redis-server: 18.18 bytes per
 * 16-byte element, 104.31 per 100-byte element). The target is at most 1.25 times Redis's.
 */
class PackedListMemoryTest {

    private static final int ELEMENTS = 1_000_000;

    @Test
    void sixteenByteElementsCostAtMostAQuarterMoreThanInRedis() throws InterruptedException {
        assertPerElementWithin(16, End.HEAD, 18.18);
    }

    @Test
    void hundredByteElementsCostAtMostAQuarterMoreThanInRedis() throws InterruptedException {
        assertPerElementWithin(100, End.TAIL, 104.31);
    }

    private static void assertPerElementWithin(int length, End end, double redisBytes) throws InterruptedException {
        long before = heapAfterGc();
        PackedList list = new PackedList();
        byte[] value = new byte[length];
        for (int i = 0; i < ELEMENTS; i++) {
            for (int j = 0, n = i; j < 8; j++, n >>>= 4) {
                value[j] = (byte) ('a' + (n & 15));
            }
            list.push(end, value);
        }
        long after = heapAfterGc();
        double perElement = (after - before) / (double) ELEMENTS;
        double estimated = list.memoryUsage(Long.MAX_VALUE) / (double) ELEMENTS;
        Reference.reachabilityFence(list);
        System.out.printf("%d-byte elements pushed at the %s: %.2f heap bytes per element after GC (memoryUsage estimate %.2f;"
                + " Redis 7.0 %.2f; ratio %.3f)%n", length, end, perElement, estimated, redisBytes, perElement / redisBytes);
        assertTrue(perElement <= 1.25 * redisBytes,
                length + "-byte elements take " + perElement + " bytes each; Redis takes " + redisBytes);
    }

    private static long heapAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }
}
