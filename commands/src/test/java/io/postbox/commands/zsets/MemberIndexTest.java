package io.postbox.commands.zsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.keyspace.Dict;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The member index over records: lookups and removals through growth, shrink and open resizes, and scans. */
class MemberIndexTest {

    private final SkipListRecords records = new SkipListRecords();
    private final SkipList list = new SkipList(records);
    private final MemberIndex index = new MemberIndex(records);

    @Test
    void behavesLikeHashMapUnderRandomOperations() {
        Random random = new Random(5);
        Map<ByteBuffer, Integer> model = new HashMap<>();
        int domain = 5000;
        for (int op = 0; op < 200_000; op++) {
            // Phases of mostly-insert then mostly-remove traffic drive the table through growth and shrink.
            boolean inserting = (op / 20_000) % 2 == 0;
            byte[] member = member(random.nextInt(domain));
            ByteBuffer key = ByteBuffer.wrap(member);
            int hash = Dict.hash(member);
            int choice = random.nextInt(10);
            if (choice < (inserting ? 6 : 2)) {
                if (!model.containsKey(key)) {
                    int record = list.newNode(member, hash, op);
                    index.add(record);
                    model.put(key, record);
                }
            } else if (choice < 9) {
                Integer expected = model.remove(key);
                int removed = random.nextBoolean() || expected == null ? index.remove(member, hash) : removeRecord(expected);
                assertEquals(expected == null ? SkipList.NONE : expected, removed, "removed, op " + op);
                if (expected != null) {
                    records.free(removed);
                }
            } else {
                assertEquals(model.getOrDefault(key, SkipList.NONE), index.find(member, hash), "found, op " + op);
            }
            assertEquals(model.size(), index.size());
        }
        Set<ByteBuffer> all = new HashSet<>();
        index.forEach(record -> assertTrue(all.add(ByteBuffer.wrap(records.member(record))), "visited once"));
        assertEquals(model.keySet(), all);
        Set<ByteBuffer> scanned = new HashSet<>();
        long cursor = 0;
        do {
            cursor = index.scan(cursor, record -> scanned.add(ByteBuffer.wrap(records.member(record))));
        } while (cursor != 0);
        assertEquals(model.keySet(), scanned);
    }

    @Test
    void scanReturnsMembersPresentThroughoutAcrossGrowthAndShrink() {
        Random random = new Random(3);
        Set<ByteBuffer> stable = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            add(i);
            stable.add(ByteBuffer.wrap(member(i)));
        }
        int churn = 1_000_000;
        ArrayDeque<Integer> churning = new ArrayDeque<>();
        Set<ByteBuffer> seen = new HashSet<>();
        long cursor = 0;
        int steps = 0;
        int grew = 0;
        int shrank = 0;
        int lastBuckets = index.buckets();
        do {
            cursor = index.scan(cursor, record -> seen.add(ByteBuffer.wrap(records.member(record))));
            steps++;
            // Alternate bursts that grow the table and bursts that shrink it back.
            boolean grow = (steps / 5) % 2 == 0;
            for (int b = random.nextInt(400); b > 0; b--) {
                if (grow) {
                    churning.addLast(churn);
                    add(churn++);
                } else if (!churning.isEmpty()) {
                    byte[] member = member(churning.removeFirst());
                    records.free(index.remove(member, Dict.hash(member)));
                }
            }
            grew += index.buckets() > lastBuckets ? 1 : 0;
            shrank += index.buckets() < lastBuckets ? 1 : 0;
            lastBuckets = index.buckets();
        } while (cursor != 0 && steps < 1_000_000);
        assertEquals(0, cursor, "scan terminates");
        assertTrue(grew > 0 && shrank > 0, "the scan ran across growth and shrink");
        for (ByteBuffer member : stable) {
            assertTrue(seen.contains(member), "missed " + StandardCharsets.US_ASCII.decode(member.duplicate()));
        }
    }

    private int removeRecord(int record) {
        index.remove(record);
        return record;
    }

    private void add(int i) {
        byte[] member = member(i);
        index.add(list.newNode(member, Dict.hash(member), i));
    }

    private static byte[] member(int i) {
        return ("member:" + i).getBytes(StandardCharsets.US_ASCII);
    }
}
