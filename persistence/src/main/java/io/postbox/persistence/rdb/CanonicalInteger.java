package io.postbox.persistence.rdb;

import java.nio.charset.StandardCharsets;

/**
 * Whether a byte string is an integer written the one way Redis writes it (its string2ll: an optional
 * '-', digits, no leading zero, no "-0", within 64 bits). Such strings are stored as numbers by RDB
 * string encoding and by listpacks, and read back as the same text. A parse leaves its result in the
 * instance, so the hot paths allocate nothing: one instance per thread.
 */
final class CanonicalInteger {

    private long value;

    /** True if the {@code length} bytes at {@code offset} are a canonical integer; then {@link #value()} has it. */
    boolean parse(byte[] text, int offset, int length) {
        if (length == 0 || length > 20) {
            return false;
        }
        if (length == 1 && text[offset] == '0') {
            value = 0;
            return true;
        }
        int i = offset;
        int end = offset + length;
        boolean negative = text[i] == '-';
        if (negative && ++i == end) {
            return false;
        }
        if (text[i] < '1' || text[i] > '9') {
            return false;
        }
        long accumulated = 0; // negative, so Long.MIN_VALUE fits
        for (; i < end; i++) {
            int digit = text[i] - '0';
            if (digit < 0 || digit > 9 || accumulated < (Long.MIN_VALUE + digit) / 10) {
                return false;
            }
            accumulated = accumulated * 10 - digit;
        }
        if (!negative) {
            if (accumulated == Long.MIN_VALUE) {
                return false;
            }
            accumulated = -accumulated;
        }
        value = accumulated;
        return true;
    }

    /** False if the {@code length} bytes at {@code offset} cannot be a canonical integer: empty, or not starting with a digit or '-'. */
    static boolean mayBe(byte[] text, int offset, int length) {
        if (length == 0) {
            return false;
        }
        byte first = text[offset];
        return first == '-' || (first >= '0' && first <= '9');
    }

    long value() {
        return value;
    }

    static byte[] format(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }
}
