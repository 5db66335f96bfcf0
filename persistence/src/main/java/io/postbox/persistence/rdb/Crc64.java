package io.postbox.persistence.rdb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The CRC-64 that Redis puts at the end of an RDB file: the Jones polynomial
 * ({@code 0xad93d23594c935a9}), bit-reflected input and output, initial value 0, no final xor. The
 * check value of "123456789" is {@code 0xe9c6d914c4b8d9ca}.
 *
 * <p>Computed eight bytes at a time with eight lookup tables ("slicing by 8"), so checksumming costs
 * little next to the disk. Stateless and thread-safe.
 */
public final class Crc64 {

    /** The Jones polynomial, bit-reversed for the reflected algorithm. */
    private static final long POLY = Long.reverse(0xad93d23594c935a9L);
    private static final long[][] TABLES = new long[8][256];
    /** Eight bytes in one load, the first the least significant (the reflected CRC consumes them so). */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static {
        for (int n = 0; n < 256; n++) {
            long crc = n;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY : crc >>> 1;
            }
            TABLES[0][n] = crc;
        }
        for (int n = 0; n < 256; n++) {
            long crc = TABLES[0][n];
            for (int t = 1; t < 8; t++) {
                crc = TABLES[0][(int) crc & 0xff] ^ (crc >>> 8);
                TABLES[t][n] = crc;
            }
        }
    }

    private Crc64() {
    }

    /** The CRC of {@code length} bytes at {@code offset}, continuing from {@code crc} (0 to start). */
    public static long update(long crc, byte[] bytes, int offset, int length) {
        long[] t0 = TABLES[0];
        int i = offset;
        int end = offset + length;
        for (; i + 8 <= end; i += 8) {
            long word = crc ^ (long) LONGS.get(bytes, i);
            crc = TABLES[7][(int) word & 0xff] ^ TABLES[6][(int) (word >>> 8) & 0xff]
                    ^ TABLES[5][(int) (word >>> 16) & 0xff] ^ TABLES[4][(int) (word >>> 24) & 0xff]
                    ^ TABLES[3][(int) (word >>> 32) & 0xff] ^ TABLES[2][(int) (word >>> 40) & 0xff]
                    ^ TABLES[1][(int) (word >>> 48) & 0xff] ^ t0[(int) (word >>> 56)];
        }
        for (; i < end; i++) {
            crc = t0[(int) (crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
        }
        return crc;
    }

    public static long of(byte[] bytes) {
        return update(0, bytes, 0, bytes.length);
    }
}
