package io.postbox.commands.hashes;

import java.util.Arrays;

/**
 * A small hash packed into one byte array, in the spirit of Redis's listpack: field, value, field,
 * value, ... in insertion order, each entry its length as an unsigned LEB128 varint (one byte below
 * 128) followed by its bytes. Lookups walk the entries, which is as fast as hashing for the few dozen
 * short entries a packed hash holds, and costs one or two bytes per entry instead of objects.
 *
 * <p>Positions handed out ({@link #find}, {@link #first}, {@link #next}) are byte offsets of a pair's
 * field entry; they stay valid until the next change.
 *
 * <p>A replaced value keeps its pair's place, as in Redis, so HGETALL answers in the same order.
 */
final class PackedHash {

    /** Offset returned when there is no such pair. */
    static final int NONE = -1;
    private static final byte[] EMPTY = new byte[0];

    private byte[] bytes = EMPTY;
    /** Bytes in use; the rest of {@link #bytes} is room to grow. */
    private int end;
    private int pairs;

    int size() {
        return pairs;
    }

    /** Bytes held, spare room included (MEMORY USAGE). */
    int capacity() {
        return bytes.length;
    }

    /** The offset of the pair whose field is {@code field}, or {@link #NONE}. */
    int find(byte[] field) {
        for (int at = first(); at != NONE; at = next(at)) {
            int length = readLength(at);
            int start = at + lengthSize(length);
            if (length == field.length && Arrays.equals(bytes, start, start + length, field, 0, length)) {
                return at;
            }
        }
        return NONE;
    }

    /** The first pair's offset, or {@link #NONE} if empty. */
    int first() {
        return end == 0 ? NONE : 0;
    }

    /** The offset of the pair after the one at {@code at}, or {@link #NONE} after the last. */
    int next(int at) {
        int value = skip(at);
        int following = skip(value);
        return following < end ? following : NONE;
    }

    byte[] fieldAt(int at) {
        return entry(at);
    }

    byte[] valueAt(int at) {
        return entry(skip(at));
    }

    /** The value's length without copying it (HSTRLEN). */
    int valueLengthAt(int at) {
        return readLength(skip(at));
    }

    /** Offsets of every pair, in order: random access for HRANDFIELD. */
    int[] offsets() {
        int[] offsets = new int[pairs];
        int i = 0;
        for (int at = first(); at != NONE; at = next(at)) {
            offsets[i++] = at;
        }
        return offsets;
    }

    /** Sets {@code field} to {@code value}: replaces the value in place, or appends a new pair. True if new. */
    boolean put(byte[] field, byte[] value) {
        int at = find(field);
        if (at == NONE) {
            ensureRoom(entrySize(field.length) + entrySize(value.length));
            end = write(write(end, field), value);
            pairs++;
            return true;
        }
        int valueAt = skip(at);
        int oldSize = skip(valueAt) - valueAt;
        int newSize = entrySize(value.length);
        if (newSize != oldSize) {
            ensureRoom(newSize - oldSize);
            System.arraycopy(bytes, valueAt + oldSize, bytes, valueAt + newSize, end - (valueAt + oldSize));
            end += newSize - oldSize;
        }
        write(valueAt, value);
        return false;
    }

    /** Removes the pair of {@code field}; false if there is none. */
    boolean remove(byte[] field) {
        int at = find(field);
        if (at == NONE) {
            return false;
        }
        int after = skip(skip(at));
        System.arraycopy(bytes, after, bytes, at, end - after);
        end -= after - at;
        pairs--;
        if (end < bytes.length / 4) {
            bytes = Arrays.copyOf(bytes, end);
        }
        return true;
    }

    PackedHash copy() {
        PackedHash copy = new PackedHash();
        copy.bytes = Arrays.copyOf(bytes, end);
        copy.end = end;
        copy.pairs = pairs;
        return copy;
    }

    // ---- The entry encoding

    private byte[] entry(int at) {
        int length = readLength(at);
        int start = at + lengthSize(length);
        return Arrays.copyOfRange(bytes, start, start + length);
    }

    /** The offset just past the entry at {@code at}. */
    private int skip(int at) {
        int length = readLength(at);
        return at + lengthSize(length) + length;
    }

    private int readLength(int at) {
        int length = 0;
        int shift = 0;
        byte b;
        do {
            b = bytes[at++];
            length |= (b & 0x7f) << shift;
            shift += 7;
        } while (b < 0);
        return length;
    }

    /** Writes {@code data} as an entry at {@code at}; returns the offset after it. */
    private int write(int at, byte[] data) {
        int length = data.length;
        while (length >= 0x80) {
            bytes[at++] = (byte) (length | 0x80);
            length >>>= 7;
        }
        bytes[at++] = (byte) length;
        System.arraycopy(data, 0, bytes, at, data.length);
        return at + data.length;
    }

    private static int lengthSize(int length) {
        int size = 1;
        while (length >= 0x80) {
            length >>>= 7;
            size++;
        }
        return size;
    }

    private static int entrySize(int length) {
        return lengthSize(length) + length;
    }

    /** Makes room for {@code more} bytes past {@link #end}, growing by half again to amortize appends. */
    private void ensureRoom(int more) {
        int needed = end + more;
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(needed, end + (end >> 1)));
        }
    }
}
