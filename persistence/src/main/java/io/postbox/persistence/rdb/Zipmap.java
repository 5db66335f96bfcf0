package io.postbox.persistence.rdb;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Redis's zipmap, the packed hash of RDB files from before Redis 2.6 (type HASH_ZIPMAP); Postbox reads
 * it, as Redis 7 still does, and never writes it.
 * <pre>
 *   count    1 byte, the pair count if below 254
 *   pairs    each: length, field, length, free, value, free unused bytes
 *   end      0xFF
 * </pre>
 * A length is one byte below 254, else 0xFE and a 4-byte little-endian length; {@code free} is one byte.
 */
final class Zipmap {

    private static final int BIG_LENGTH = 254;
    private static final int END = 0xff;

    private Zipmap() {
    }

    /**
     * Reads every field and value in order, checked as Redis's zipmapValidateIntegrity checks them.
     *
     * @throws IllegalArgumentException if the bytes are not a well-formed zipmap, or hold no pair
     */
    static void forEach(byte[] zipmap, Consumer<byte[]> fieldOrValue) {
        check(zipmap.length >= 2 && (zipmap[zipmap.length - 1] & 0xff) == END);
        int count = 0;
        int at = 1;
        while ((zipmap[at] & 0xff) != END) {
            at = readString(zipmap, at, false, fieldOrValue);
            at = readString(zipmap, at, true, fieldOrValue);
            count++;
        }
        int header = zipmap[0] & 0xff;
        check(count > 0 && (header == BIG_LENGTH || header == count));
    }

    /**
     * Reads the length-prefixed string at {@code at} (a value also has its free byte, and free bytes
     * after it); returns where the next one starts.
     */
    private static int readString(byte[] zipmap, int at, boolean value, Consumer<byte[]> out) {
        long length = zipmap[at] & 0xff;
        int lengthSize = length < BIG_LENGTH ? 1 : 5;
        checkInside(zipmap, (long) at + lengthSize);
        if (lengthSize == 5) {
            length = Integer.toUnsignedLong(Listpack.getInt(zipmap, at + 1));
        }
        long start = (long) at + lengthSize + (value ? 1 : 0);
        long free = value ? zipmap[at + lengthSize] & 0xff : 0;
        long next = start + length + free;
        checkInside(zipmap, next);
        out.accept(Arrays.copyOfRange(zipmap, (int) start, (int) (start + length)));
        return (int) next;
    }

    /** Redis's OUT_OF_RANGE: a position must stay between the first pair and the end byte. */
    private static void checkInside(byte[] zipmap, long position) {
        check(position >= 2 && position <= zipmap.length - 1);
    }

    private static void check(boolean wellFormed) {
        if (!wellFormed) {
            throw new IllegalArgumentException("zipmap is not well formed");
        }
    }
}
