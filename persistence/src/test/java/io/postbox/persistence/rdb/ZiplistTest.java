package io.postbox.persistence.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZiplistTest {

    @Test
    void readsEveryEncoding() {
        List<String> values = List.of("a", "x".repeat(100), "y".repeat(20000), "0", "12", "13", "-1", "127", "-128",
                "30000", "-30000", "8000000", "-8000000", "2000000000", "-2000000000", "9000000000000000000");
        List<String> back = new ArrayList<>();
        Ziplist.forEach(ziplist(values), e -> back.add(new String(e, StandardCharsets.ISO_8859_1)));
        assertEquals(values, back);
    }

    @Test
    void truncatedZiplistIsRejected() {
        byte[] good = ziplist(List.of("hello", "world"));
        byte[] bad = java.util.Arrays.copyOf(good, good.length - 3);
        Listpack.putInt(bad, 0, bad.length);
        assertThrows(IllegalArgumentException.class, () -> Ziplist.forEach(bad, e -> { }));
    }

    /** Redis's deep integrity check: each entry's length of the one before, the tail offset, the count. */
    @Test
    void inconsistentHeadersAndLengthsAreRejected() {
        byte[] good = ziplist(List.of("hello", "world", "7"));
        Ziplist.forEach(good, e -> { });
        int second = 10 + 7; // "hello": previous length, encoding, 5 bytes

        byte[] previousLength = good.clone();
        previousLength[second] = 6;
        byte[] tail = good.clone();
        Listpack.putInt(tail, 4, second);
        byte[] count = good.clone();
        count[8] = 4;
        Map<byte[], String> problems = Map.of(previousLength, "ziplist entry's previous length is wrong",
                tail, "ziplist tail offset is not its last entry's", count, "ziplist entry count is wrong");
        problems.forEach((bad, problem) -> assertEquals(problem,
                assertThrows(IllegalArgumentException.class, () -> Ziplist.forEach(bad, e -> { })).getMessage()));
        byte[] uncounted = good.clone();
        uncounted[8] = (byte) 0xff;
        uncounted[9] = (byte) 0xff;
        List<String> back = new ArrayList<>();
        Ziplist.forEach(uncounted, e -> back.add(new String(e, StandardCharsets.ISO_8859_1)));
        assertEquals(List.of("hello", "world", "7"), back, "a count of 65535 means: count the entries");
    }

    /** An independent ziplist encoder, choosing encodings the way Redis's ziplist.c does. */
    static byte[] ziplist(List<String> values) {
        ByteArrayOutputStream entries = new ByteArrayOutputStream();
        int previous = 0;
        int tail = 10;
        for (String value : values) {
            ByteArrayOutputStream entry = new ByteArrayOutputStream();
            if (previous < 254) {
                entry.write(previous);
            } else {
                entry.write(0xfe);
                le(entry, previous, 4);
            }
            Long number = null;
            try {
                if (!value.startsWith("0") || value.equals("0")) {
                    number = Long.parseLong(value);
                }
            } catch (NumberFormatException notANumber) {
                number = null;
            }
            if (number != null && number >= 0 && number <= 12) {
                entry.write(0xf1 + number.intValue());
            } else if (number != null && number >= -128 && number <= 127) {
                entry.write(0xfe);
                le(entry, number, 1);
            } else if (number != null && number >= Short.MIN_VALUE && number <= Short.MAX_VALUE) {
                entry.write(0xc0);
                le(entry, number, 2);
            } else if (number != null && number >= -(1 << 23) && number < (1 << 23)) {
                entry.write(0xf0);
                le(entry, number, 3);
            } else if (number != null && number >= Integer.MIN_VALUE && number <= Integer.MAX_VALUE) {
                entry.write(0xd0);
                le(entry, number, 4);
            } else if (number != null) {
                entry.write(0xe0);
                le(entry, number, 8);
            } else {
                byte[] text = value.getBytes(StandardCharsets.ISO_8859_1);
                if (text.length < 64) {
                    entry.write(text.length);
                } else if (text.length < 16384) {
                    entry.write(0x40 | text.length >> 8);
                    entry.write(text.length & 0xff);
                } else {
                    entry.write(0x80);
                    entry.write(text.length >>> 24);
                    entry.write(text.length >>> 16 & 0xff);
                    entry.write(text.length >>> 8 & 0xff);
                    entry.write(text.length & 0xff);
                }
                entry.writeBytes(text);
            }
            tail = 10 + entries.size();
            previous = entry.size();
            entries.writeBytes(entry.toByteArray());
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        le(all, 10 + entries.size() + 1, 4);
        le(all, tail, 4);
        le(all, values.size(), 2);
        all.writeBytes(entries.toByteArray());
        all.write(0xff);
        return all.toByteArray();
    }

    private static void le(ByteArrayOutputStream out, long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }
}
