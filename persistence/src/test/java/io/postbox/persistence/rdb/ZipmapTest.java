package io.postbox.persistence.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZipmapTest {

    @Test
    void readsPairsWithShortAndLongLengthsAndFreeSpace() {
        String big = "v".repeat(300);
        byte[] zipmap = zipmap(2, "foo", "bar", 0, "field", big, 3);
        List<String> read = new ArrayList<>();
        Zipmap.forEach(zipmap, e -> read.add(new String(e, StandardCharsets.ISO_8859_1)));
        assertEquals(List.of("foo", "bar", "field", big), read);
        // A count of 254 or more is left to the pairs themselves.
        byte[] uncounted = zipmap(254, "a", "b", 0);
        List<String> pairs = new ArrayList<>();
        Zipmap.forEach(uncounted, e -> pairs.add(new String(e, StandardCharsets.ISO_8859_1)));
        assertEquals(List.of("a", "b"), pairs);
    }

    @Test
    void refusesWhatRedisRefuses() {
        byte[] good = zipmap(1, "foo", "bar", 2);
        assertRefused(zipmap(2, "foo", "bar", 0));
        assertRefused(new byte[] {0, (byte) 0xff});
        assertRefused(Arrays.copyOf(good, good.length - 1));
        byte[] freeTooLong = good.clone();
        freeTooLong[1 + 1 + 3 + 1] = 40;
        assertRefused(freeTooLong);
        byte[] lengthTooLong = good.clone();
        lengthTooLong[1] = (byte) 200;
        assertRefused(lengthTooLong);
    }

    private static void assertRefused(byte[] zipmap) {
        assertThrows(IllegalArgumentException.class, () -> Zipmap.forEach(zipmap, e -> { }));
    }

    /** An independent zipmap encoder: {@code count}, then each field, value and free bytes, as zipmap.c. */
    static byte[] zipmap(int count, Object... pairs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(count);
        for (int i = 0; i < pairs.length; i += 3) {
            byte[] field = ((String) pairs[i]).getBytes(StandardCharsets.ISO_8859_1);
            byte[] value = ((String) pairs[i + 1]).getBytes(StandardCharsets.ISO_8859_1);
            int free = (Integer) pairs[i + 2];
            length(out, field.length);
            out.writeBytes(field);
            length(out, value.length);
            out.write(free);
            out.writeBytes(value);
            out.writeBytes(new byte[free]);
        }
        out.write(0xff);
        return out.toByteArray();
    }

    private static void length(ByteArrayOutputStream out, int length) {
        if (length < 254) {
            out.write(length);
        } else {
            out.write(254);
            out.write(length);
            out.write(length >>> 8);
            out.write(length >>> 16);
            out.write(length >>> 24);
        }
    }
}
