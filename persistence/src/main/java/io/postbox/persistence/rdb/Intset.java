package io.postbox.persistence.rdb;

import java.util.function.Consumer;

/**
 * Redis's intset, the RDB form of a set of integers (SET_INTSET). All numbers little-endian:
 * <pre>
 *   encoding   4 bytes: bytes per member, 2, 4 or 8 (the smallest that holds every member)
 *   length     4 bytes: member count
 *   members    length x encoding bytes, signed, strictly ascending
 * </pre>
 */
public final class Intset {

    private static final int HEADER = 8;

    private Intset() {
    }

    /** The intset of {@code members}, which are strictly ascending. */
    public static byte[] encode(long[] members, int count) {
        int width = 2;
        for (int i = 0; i < count; i++) {
            long v = members[i];
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                width = 8;
                break;
            }
            if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
                width = 4;
            }
        }
        byte[] blob = new byte[HEADER + count * width];
        Listpack.putInt(blob, 0, width);
        Listpack.putInt(blob, 4, count);
        int at = HEADER;
        for (int i = 0; i < count; i++) {
            for (int b = 0; b < width; b++) {
                blob[at++] = (byte) (members[i] >>> (8 * b));
            }
        }
        return blob;
    }

    /**
     * Reads every member in order, as decimal text.
     *
     * @throws IllegalArgumentException if the blob is not a well-formed intset
     */
    public static void forEach(byte[] blob, Consumer<byte[]> member) {
        if (blob.length < HEADER) {
            throw new IllegalArgumentException("intset shorter than its header");
        }
        int width = Listpack.getInt(blob, 0);
        int count = Listpack.getInt(blob, 4);
        if ((width != 2 && width != 4 && width != 8) || count < 0 || (long) count * width + HEADER != blob.length) {
            throw new IllegalArgumentException("intset encoding or length does not match its size");
        }
        long previous = 0;
        for (int i = 0; i < count; i++) {
            long v = 0;
            int at = HEADER + i * width;
            for (int b = 0; b < width; b++) {
                v |= (blob[at + b] & 0xffL) << (8 * b);
            }
            int shift = 64 - 8 * width;
            v = v << shift >> shift;
            if (i > 0 && v <= previous) {
                throw new IllegalArgumentException("intset members are not in ascending order");
            }
            previous = v;
            member.accept(CanonicalInteger.format(v));
        }
    }
}
