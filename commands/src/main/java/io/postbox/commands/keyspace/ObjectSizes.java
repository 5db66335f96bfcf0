package io.postbox.commands.keyspace;

/**
 * Heap sizes of our own objects on a 64-bit JVM with compressed references (heaps under 32 GB, the
 * default): 12-byte object headers, 4-byte references, 8-byte alignment. MEMORY USAGE adds these up.
 */
public final class ObjectSizes {

    /** A reference, such as one bucket of a dict's table. */
    public static final int REFERENCE = 4;
    /** A {@link KeyEntry} or {@link ExpireEntry}: header, hash, key, next, and 8 bytes of payload. */
    public static final int DICT_ENTRY = 32;
    /** A {@link Dict} object without its tables: two table references and three ints. */
    public static final long DICT = object(5);

    private ObjectSizes() {
    }

    /** A {@code byte[]}: 16 bytes of header and length, then the bytes, rounded up to 8. */
    public static long byteArray(int length) {
        return align(16L + length);
    }

    /** An object with {@code fields} 4-byte fields (ints or references) after its header. */
    public static long object(int fields) {
        return align(12L + 4L * fields);
    }

    public static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }
}
