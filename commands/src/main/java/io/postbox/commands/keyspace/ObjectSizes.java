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

    private ObjectSizes() {
    }

    /** A {@code byte[]}: 16 bytes of header and length, then the bytes, rounded up to 8. */
    public static long byteArray(int length) {
        return align(16L + length);
    }

    public static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }
}
