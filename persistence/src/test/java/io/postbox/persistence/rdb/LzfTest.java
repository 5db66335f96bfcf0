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

    /**
     * Short runs in every position near the ends of the input and output arrays, where the copies
     * eight bytes at a time must fall back to exact ones: a literal, a reference of every length and
     * several distances, then a literal of 0 to 9 bytes, after a prefix the reference can reach.
     */
    @Test
    void runsNearTheEndsOfEitherArrayAreExact() {
        byte[] prefix = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
        for (int literal = 1; literal <= 9; literal++) {
            for (int length = 3; length <= 264; length += length < 20 ? 1 : 61) {
                for (int distance : new int[] {1, 7, 8, 9, 20}) {
                    for (int tail = 0; tail <= 9; tail++) {
                        java.io.ByteArrayOutputStream packed = new java.io.ByteArrayOutputStream();
                        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
                        writeLiteral(packed, expected, Arrays.copyOf(prefix, prefix.length));
                        writeLiteral(packed, expected, Arrays.copyOfRange(prefix, 20 - literal, 20));
                        int lengthCode = length - 2;
                        packed.write(Math.min(lengthCode, 7) << 5 | (distance - 1) >>> 8);
                        if (lengthCode >= 7) {
                            packed.write(lengthCode - 7);
                        }
                        packed.write((distance - 1) & 0xff);
                        for (int i = 0; i < length; i++) {
                            byte[] sofar = expected.toByteArray();
                            expected.write(sofar[sofar.length - distance]);
                        }
                        if (tail > 0) {
                            writeLiteral(packed, expected, Arrays.copyOf(prefix, tail));
                        }
                        byte[] in = packed.toByteArray();
                        byte[] out = new byte[expected.size()];
                        Lzf.decompress(in, 0, in.length, out);
                        assertArrayEquals(expected.toByteArray(), out, "literal " + literal + ", reference of "
                                + length + " at distance " + distance + ", literal " + tail);
                    }
                }
            }
        }
    }

    private static void writeLiteral(java.io.ByteArrayOutputStream packed, java.io.ByteArrayOutputStream out, byte[] bytes) {
        packed.write(bytes.length - 1);
        packed.writeBytes(bytes);
        out.writeBytes(bytes);
    }

    @Test
    void corruptInputIsAnErrorNotAnOverrun() {
        byte[] out = new byte[10];
        assertThrows(IllegalArgumentException.class, () -> Lzf.decompress(new byte[] {0x20, 0x05}, 0, 2, out));
        assertThrows(IllegalArgumentException.class, () -> Lzf.decompress(new byte[] {0x1f, 'a'}, 0, 2, out));
        assertThrows(IllegalArgumentException.class, () -> Lzf.decompress(new byte[] {0x00, 'a'}, 0, 2, out));
    }

    /**
     * The compressor's choices (which match, how long) are part of a snapshot's bytes: inputs of every
     * shape compress to the bytes they compressed to when this test was written (their CRC-64), so a
     * faster compressor still writes the same files.
     */
    @Test
    void compressedBytesAreThoseOfEarlierVersions() {
        Random random = new Random(29);
        long crc = 0;
        byte[] out = new byte[40_000];
        for (int round = 0; round < 600; round++) {
            byte[] data = round % 4 == 0 ? listpackLike(random) : new byte[1 + random.nextInt(round % 3 == 0 ? 300 : 20_000)];
            if (round % 4 != 0) {
                int alphabet = 1 + random.nextInt(round % 2 == 0 ? 256 : 4);
                int period = 1 + random.nextInt(400);
                for (int i = 0; i < data.length; i++) {
                    data[i] = i >= period && random.nextInt(8) > 0 ? data[i - period] : (byte) random.nextInt(alphabet);
                }
            }
            int n = lzf.compress(data, 0, data.length, out, 0, data.length - 1 - random.nextInt(4));
            crc = Crc64.update(Crc64.update(crc, new byte[] {(byte) n, (byte) (n >>> 8), (byte) (n >>> 16)}, 0, 3), out, 0, n);
        }
        assertEquals(0x3b70703e360b104bL, crc, Long.toHexString(crc));
    }

    /** Elements as a list node holds them: a header byte, "message-" and a number, a length byte. */
    private static byte[] listpackLike(Random random) {
        StringBuilder text = new StringBuilder();
        for (long k = random.nextInt(1_000_000); text.length() < 8000; k += 1 + random.nextInt(3)) {
            String element = "message-" + k;
            text.append((char) (0x80 | element.length())).append(element).append((char) (element.length() + 1));
        }
        return text.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
