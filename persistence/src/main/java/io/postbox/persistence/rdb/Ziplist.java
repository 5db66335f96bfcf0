package io.postbox.persistence.rdb;

import java.util.function.Consumer;

/**
 * Redis's ziplist, the packed format that listpack replaced in Redis 7; RDB files of older versions
 * hold lists (LIST_ZIPLIST, and the nodes of QUICKLIST) in it, so Postbox reads it and never writes
 * it. Numbers are little-endian except string lengths, which are big-endian.
 * <pre>
 *   zlbytes   4 bytes, the whole ziplist
 *   zltail    4 bytes, offset of the last entry
 *   zllen     2 bytes, the entry count; 65535 means "count them"
 *   entries   each: prevlen, encoding, data
 *   end       0xFF
 * </pre>
 * {@code prevlen} is one byte below 254, else 0xFE and 4 bytes. Encodings, by the first byte:
 * <pre>
 *   00llllll                 string of up to 63 bytes
 *   01llllll llllllll        string of up to 16383 bytes
 *   10000000 + 4 bytes       string, big-endian length
 *   0xC0 / 0xD0 / 0xE0       16 / 32 / 64-bit integer
 *   0xF0                     24-bit integer
 *   0xFE                     8-bit integer
 *   0xF1..0xFD               integer 0..12, in the low four bits minus one
 * </pre>
 */
public final class Ziplist {

    private static final int HEADER = 10;
    /** A zllen of this many or more: the count is not kept, and the entries are counted. */
    private static final int UNKNOWN_COUNT = 0xFFFF;

    private Ziplist() {
    }

    /**
     * Reads every entry in order, integers as their decimal text. The ziplist is checked as Redis's deep
     * integrity check does: its size, tail offset and count, and each entry's length of the one before.
     *
     * @throws IllegalArgumentException if the bytes are not a well-formed ziplist
     */
    public static void forEach(byte[] ziplist, Consumer<byte[]> entry) {
        if (ziplist.length < HEADER + 1 || Listpack.getInt(ziplist, 0) != ziplist.length) {
            throw new IllegalArgumentException("ziplist header does not match its size");
        }
        int end = ziplist.length - 1;
        int at = HEADER;
        int last = HEADER;
        int count = 0;
        while (at < end) {
            int previousLength = at - last;
            last = at;
            if ((ziplist[at] & 0xff) < 254) {
                integrity((ziplist[at] & 0xff) == previousLength, "ziplist entry's previous length is wrong");
                at += 1;
            } else {
                check(at + 5 < end);
                integrity(Listpack.getInt(ziplist, at + 1) == previousLength,
                        "ziplist entry's previous length is wrong");
                at += 5;
            }
            int first = ziplist[at] & 0xff;
            byte[] value;
            switch (first >>> 6) {
                case 0 -> {
                    value = slice(ziplist, at + 1, first & 0x3f, end);
                    at += 1 + (first & 0x3f);
                }
                case 1 -> {
                    check(at + 2 <= end);
                    int size = (first & 0x3f) << 8 | (ziplist[at + 1] & 0xff);
                    value = slice(ziplist, at + 2, size, end);
                    at += 2 + size;
                }
                case 2 -> {
                    check(at + 5 <= end);
                    int size = (ziplist[at + 1] & 0xff) << 24 | (ziplist[at + 2] & 0xff) << 16
                            | (ziplist[at + 3] & 0xff) << 8 | (ziplist[at + 4] & 0xff);
                    check(size >= 0);
                    value = slice(ziplist, at + 5, size, end);
                    at += 5 + size;
                }
                default -> {
                    int bytes = switch (first) {
                        case 0xC0 -> 2;
                        case 0xD0 -> 4;
                        case 0xE0 -> 8;
                        case 0xF0 -> 3;
                        case 0xFE -> 1;
                        default -> 0;
                    };
                    long v;
                    if (bytes == 0) {
                        if (first < 0xF1 || first > 0xFD) {
                            throw new IllegalArgumentException("ziplist entry with unknown encoding 0x"
                                    + Integer.toHexString(first));
                        }
                        v = (first & 0x0f) - 1;
                    } else {
                        check(at + 1 + bytes <= end);
                        v = 0;
                        for (int i = 0; i < bytes; i++) {
                            v |= (ziplist[at + 1 + i] & 0xffL) << (8 * i);
                        }
                        int shift = 64 - 8 * bytes;
                        v = v << shift >> shift;
                    }
                    value = CanonicalInteger.format(v);
                    at += 1 + bytes;
                }
            }
            entry.accept(value);
            count++;
        }
        check(at == end && (ziplist[end] & 0xff) == 0xFF);
        integrity(Listpack.getInt(ziplist, 4) == last, "ziplist tail offset is not its last entry's");
        int header = (ziplist[8] & 0xff) | (ziplist[9] & 0xff) << 8;
        integrity(header == UNKNOWN_COUNT || header == count, "ziplist entry count is wrong");
    }

    private static void integrity(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(problem);
        }
    }

    private static byte[] slice(byte[] bytes, int from, int size, int end) {
        check(from + size <= end);
        return java.util.Arrays.copyOfRange(bytes, from, from + size);
    }

    private static void check(boolean ok) {
        if (!ok) {
            throw new IllegalArgumentException("ziplist entry runs past its end");
        }
    }
}
