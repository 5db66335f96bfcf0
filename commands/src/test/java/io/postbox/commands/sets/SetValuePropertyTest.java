package io.postbox.commands.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.keyspace.ScanOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The set type against java.util sets under random traffic: integers of every width go into an
 * intset (kept in numeric order), until a string member or set-max-intset-entries turns it into a
 * table for good; contents, order and the encoding Redis would report are checked at every step.
 */
class SetValuePropertyTest {

    private static final long[] INTSET_LIMITS = {0, 1, 8, 64, 512};

    @Test
    void behavesLikeAJavaSetAcrossConversions() {
        for (long seed = 1; seed <= 60; seed++) {
            Random random = new Random(seed);
            long maxIntset = INTSET_LIMITS[random.nextInt(INTSET_LIMITS.length)];
            int stringEvery = random.nextInt(3) == 0 ? 0 : 50 + random.nextInt(2000);
            byte[] first = member(random, stringEvery);
            SetValue set = SetValue.startingWith(first);
            Set<ByteBuffer> model = new HashSet<>();
            boolean converted = !isInteger(first);
            for (int op = 0; op < 3000; op++) {
                byte[] member = op == 0 ? first : member(random, stringEvery);
                ByteBuffer key = ByteBuffer.wrap(member);
                String where = "seed " + seed + " op " + op + " member "
                        + new String(member, StandardCharsets.ISO_8859_1);
                int choice = random.nextInt(10);
                if (choice < 6) {
                    converted |= !isInteger(member);
                    assertEquals(model.add(key), set.add(member, maxIntset), where);
                    converted |= model.size() > maxIntset;
                } else if (choice < 9) {
                    assertEquals(model.remove(key), set.remove(member), where);
                } else {
                    assertEquals(model.contains(key), set.contains(member), where);
                }
                assertEquals(model.size(), set.size(), where);
                assertEquals(converted ? "hashtable" : "intset", set.encoding(), where);
                if (op % 150 == 0) {
                    assertSameMembers(model, set, !converted, where);
                }
            }
            assertSameMembers(model, set, !converted, "seed " + seed);
        }
    }

    @Test
    void popAndRandomDrawOnlyMembers() {
        for (boolean integers : new boolean[] {true, false}) {
            SetValue set = SetValue.empty();
            Set<ByteBuffer> model = new HashSet<>();
            for (int i = 0; i < 300; i++) {
                byte[] member = (integers ? Integer.toString(i * 1000 - 7) : "m" + i).getBytes();
                set.add(member, 512);
                model.add(ByteBuffer.wrap(member));
            }
            for (int i = 0; i < 50; i++) {
                assertTrue(model.contains(ByteBuffer.wrap(set.random())));
            }
            for (int count : new int[] {1, 20, 150, 299}) {
                Set<ByteBuffer> drawn = new HashSet<>();
                set.distinctRandomMembers(count, member -> {
                    assertTrue(model.contains(ByteBuffer.wrap(member)));
                    assertTrue(drawn.add(ByteBuffer.wrap(member)), "a member drawn twice");
                });
                assertEquals(count, drawn.size());
            }
            while (!set.isEmpty()) {
                assertTrue(model.remove(ByteBuffer.wrap(set.popRandom())));
                assertEquals(model.size(), set.size());
            }
            assertTrue(model.isEmpty());
        }
    }

    @Test
    void aCopyIsIndependent() {
        SetValue ints = SetValue.empty();
        ints.add("1".getBytes(), 512);
        SetValue copy = ints.copy();
        copy.add("2".getBytes(), 512);
        copy.add("x".getBytes(), 512);
        assertEquals(1, ints.size());
        assertEquals("intset", ints.encoding());
        SetValue table = copy.copy();
        table.remove("x".getBytes());
        assertTrue(copy.contains("x".getBytes()));
    }

    private static void assertSameMembers(Set<ByteBuffer> model, SetValue set, boolean intset, String where) {
        List<ByteBuffer> members = new ArrayList<>();
        set.forEach(member -> members.add(ByteBuffer.wrap(member)));
        assertEquals(model.size(), members.size(), where + ": each member once");
        assertEquals(model, new HashSet<>(members), where);
        if (intset) {
            TreeSet<Long> numeric = new TreeSet<>();
            model.forEach(member -> numeric.add(Long.parseLong(StandardCharsets.US_ASCII.decode(member.duplicate())
                    .toString())));
            List<ByteBuffer> ascending = new ArrayList<>();
            numeric.forEach(n -> ascending.add(ByteBuffer.wrap(Long.toString(n).getBytes())));
            assertEquals(ascending, members, where + ": intset order");
        }
        Set<ByteBuffer> scanned = new HashSet<>();
        long cursor = 0;
        do {
            List<byte[]> found = new ArrayList<>();
            cursor = set.scan(cursor, new ScanOptions(null, 4, null), found);
            found.forEach(member -> scanned.add(ByteBuffer.wrap(member)));
        } while (cursor != 0);
        assertEquals(model, scanned, where + ": scan");
    }

    /** Integers of every intset width, their neighbours that are not canonical integers, and strings. */
    private static byte[] member(Random random, int stringEvery) {
        if (stringEvery > 0 && random.nextInt(stringEvery) == 0) {
            String[] strings = {"a", "", "-", "007", "+1", " 1", "1.5", "-0", "9223372036854775808", "x\u0000"};
            return strings[random.nextInt(strings.length)].getBytes(StandardCharsets.ISO_8859_1);
        }
        long value = switch (random.nextInt(6)) {
            case 0 -> random.nextInt(200) - 100;
            case 1 -> Short.MAX_VALUE - random.nextInt(3) + (random.nextBoolean() ? 0 : 2);
            case 2 -> Short.MIN_VALUE + random.nextInt(3) - 1;
            case 3 -> Integer.MAX_VALUE - random.nextInt(3) + random.nextInt(3);
            case 4 -> random.nextBoolean() ? Long.MAX_VALUE - random.nextInt(3) : Long.MIN_VALUE + random.nextInt(3);
            default -> random.nextInt(5000);
        };
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean isInteger(byte[] member) {
        return io.postbox.commands.Numbers.isLong(member);
    }
}
