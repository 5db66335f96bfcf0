package io.postbox.persistence.rdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.lists.PackedList;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ListpackTest {

    @Test
    void encodesAsRedisDoes() {
        // RPUSH l x y 12 in redis-server 7.0: the node of its dump.rdb.
        byte[] expected = {0x0f, 0, 0, 0, 3, 0, (byte) 0x81, 'x', 2, (byte) 0x81, 'y', 2, 0x0c, 1, (byte) 0xff};
        byte[] built = new Listpack.Builder().add(bytes("x")).add(bytes("y")).add(bytes("12")).build();
        assertArrayEquals(expected, built);
    }

    @Test
    void everyIntegerWidthAndStringLengthRoundTrips() {
        List<String> values = new ArrayList<>(List.of("0", "127", "128", "-1", "-4096", "4095", "4096", "-4097",
                "32767", "-32768", "32768", "8388607", "-8388608", "8388608", "2147483647", "-2147483648",
                "2147483648", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "01", "-0",
                "+1", " 1", "", "a".repeat(63), "b".repeat(64), "c".repeat(4095), "d".repeat(4096),
                "e".repeat(70000)));
        Listpack.Builder builder = new Listpack.Builder();
        values.forEach(v -> builder.add(bytes(v)));
        List<String> back = new ArrayList<>();
        Listpack.forEach(builder.build(), e -> back.add(new String(e, StandardCharsets.ISO_8859_1)));
        assertEquals(values, back);
    }

    @Test
    void integersTakeTheirSmallestEncoding() {
        // header, encoding and data, one backlen byte, end byte
        assertEquals(6 + 2 + 1 + 1, new Listpack.Builder().add(bytes("-4096")).build().length);
        assertEquals(6 + 3 + 1 + 1, new Listpack.Builder().add(bytes("-4097")).build().length);
        assertEquals(6 + 9 + 1 + 1, new Listpack.Builder().add(bytes("2147483648")).build().length);
    }

    @Test
    void randomBinaryElementsRoundTrip() {
        Random random = new Random(3);
        List<byte[]> values = new ArrayList<>();
        Listpack.Builder builder = new Listpack.Builder();
        for (int i = 0; i < 70000; i++) {
            byte[] v = new byte[random.nextInt(i % 100 == 0 ? 20000 : 30)];
            random.nextBytes(v);
            values.add(v);
            builder.add(v);
        }
        byte[] listpack = builder.build();
        assertEquals(0xff, listpack[4] & 0xff, "the count saturates at 65535");
        List<byte[]> back = new ArrayList<>();
        Listpack.forEach(listpack, back::add);
        assertEquals(values.size(), back.size());
        for (int i = 0; i < values.size(); i++) {
            assertArrayEquals(values.get(i), back.get(i));
        }
    }

    @Test
    void listpackAtTheStartOfALargerBufferIsReadToItsLength() {
        byte[] listpack = new Listpack.Builder().add(bytes("x")).add(bytes("12")).add(bytes("hello")).build();
        byte[] buffer = java.util.Arrays.copyOf(listpack, listpack.length + 32);
        java.util.Arrays.fill(buffer, listpack.length, buffer.length, (byte) 0x81);
        List<String> back = new ArrayList<>();
        Listpack.Cursor cursor = new Listpack.Cursor(buffer, listpack.length);
        while (cursor.next()) {
            back.add(new String(cursor.bytes(), cursor.offset(), cursor.length(), StandardCharsets.ISO_8859_1));
        }
        assertEquals(List.of("x", "12", "hello"), back);
        assertThrows(IllegalArgumentException.class, () -> new Listpack.Cursor(buffer, buffer.length));
    }

    @Test
    void cursorGivesIntegersAsTheirDecimalTextAtEveryWidth() {
        long[] numbers = {0, 7, 127, -1, -4096, 4095, 32767, -32768, 8388607, -8388608, Integer.MAX_VALUE,
                Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 1_700_000_000_123L};
        Listpack.Builder builder = new Listpack.Builder();
        for (long n : numbers) {
            builder.add(bytes(Long.toString(n)));
        }
        byte[] listpack = builder.build();
        Listpack.Cursor cursor = new Listpack.Cursor(listpack, listpack.length);
        for (long n : numbers) {
            assertEquals(true, cursor.next());
            assertEquals(Long.toString(n), new String(cursor.bytes(), cursor.offset(), cursor.length(), StandardCharsets.ISO_8859_1));
        }
        assertEquals(false, cursor.next());
    }

    @Test
    void truncatedListpackIsRejected() {
        byte[] good = new Listpack.Builder().add(bytes("hello")).build();
        byte[] bad = java.util.Arrays.copyOf(good, good.length - 1);
        assertThrows(IllegalArgumentException.class, () -> Listpack.forEach(bad, e -> { }));
    }

    @Test
    void aChunkAsStoredMakesTheListpackItsElementsMake() {
        // Short strings (copied whole), then integers, long strings and short ones again (one by one).
        List<String> values = List.of("job-1", "", "x".repeat(63), "job-2", "12", "job-3", "-7", "y".repeat(64),
                "z".repeat(200), "w".repeat(20000), "job-4", "0", "-", "1a");
        java.io.ByteArrayOutputStream chunk = new java.io.ByteArrayOutputStream();
        chunk.write(new byte[] {9, 9, 9}, 0, 3);
        Listpack.Builder oneByOne = new Listpack.Builder();
        for (String value : values) {
            byte[] element = bytes(value);
            List<Integer> groups = new ArrayList<>();
            for (int rest = element.length; ; rest >>>= 7) {
                groups.add(rest & 0x7f);
                if (rest < 0x80) {
                    break;
                }
            }
            for (int g = 0; g < groups.size(); g++) {
                chunk.write(groups.get(g) | (g < groups.size() - 1 ? 0x80 : 0));
            }
            chunk.write(element, 0, element.length);
            for (int g = groups.size() - 1; g >= 0; g--) {
                chunk.write(groups.get(g) | (g < groups.size() - 1 ? 0x80 : 0));
            }
            oneByOne.add(element);
        }
        byte[] stored = chunk.toByteArray();
        Listpack.Builder whole = new Listpack.Builder();
        whole.addStored(stored, 3, stored.length);
        assertArrayEquals(oneByOne.build(), whole.build());
    }

    @Test
    void nodesAppendToAListAsTheirElementsAndTheListKeepsWorking() {
        List<String> queue = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            queue.add("message-" + i);
        }
        List<List<String>> nodes = List.of(
                queue,                                                            // taken over whole
                List.of("job-1", "", "x".repeat(63), "12", "y".repeat(64), "job-2"), // a run, then one by one
                List.of("7", "job-3"),                                            // no run
                List.of("a"), List.of("b"));                                      // merged into the tail chunk
        PackedList list = new PackedList();
        List<String> expected = new ArrayList<>();
        for (List<String> node : nodes) {
            Listpack.Builder builder = new Listpack.Builder();
            node.forEach(element -> builder.add(bytes(element)));
            Listpack.appendTo(list, builder.build());
            expected.addAll(node);
        }
        assertEquals(expected, elementsOf(list));
        assertEquals(2, list.chunkCount(), "the first node is a chunk; the rest fill a second one");

        list.push(PackedList.End.HEAD, bytes("first"));
        list.insert(bytes("message-200"), bytes("inserted"), PackedList.End.TAIL);
        assertArrayEquals(bytes("b"), list.pop(PackedList.End.TAIL));
        list.push(PackedList.End.TAIL, bytes("last"));
        expected.add(0, "first");
        expected.add(expected.indexOf("message-200") + 1, "inserted");
        expected.set(expected.size() - 1, "last");
        assertEquals(expected, elementsOf(list));
    }

    @Test
    void aShortStringRunningPastTheEndIsRejected() {
        byte[] listpack = new Listpack.Builder().add(bytes("hello")).add(bytes("world")).build();
        listpack[6 + 7] = (byte) (0x80 | 63);
        assertThrows(IllegalArgumentException.class, () -> Listpack.appendTo(new PackedList(), listpack));
        byte[] miscounted = new Listpack.Builder().add(bytes("hello")).build();
        miscounted[4] = 2;
        assertThrows(IllegalArgumentException.class, () -> Listpack.appendTo(new PackedList(), miscounted));
    }

    /** Redis's deep integrity check: each entry ends with its own length, to walk the listpack backwards. */
    @Test
    void aWrongBackLengthIsRejected() {
        // "hello" (1 + 5 bytes, back length 6), 12 (1 byte, back length 1), 300 (2 bytes, 2), "x" * 200 (2 + 200,
        // back length 202 in two bytes).
        byte[] good = new Listpack.Builder().add(bytes("hello")).add(bytes("12")).add(bytes("300"))
                .add(bytes("x".repeat(200))).build();
        Listpack.forEach(good, e -> { });
        int[] backLengths = {6 + 6, 6 + 7 + 1, 6 + 9 + 2, good.length - 2};
        for (int at : backLengths) {
            byte[] bad = good.clone();
            bad[at] ^= 1;
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> Listpack.forEach(bad, e -> { }));
            assertTrue(refused.getMessage().contains("back length"), at + ": " + refused.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Listpack.appendTo(new PackedList(), bad.clone()));
        }
    }

    private static List<String> elementsOf(PackedList list) {
        List<String> elements = new ArrayList<>();
        for (byte[] element : list.elements(0, list.size(), false)) {
            elements.add(new String(element, StandardCharsets.ISO_8859_1));
        }
        return elements;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
