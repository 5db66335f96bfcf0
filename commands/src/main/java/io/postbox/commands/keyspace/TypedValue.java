package io.postbox.commands.keyspace;

/**
 * A value of one of the aggregate types (list, set, zset, hash, stream) as the keyspace sees it:
 * what TYPE, OBJECT ENCODING, COPY and MEMORY USAGE need. Strings are stored as plain
 * {@code byte[]} and need no wrapper, except while commands change one in place ({@link GrowingString});
 * the static methods here answer for both (a string's encoding also depends on how it was written,
 * see {@link StringForm}).
 */
public interface TypedValue {

    /** TYPE's answer: {@code list}, {@code set}, {@code zset}, {@code hash}, {@code stream}. */
    String typeName();

    /** OBJECT ENCODING's answer, such as {@code listpack} or {@code quicklist}. */
    String encoding();

    /** What DEBUG OBJECT adds about this encoding's layout, each item after a space; empty for most. */
    default String layoutDetails() {
        return "";
    }

    /** An independent deep copy (COPY): changing one must never change the other. */
    TypedValue copy();

    /**
     * Estimated heap bytes of the value (MEMORY USAGE), measuring at most {@code samples} elements
     * of an aggregate and extrapolating; {@code Long.MAX_VALUE} measures all of them.
     */
    long memoryUsage(long samples);

    static String typeName(Object value) {
        return value instanceof byte[] ? "string" : ((TypedValue) value).typeName();
    }

    static Object copy(Object value) {
        return value instanceof byte[] bytes ? bytes.clone() : ((TypedValue) value).copy();
    }

    static long memoryUsage(Object value, long samples) {
        return value instanceof byte[] bytes ? ObjectSizes.byteArray(bytes.length) : ((TypedValue) value).memoryUsage(samples);
    }
}
