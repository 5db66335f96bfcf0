package io.postbox.persistence.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc64Test {

    @Test
    void checkValueOfTheJonesCrcIsRedisOne() {
        // The test vector of Redis's crc64.c.
        assertEquals(0xe9c6d914c4b8d9caL, Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void emptyInputIsZero() {
        assertEquals(0, Crc64.of(new byte[0]));
    }

    @Test
    void slicedComputationMatchesBitByBitAtEveryLengthAndSplit() {
        Random random = new Random(7);
        for (int length = 0; length < 100; length++) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            long expected = bitByBit(data);
            assertEquals(expected, Crc64.of(data));
            int split = length == 0 ? 0 : random.nextInt(length);
            long crc = Crc64.update(0, data, 0, split);
            assertEquals(expected, Crc64.update(crc, data, split, length - split));
        }
    }

    /** The reflected algorithm one bit at a time: the definition the tables must agree with. */
    private static long bitByBit(byte[] data) {
        long poly = Long.reverse(0xad93d23594c935a9L);
        long crc = 0;
        for (byte b : data) {
            crc ^= b & 0xff;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ poly : crc >>> 1;
            }
        }
        return crc;
    }
}
