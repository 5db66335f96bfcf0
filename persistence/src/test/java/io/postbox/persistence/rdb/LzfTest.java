package io.postbox.persistence.rdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LzfTest {

    private final Lzf lzf = new Lzf();

    @Test
    void decompressesWhatRedisWrote() {
        // "ab" * 50 as redis-server 7.0 compressed it in a dump.rdb: a literal run, then long references.
        byte[] packed = {0x02, 'a', 'b', 'a', (byte) 0xe0, 0x56, 0x01, 0x01, 'a', 'b'};
        byte[] out = new byte[100];
        Lzf.decompress(packed, 0, packed.length, out);
        assertEquals("ab".repeat(50), new String(out, StandardCharsets.US_ASCII));
    }

    @Test
    void decompressesIntoThePrefixOfALargerBuffer() {
        byte[] data = "postbox queue message ".repeat(50).getBytes(StandardCharsets.US_ASCII);
        byte[] packed = new byte[data.length];
        int n = lzf.compress(data, 0, data.length, packed, 0, data.length - 1);
        byte[] out = new byte[data.length + 100];
        Lzf.decompress(packed, 0, n, out, data.length);
        assertArrayEquals(data, Arrays.copyOf(out, data.length));
        assertThrows(IllegalArgumentException.class, () -> Lzf.decompress(packed, 0, n, out, data.length - 1));
        assertThrows(IllegalArgumentException.class, () -> Lzf.decompress(packed, 0, n, out, data.length + 1));
    }

    @Test
    void repetitiveDataShrinksAndRoundTrips() {
        byte[] data = "postbox queue message ".repeat(200).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[data.length];
        int n = lzf.compress(data, 0, data.length, out, 0, data.length - 4);
        assertTrue(n > 0 && n < data.length / 10, "compressed to " + n);
        byte[] back = new byte[data.length];
        Lzf.decompress(out, 0, n, back);
        assertArrayEquals(data, back);
    }

    @Test
    void randomDataOfEveryShapeRoundTripsOrIsRefused() {
        Random random = new Random(11);
        for (int round = 0; round < 2000; round++) {
            int length = random.nextInt(round < 1000 ? 100 : 20000) + 1;
            byte[] data = new byte[length];
            int alphabet = 1 + random.nextInt(round % 3 == 0 ? 256 : 4);
            for (int i = 0; i < length; i++) {
                data[i] = (byte) random.nextInt(alphabet);
            }
            if (round % 5 == 0) {
                Arrays.fill(data, length / 3, length / 2, (byte) 'z');
            }
            int offset = random.nextInt(5);
            byte[] out = new byte[offset + length + 64];
            int n = lzf.compress(data, 0, length, out, offset, length - 1);
            if (n == 0) {
                continue;
            }
            assertTrue(n <= length - 1);
            byte[] back = new byte[length];
            Lzf.decompress(out, offset, n, back);
            assertArrayEquals(data, back, "round " + round);
        }
    }

    @Test
    void corruptInputIsAnErrorNotAnOverrun() {
        byte[] out = new byte[10];
        assertThrows(IllegalArgumentException.class, () -> Lzf.decompress(new byte[] {0x20, 0x05}, 0, 2, out));
        assertThrows(IllegalArgumentException.class, () -> Lzf.decompress(new byte[] {0x1f, 'a'}, 0, 2, out));
        assertThrows(IllegalArgumentException.class, () -> Lzf.decompress(new byte[] {0x00, 'a'}, 0, 2, out));
    }
}
