package io.postbox.persistence.rdb;

import io.postbox.commands.lists.PackedList;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Redis's listpack, the packed node format of lists (QUICKLIST_2 nodes) and of small hashes and sorted
 * sets in RDB files. All numbers are little-endian.
 * <pre>
 *   total bytes      4 bytes, the whole listpack including this header and the end byte
 *   element count    2 bytes; 65535 means "count them"
 *   entries          each: encoding + data, then backlen
 *   end              0xFF
 * </pre>
 * Entry encodings, by the first byte:
 * <pre>
 *   0xxxxxxx                    integer 0..127
 *   10llllll                    string of up to 63 bytes follows
 *   110xxxxx yyyyyyyy           13-bit signed integer (two's complement), high bits first
 *   1110llll llllllll           string of up to 4095 bytes follows (length high bits first)
 *   11110000 + 4 bytes          string of any length follows
 *   0xF1 / 0xF2 / 0xF3 / 0xF4   16 / 24 / 32 / 64-bit signed integer follows
 * </pre>
 * {@code backlen} is the length of encoding + data, written so it reads from its last byte towards
 * the front: 1 to 5 bytes of 7 bits each, most significant group first, every byte but the first with
 * its high bit set. A string that is a canonical integer (see {@link CanonicalInteger}) is stored as
 * an integer, as Redis does, and reads back as the same text.
 *
 * <p>A {@link Builder} is used by one thread at a time.
 */
public final class Listpack {

    /** The header: total bytes (4), element count (2). */
    static final int HEADER = 6;
    /** The element count a header shows for a listpack holding too many elements to say. */
    static final int UNKNOWN_COUNT = 65535;
    private static final int END = 0xFF;

    private Listpack() {
    }

    /** Builds one listpack from elements added in order. Reusable: {@link #build()} resets it. */
    public static final class Builder {
        private final CanonicalInteger integer = new CanonicalInteger();
        private byte[] buffer = new byte[256];
        private int length = HEADER;
        private int count;

        public Builder add(byte[] element) {
            return add(element, 0, element.length);
        }

        public Builder add(byte[] data, int offset, int size) {
            ensure(size + 16);
            if (size < 64 && !CanonicalInteger.mayBe(data, offset, size)) {
                // The common case, a short string: one byte of header, one of backlen.
                byte[] buffer = this.buffer;
                int at = length;
                buffer[at] = (byte) (0x80 | size);
                System.arraycopy(data, offset, buffer, at + 1, size);
                buffer[at + 1 + size] = (byte) (size + 1);
                length = at + size + 2;
                count++;
                return this;
            }
            int start = length;
            if (integer.parse(data, offset, size)) {
                writeInteger(integer.value());
            } else {
                writeStringHeader(size);
                System.arraycopy(data, offset, buffer, length, size);
                length += size;
            }
            writeBacklen(length - start);
            count++;
            return this;
        }

        /**
         * Adds the elements of a list chunk as it stores them (see {@link PackedList.StoredChunkVisitor}).
         * A short element that cannot be an integer is laid out as a listpack string already, but for
         * its first and last byte (a one-byte length either side): the chunk is copied whole and those
         * bytes rewritten, from the first element that is not such on one by one.
         */
        public void addStored(byte[] data, int start, int end) {
            ensure(end - start);
            byte[] buffer = this.buffer;
            System.arraycopy(data, start, buffer, length, end - start);
            int shift = length - start;
            int at = start;
            while (at < end) {
                int size = data[at];
                if (size < 0 || size >= 64 || CanonicalInteger.mayBe(data, at + 1, size)) {
                    break;
                }
                buffer[at + shift] = (byte) (0x80 | size);
                buffer[at + shift + 1 + size] = (byte) (size + 1);
                at += size + 2;
                count++;
            }
            length = at + shift;
            while (at < end) {
                int size = 0;
                int from = at;
                for (int bits = 0; ; bits += 7) {
                    byte b = data[from++];
                    size |= (b & 0x7f) << bits;
                    if (b >= 0) {
                        break;
                    }
                }
                add(data, from, size);
                at = from + size + (from - at);
            }
        }

        /** Bytes the listpack would take if built now. */
        public int size() {
            return length + 1;
        }

        /** The finished listpack; the builder is empty again afterwards. */
        public byte[] build() {
            byte[] result = Arrays.copyOf(buffer, finish());
            clear();
            return result;
        }

        /** Writes the finished listpack to {@code out} as a string (copied); the builder is empty again afterwards. */
        public void writeTo(RdbOutput out) {
            out.writeCopyOf(buffer, finish());
            clear();
        }

        /**
         * Writes the finished listpack as a string into {@code out} at {@code at}, the bytes
         * {@link #writeTo(RdbOutput)} would write (compressed with {@code lzf} if {@code compression});
         * {@code out} has room for {@link #size()} plus 18 bytes there. Returns the position after it;
         * the builder is empty again afterwards.
         */
        int writeTo(byte[] out, int at, boolean compression, Lzf lzf) {
            int size = finish();
            if (compression && size > RdbFormat.COMPRESSION_THRESHOLD) {
                at = SegmentEncoder.encodeCompressible(buffer, size, lzf, out, at);
            } else {
                at = RdbOutput.encodePlainString(buffer, size, out, at);
            }
            clear();
            return at;
        }

        private int finish() {
            ensure(1);
            buffer[length++] = (byte) END;
            putInt(buffer, 0, length);
            int shownCount = Math.min(count, UNKNOWN_COUNT);
            buffer[4] = (byte) shownCount;
            buffer[5] = (byte) (shownCount >>> 8);
            return length;
        }

        private void clear() {
            length = HEADER;
            count = 0;
        }

        private void writeInteger(long v) {
            if (v >= 0 && v <= 127) {
                buffer[length++] = (byte) v;
            } else if (v >= -4096 && v <= 4095) {
                int u = (int) v & 0x1fff;
                buffer[length++] = (byte) (0xC0 | u >>> 8);
                buffer[length++] = (byte) u;
            } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                buffer[length++] = (byte) 0xF1;
                putLittleEndian(v, 2);
            } else if (v >= -(1 << 23) && v <= (1 << 23) - 1) {
                buffer[length++] = (byte) 0xF2;
                putLittleEndian(v, 3);
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                buffer[length++] = (byte) 0xF3;
                putLittleEndian(v, 4);
            } else {
                buffer[length++] = (byte) 0xF4;
                putLittleEndian(v, 8);
            }
        }

        private void writeStringHeader(int size) {
            if (size < 64) {
                buffer[length++] = (byte) (0x80 | size);
            } else if (size < 4096) {
                buffer[length++] = (byte) (0xE0 | size >>> 8);
                buffer[length++] = (byte) size;
            } else {
                buffer[length++] = (byte) 0xF0;
                putLittleEndian(size, 4);
            }
        }

        private void writeBacklen(int entry) {
            int groups = entry <= 127 ? 1 : entry < 16383 ? 2 : entry < 2097151 ? 3 : entry < 268435455 ? 4 : 5;
            for (int i = groups - 1; i >= 0; i--) {
                int group = (entry >>> (7 * i)) & 0x7f;
                buffer[length++] = (byte) (i == groups - 1 ? group : group | 0x80);
            }
        }

        private void putLittleEndian(long v, int bytes) {
            for (int i = 0; i < bytes; i++) {
                buffer[length++] = (byte) (v >>> (8 * i));
            }
        }

        private void ensure(int more) {
            if (length + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
            }
        }
    }

    /**
     * Reads every element of {@code listpack} in order, integers as their decimal text.
     *
     * @throws IllegalArgumentException if the bytes are not a well-formed listpack
     */
    public static void forEach(byte[] listpack, Consumer<byte[]> element) {
        Cursor cursor = new Cursor(listpack, listpack.length);
        while (cursor.next()) {
            element.accept(Arrays.copyOfRange(cursor.bytes(), cursor.offset(), cursor.offset() + cursor.length()));
        }
    }

    /**
     * Appends the elements of {@code listpack} to the tail of {@code list}, which may take the array
     * over. A string shorter than 64 bytes differs from a list chunk's element (see
     * {@link PackedList.StoredChunkVisitor}) only in its first and last byte, so a node of such strings
     * (a queue's messages) is rewritten in place and becomes the list's chunk as it is; a run of them
     * before other entries is copied as one piece, and the rest element by element.
     *
     * @throws IllegalArgumentException if the bytes are not a well-formed listpack
     */
    public static void appendTo(PackedList list, byte[] listpack) {
        Cursor elements = new Cursor(listpack, listpack.length);
        int run = elements.storeShortStrings();
        int runEnd = elements.at;
        boolean more = elements.next();
        if (run > 0 && more) {
            list.appendStored(Arrays.copyOfRange(listpack, HEADER, runEnd), 0, runEnd - HEADER, run);
        } else if (run > 0) {
            list.appendStored(listpack, HEADER, runEnd, run);
        }
        for (; more; more = elements.next()) {
            list.pushTail(elements.bytes(), elements.offset(), elements.length());
        }
    }

    /**
     * Steps through the elements of a listpack in order without copying them: each is a slice of
     * {@link #bytes()} (the listpack's own array for a string, a scratch array for an integer, as its
     * decimal text), valid until the next step. The caller's loop is plain code around {@link #next()},
     * so it compiles into the caller (a callback per element would be one call site for every kind
     * of value loaded, too many receivers to inline).
     */
    public static final class Cursor {
        private final byte[] listpack;
        private final int end;
        private final int declared;
        private final byte[] number = new byte[20];
        private int at = HEADER;
        private int seen;
        private byte[] bytes;
        private int offset;
        private int length;

        /**
         * A cursor before the first element of the listpack in the first {@code length} bytes of {@code listpack}.
         *
         * @throws IllegalArgumentException if the header does not match {@code length}
         */
        public Cursor(byte[] listpack, int length) {
            if (length < HEADER + 1 || getInt(listpack, 0) != length) {
                throw new IllegalArgumentException("listpack header does not match its size");
            }
            this.listpack = listpack;
            this.end = length - 1;
            this.declared = (listpack[4] & 0xff) | (listpack[5] & 0xff) << 8;
        }

        public byte[] bytes() {
            return bytes;
        }

        public int offset() {
            return offset;
        }

        public int length() {
            return length;
        }

        /**
         * Moves to the next element; false after the last.
         *
         * @throws IllegalArgumentException if the bytes are not a well-formed listpack
         */
        public boolean next() {
            if (at >= end) {
                if ((listpack[end] & 0xff) != END || (declared != UNKNOWN_COUNT && declared != seen)) {
                    throw new IllegalArgumentException("listpack end or element count is wrong");
                }
                return false;
            }
            int first = listpack[at] & 0xff;
            int start = at;
            if (first < 0x80) {
                number(first);
                at += 1;
            } else if (first < 0xC0) {
                string(at + 1, first & 0x3f);
            } else if (first < 0xE0) {
                check(at + 2 <= end);
                int u = (first & 0x1f) << 8 | (listpack[at + 1] & 0xff);
                number(u >= 4096 ? u - 8192 : u);
                at += 2;
            } else if (first < 0xF0) {
                check(at + 2 <= end);
                string(at + 2, (first & 0x0f) << 8 | (listpack[at + 1] & 0xff));
            } else if (first == 0xF0) {
                check(at + 5 <= end);
                string(at + 5, getInt(listpack, at + 1));
            } else if (first >= 0xF1 && first <= 0xF4) {
                int size = first == 0xF1 ? 2 : first == 0xF2 ? 3 : first == 0xF3 ? 4 : 8;
                check(at + 1 + size <= end);
                long v = 0;
                for (int i = 0; i < size; i++) {
                    v |= (listpack[at + 1 + i] & 0xffL) << (8 * i);
                }
                int shift = 64 - 8 * size;
                number(v << shift >> shift);
                at += 1 + size;
            } else {
                throw new IllegalArgumentException("listpack entry with unknown encoding 0x" + Integer.toHexString(first));
            }
            int entry = at - start;
            int backlen = backlenSize(entry);
            check(at + backlen <= end);
            checkBacklen(at, entry, backlen);
            at += backlen;
            seen++;
            return true;
        }

        /**
         * Checks the {@code groups} bytes at {@code from} are {@code entry}'s back length, as Redis's deep
         * integrity check does: the count that lets a listpack be walked backwards.
         */
        private void checkBacklen(int from, int entry, int groups) {
            for (int i = 0; i < groups; i++) {
                int group = (entry >>> (7 * (groups - 1 - i))) & 0x7f;
                if ((listpack[from + i] & 0xff) != (i == 0 ? group : group | 0x80)) {
                    throw new IllegalArgumentException(
                            "listpack integrity check failed: an entry's back length is wrong");
                }
            }
        }

        /**
         * Rewrites the strings shorter than 64 bytes from here up to the next other entry into a list
         * chunk's layout, in place, and moves past them; returns how many. Such a string is
         * {@code 0x80 | n}, its n bytes and a backlen of n + 1; the chunk's element is n, the bytes, n.
         */
        private int storeShortStrings() {
            byte[] listpack = this.listpack;
            int at = this.at;
            int run = 0;
            for (int first; at < end && (first = listpack[at] & 0xff) >= 0x80 && first < 0xC0; run++) {
                int size = first & 0x3f;
                check(at + size + 2 <= end);
                checkBacklen(at + 1 + size, size + 1, 1);
                listpack[at] = (byte) size;
                listpack[at + 1 + size] = (byte) size;
                at += size + 2;
            }
            this.at = at;
            seen += run;
            return run;
        }

        private void string(int from, int size) {
            check(size >= 0 && from + size <= end);
            bytes = listpack;
            offset = from;
            length = size;
            at = from + size;
        }

        /** Writes {@code v} in decimal at the end of the scratch array, as Long.toString would. */
        private void number(long v) {
            int i = number.length;
            long rest = v;
            do {
                number[--i] = (byte) ('0' + Math.abs(rest % 10));
                rest /= 10;
            } while (rest != 0);
            if (v < 0) {
                number[--i] = '-';
            }
            bytes = number;
            offset = i;
            length = number.length - i;
        }
    }

    private static int backlenSize(int entry) {
        return entry <= 127 ? 1 : entry < 16383 ? 2 : entry < 2097151 ? 3 : entry < 268435455 ? 4 : 5;
    }

    private static void check(boolean ok) {
        if (!ok) {
            throw new IllegalArgumentException("listpack entry runs past its end");
        }
    }

    static int getInt(byte[] bytes, int at) {
        return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8 | (bytes[at + 2] & 0xff) << 16 | (bytes[at + 3] & 0xff) << 24;
    }

    static void putInt(byte[] bytes, int at, int v) {
        bytes[at] = (byte) v;
        bytes[at + 1] = (byte) (v >>> 8);
        bytes[at + 2] = (byte) (v >>> 16);
        bytes[at + 3] = (byte) (v >>> 24);
    }
}
