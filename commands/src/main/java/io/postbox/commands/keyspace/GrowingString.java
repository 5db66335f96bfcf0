package io.postbox.commands.keyspace;

import java.util.Arrays;

/**
 * A string value that APPEND, SETRANGE, the bit commands and the HyperLogLog commands change in
 * place, with room to grow: Redis's sds strings grow greedily (sdsMakeRoomFor), so that appending to
 * a string costs what is appended, not what is already there. A stored {@code byte[]} becomes one at
 * its first such change (a copy: the array may be shared with a reply or a log queue), and turns
 * back into a plain array at the first read of the whole value ({@link Database#get}), so every
 * other command sees strings as {@code byte[]} only.
 *
 * <p>Bytes past the {@link #length()} are always zero: new room is zero-filled, and bytes a splice
 * frees are cleared.
 */
public final class GrowingString implements TypedValue {

    /** Room is doubled below this size and grows by this much above it, as Redis's SDS_MAX_PREALLOC. */
    static final int MAX_PREALLOC = 1024 * 1024;
    /** The longest Java array. */
    private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private byte[] buffer;
    private int length;
    /** Whether {@link #buffer} is this object's own; it starts out as the stored array it came from. */
    private boolean owned;

    GrowingString(byte[] value) {
        buffer = value;
        length = value.length;
    }

    private GrowingString(byte[] buffer, int length) {
        this.buffer = buffer;
        this.length = length;
        owned = true;
    }

    /** A new string of {@code value}, which it owns from now on (a value built for a new key). */
    public static GrowingString owning(byte[] value) {
        return new GrowingString(value, value.length);
    }

    /** A new string of {@code length} zero bytes (SETBIT and BITFIELD create a missing key so). */
    public static GrowingString zeros(int length) {
        return owning(new byte[length]);
    }

    public int length() {
        return length;
    }

    /**
     * The bytes of the value, its first {@link #length()}: the caller may change them in place (then
     * signals the key modified) but must not keep the array, which growth replaces.
     */
    public byte[] buffer() {
        makeRoom(length);
        return buffer;
    }

    /** Makes the string at least {@code length} bytes long, zero bytes added at its end. */
    public void extendTo(int length) {
        makeRoom(length);
        this.length = Math.max(this.length, length);
    }

    /** Adds {@code suffix} at the end. */
    public void append(byte[] suffix) {
        makeRoom((long) length + suffix.length);
        System.arraycopy(suffix, 0, buffer, length, suffix.length);
        length += suffix.length;
    }

    /** Writes {@code patch} at {@code offset}, past the end if need be, the gap filled with zero bytes. */
    public void write(int offset, byte[] patch) {
        makeRoom((long) offset + patch.length);
        System.arraycopy(patch, 0, buffer, offset, patch.length);
        length = Math.max(length, offset + patch.length);
    }

    /**
     * Replaces the {@code removed} bytes at {@code offset} with the first {@code length} bytes of
     * {@code bytes}, moving what follows (HyperLogLogs' sparse runs grow and shrink inside the string).
     */
    public void splice(int offset, int removed, byte[] bytes, int length) {
        int newLength = this.length - removed + length;
        makeRoom(newLength);
        System.arraycopy(buffer, offset + removed, buffer, offset + length, this.length - offset - removed);
        System.arraycopy(bytes, 0, buffer, offset, length);
        if (newLength < this.length) {
            Arrays.fill(buffer, newLength, this.length, (byte) 0);
        }
        this.length = newLength;
    }

    /** Replaces the whole value with {@code value}, which this string owns from now on (no spare room). */
    public void replaceWith(byte[] value) {
        buffer = value;
        length = value.length;
        owned = true;
    }

    /** The value as a new array of its own. */
    public byte[] toBytes() {
        return Arrays.copyOf(buffer, length);
    }

    private void makeRoom(long needed) {
        if (owned && needed <= buffer.length) {
            return;
        }
        long room = needed <= length ? length : needed < MAX_PREALLOC ? needed * 2 : needed + MAX_PREALLOC;
        buffer = Arrays.copyOf(buffer, (int) Math.min(room, MAX_ARRAY_LENGTH));
        owned = true;
    }

    /** The length of a string value in either form. */
    public static int length(Object string) {
        return string instanceof GrowingString growing ? growing.length : ((byte[]) string).length;
    }

    /** Bytes {@code from} (inclusive) to {@code to} (exclusive) of a string value in either form, copied. */
    public static byte[] copyOfRange(Object string, int from, int to) {
        return Arrays.copyOfRange(bytesOf(string), from, to);
    }

    /** The array holding a string value in either form, to read its first {@link #length(Object)} bytes. */
    public static byte[] bytesOf(Object string) {
        return string instanceof GrowingString growing ? growing.buffer : (byte[]) string;
    }

    @Override
    public String typeName() {
        return "string";
    }

    /** Redis's encoding of a string changed in place. */
    @Override
    public String encoding() {
        return "raw";
    }

    @Override
    public TypedValue copy() {
        return new GrowingString(toBytes(), length);
    }

    /** The whole room counts, as Redis's MEMORY USAGE counts an sds string's allocation. */
    @Override
    public long memoryUsage(long samples) {
        return ObjectSizes.object(3) + ObjectSizes.byteArray(buffer.length);
    }
}
