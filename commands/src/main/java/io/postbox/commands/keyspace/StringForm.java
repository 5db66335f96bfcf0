package io.postbox.commands.keyspace;

import io.postbox.commands.Numbers;

/**
 * How a string value was last written, which decides its OBJECT ENCODING and REFCOUNT as a Redis
 * object's encoding does: Redis re-encodes a value that SET stores, but not a string it builds
 * (INCRBYFLOAT's result) or changes in place (APPEND, SETRANGE). Each key keeps its form beside its
 * access clock ({@link KeyEntry}); RENAME, MOVE and COPY keep it, a load from disk re-encodes.
 */
public enum StringForm {

    /** Re-encoded as SET stores it: {@code int} for an integer, else {@code embstr} or {@code raw} by length. */
    ENCODED,
    /** Built as a new string: {@code embstr} or {@code raw} by length, even for an integer. */
    BUILT,
    /** Changed in place: {@code raw}, whatever its content. */
    RAW;

    /** Strings up to this length are {@code embstr} in Redis: one allocation with the object header. */
    static final int EMBSTR_LIMIT = 44;
    /** Redis shares one object for each integer below this (OBJECT REFCOUNT shows INT_MAX). */
    static final long SHARED_INTEGERS = 10_000;

    /** OBJECT ENCODING of {@code value} written in this form. */
    String encoding(byte[] value) {
        if (this == RAW) {
            return "raw";
        }
        if (this == ENCODED && Numbers.isLong(value)) {
            return "int";
        }
        return value.length <= EMBSTR_LIMIT ? "embstr" : "raw";
    }

    /** OBJECT REFCOUNT: a small non-negative integer SET stored is one shared object in Redis, all else is 1. */
    long refcount(byte[] value) {
        if (this == ENCODED && Numbers.isLong(value)) {
            long number = Numbers.parseLong(value);
            if (number >= 0 && number < SHARED_INTEGERS) {
                return Integer.MAX_VALUE;
            }
        }
        return 1;
    }
}
