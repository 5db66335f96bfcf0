package io.postbox.commands.keyspace;

import io.postbox.commands.Numbers;

/**
 * A value of one of the aggregate types (list, set, zset, hash, stream) as the keyspace sees it:
 * what TYPE, OBJECT ENCODING, COPY and MEMORY USAGE need. Strings are stored as plain
 * {@code byte[]} and need no wrapper; the static methods here answer for both.
 */
public interface TypedValue {

    /** TYPE's answer: {@code list}, {@code set}, {@code zset}, {@code hash}, {@code stream}. */
    String typeName();

    /** OBJECT ENCODING's answer, such as {@code listpack} or {@code quicklist}. */
    String encoding();

    /** An independent deep copy (COPY): changing one must never change the other. */
    TypedValue copy();

    /**
     * Estimated heap bytes of the value (MEMORY USAGE), measuring at most {@code samples} elements
     * of an aggregate and extrapolating; {@code Long.MAX_VALUE} measures all of them.
     */
    long memoryUsage(long samples);

    /** Strings up to this length are {@code embstr} in Redis: one allocation with the object header. */
    int EMBSTR_LIMIT = 44;
    /** Redis shares one object for each integer below this (OBJECT REFCOUNT shows INT_MAX). */
    long SHARED_INTEGERS = 10_000;

    static String typeName(Object value) {
        return value instanceof byte[] ? "string" : ((TypedValue) value).typeName();
    }

    /** A string's encoding follows from its content, as Redis's tryObjectEncoding decides it on SET. */
    static String encoding(Object value) {
        if (value instanceof byte[] bytes) {
            if (Numbers.isLong(bytes)) {
                return "int";
            }
            return bytes.length <= EMBSTR_LIMIT ? "embstr" : "raw";
        }
        return ((TypedValue) value).encoding();
    }

    static Object copy(Object value) {
        return value instanceof byte[] bytes ? bytes.clone() : ((TypedValue) value).copy();
    }

    static long memoryUsage(Object value, long samples) {
        return value instanceof byte[] bytes ? ObjectSizes.byteArray(bytes.length) : ((TypedValue) value).memoryUsage(samples);
    }

    /** OBJECT REFCOUNT: small non-negative integers are one shared object in Redis, all else is 1. */
    static long refcount(Object value) {
        if (value instanceof byte[] bytes && Numbers.isLong(bytes)) {
            long number = Numbers.parseLong(bytes);
            if (number >= 0 && number < SHARED_INTEGERS) {
                return Integer.MAX_VALUE;
            }
        }
        return 1;
    }
}
