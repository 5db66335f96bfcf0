package io.postbox.commands.hashes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.keyspace.ScanOptions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The hash type against a LinkedHashMap under random traffic, through the packed encoding, the
 * conversion to a table and on in the table: same contents, same order while packed (insertion order,
 * replaced values keep their place), and the encoding Redis would report at every step.
 */
class HashValuePropertyTest {

    private static final long[] ENTRY_LIMITS = {0, 1, 4, 16, 128, 512};
    private static final long[] VALUE_LIMITS = {0, 3, 8, 64, 200};

    @Test
    void behavesLikeALinkedHashMapAcrossConversions() {
        for (long seed = 1; seed <= 60; seed++) {
            Random random = new Random(seed);
            HashLimits limits = new HashLimits(ENTRY_LIMITS[random.nextInt(ENTRY_LIMITS.length)],
                    VALUE_LIMITS[random.nextInt(VALUE_LIMITS.length)]);
            HashValue hash = new HashValue();
            Map<ByteBuffer, byte[]> model = new LinkedHashMap<>();
            boolean converted = false;
            int domain = 1 + random.nextInt(300);
            for (int op = 0; op < 3000; op++) {
                byte[] field = bytes(random, domain, 12);
                ByteBuffer key = ByteBuffer.wrap(field);
                String where = "seed " + seed + " op " + op;
                int choice = random.nextInt(10);
                if (choice < 5) {
                    byte[] value = bytes(random, 1_000_000, random.nextInt(10) == 0 ? 150 : 10);
                    converted |= field.length > limits.maxValue() || value.length > limits.maxValue();
                    boolean added = hash.put(field, value, limits);
                    assertEquals(!model.containsKey(key), added, where);
                    model.put(key, value);
                    converted |= model.size() > limits.maxEntries();
                } else if (choice < 8) {
                    assertEquals(model.remove(key) != null, hash.remove(field), where);
                } else {
                    byte[] expected = model.get(key);
                    if (expected == null) {
                        assertNull(hash.get(field), where);
                        assertFalse(hash.contains(field), where);
                        assertEquals(0, hash.valueLength(field), where);
                    } else {
                        assertArrayEquals(expected, hash.get(field), where);
                        assertTrue(hash.contains(field), where);
                        assertEquals(expected.length, hash.valueLength(field), where);
                    }
                }
                assertEquals(model.size(), hash.size(), where);
                assertEquals(converted ? "hashtable" : "listpack", hash.encoding(), where);
                if (op % 100 == 0) {
                    assertSameContents(model, hash, !converted, where);
                }
            }
            assertSameContents(model, hash, !converted, "seed " + seed);
        }
    }

    @Test
    void aHashSizedForMoreFieldsThanPackLoadsAsATableAndOneThatFitsStaysPacked() {
        HashLimits limits = new HashLimits(4, 64);
        HashValue large = HashValue.sizedFor(5, limits);
        HashValue small = HashValue.sizedFor(4, limits);
        for (int i = 0; i < 5; i++) {
            large.put(b("f" + i), b("v" + i), limits);
            if (i < 4) {
                small.put(b("f" + i), b("v" + i), limits);
            }
        }
        assertEquals("hashtable", large.encoding());
        assertEquals(5, large.size());
        assertArrayEquals(b("v4"), large.get(b("f4")));
        assertEquals("listpack", small.encoding());
        assertEquals(4, small.size());
    }

    @Test
    void aCopyIsIndependent() {
        HashLimits limits = new HashLimits(4, 64);
        HashValue hash = new HashValue();
        hash.put(b("a"), b("1"), limits);
        HashValue packedCopy = hash.copy();
        packedCopy.put(b("a"), b("2"), limits);
        packedCopy.put(b("b"), b("3"), limits);
        assertArrayEquals(b("1"), hash.get(b("a")));
        assertEquals(1, hash.size());
        for (int i = 0; i < 10; i++) {
            hash.put(b("f" + i), b("v" + i), limits);
        }
        HashValue tableCopy = hash.copy();
        tableCopy.remove(b("f0"));
        tableCopy.put(b("f1"), b("changed"), limits);
        assertArrayEquals(b("v0"), hash.get(b("f0")));
        assertArrayEquals(b("v1"), hash.get(b("f1")));
        assertEquals("hashtable", tableCopy.encoding());
    }

    @Test
    void randomFieldsComeFromTheHash() {
        for (int entries : new int[] {5, 600}) {
            HashLimits limits = new HashLimits(128, 64);
            HashValue hash = new HashValue();
            Map<ByteBuffer, byte[]> model = new HashMap<>();
            for (int i = 0; i < entries; i++) {
                hash.put(b("f" + i), b("v" + i), limits);
                model.put(ByteBuffer.wrap(b("f" + i)), b("v" + i));
            }
            List<ByteBuffer> drawn = new ArrayList<>();
            hash.randomPairs(50, (field, value) -> {
                assertArrayEquals(model.get(ByteBuffer.wrap(field)), value);
                drawn.add(ByteBuffer.wrap(field));
            });
            assertEquals(50, drawn.size());
            for (int count : new int[] {1, entries / 4, entries - 1}) {
                Set<ByteBuffer> distinct = new HashSet<>();
                hash.distinctRandomPairs(count, (field, value) -> {
                    assertArrayEquals(model.get(ByteBuffer.wrap(field)), value);
                    assertTrue(distinct.add(ByteBuffer.wrap(field)), "a field drawn twice");
                });
                assertEquals(count, distinct.size());
            }
        }
    }

    private static void assertSameContents(Map<ByteBuffer, byte[]> model, HashValue hash, boolean ordered,
                                           String where) {
        List<ByteBuffer> fields = new ArrayList<>();
        hash.forEach((field, value) -> {
            fields.add(ByteBuffer.wrap(field));
            assertArrayEquals(model.get(ByteBuffer.wrap(field)), value, where);
        });
        if (ordered) {
            assertEquals(new ArrayList<>(model.keySet()), fields, where + ": packed order");
        } else {
            assertEquals(model.keySet(), new HashSet<>(fields), where);
        }
        assertEquals(model.size(), fields.size(), where + ": each field once");
        // A whole SCAN sees every field at least once, with its value.
        Set<ByteBuffer> scanned = new HashSet<>();
        long cursor = 0;
        do {
            List<byte[]> items = new ArrayList<>();
            cursor = hash.scan(cursor, new ScanOptions(null, 3, null), items);
            for (int i = 0; i < items.size(); i += 2) {
                assertArrayEquals(model.get(ByteBuffer.wrap(items.get(i))), items.get(i + 1), where);
                scanned.add(ByteBuffer.wrap(items.get(i)));
            }
        } while (cursor != 0);
        assertEquals(model.keySet(), scanned, where + ": scan");
    }

    /** A short random byte string: a number below {@code domain}, sometimes padded with binary bytes. */
    private static byte[] bytes(Random random, int domain, int maxPadding) {
        byte[] number = Integer.toString(random.nextInt(domain)).getBytes();
        int padding = random.nextInt(4) == 0 ? random.nextInt(maxPadding + 1) : 0;
        byte[] out = new byte[number.length + padding];
        System.arraycopy(number, 0, out, 0, number.length);
        for (int i = number.length; i < out.length; i++) {
            out[i] = (byte) random.nextInt(256);
        }
        return out;
    }

    private static byte[] b(String text) {
        return text.getBytes();
    }
}
