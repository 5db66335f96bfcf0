package io.postbox.resp;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Scans a length line ({@code *3\r\n}, {@code $5\r\n}) in one pass over the buffer: finds where it
 * ends as Redis's strchr does (at the first '\r', and never past a NUL byte) while parsing the number
 * after the type byte as Redis's string2ll does: an optional '-', then digits with no leading zero (a
 * lone "0" aside), no '+' or spaces, at most 20 characters, within a signed 64-bit range.
 *
 * <p>Reused for every line of one connection; not thread-safe.
 */
final class LengthLine implements ByteProcessor {

    /** The value of a line whose number is not valid. */
    static final long INVALID = Long.MIN_VALUE;
    private static final int MAX_CHARS = 20;

    private int chars;
    private int digits;
    private boolean negative;
    private boolean leadingZero;
    private boolean valid;
    private long value;
    private byte terminator;

    /**
     * Scans the line starting at {@code from}, whose first byte is its type. Returns the index of the
     * line's '\r', or -1 when the input ends, or a NUL comes, before one.
     */
    int scan(ByteBuf in, int from) {
        chars = -1; // the type byte is not part of the number
        digits = 0;
        negative = false;
        leadingZero = false;
        valid = true;
        value = 0;
        int length = in.writerIndex() - from;
        if (length <= 0) {
            return -1;
        }
        int end = in.forEachByte(from, length, this);
        return end >= 0 && terminator == '\r' ? end : -1;
    }

    @Override
    public boolean process(byte b) {
        if (b == '\r' || b == 0) {
            terminator = b;
            return false;
        }
        chars++;
        if (chars == 0 || !valid) {
            return true;
        }
        if (chars == 1 && b == '-') {
            negative = true;
            return true;
        }
        int digit = b - '0';
        if (digit < 0 || digit > 9 || chars > MAX_CHARS || (leadingZero && digits > 0)) {
            valid = false;
            return true;
        }
        leadingZero |= digits == 0 && digit == 0;
        digits++;
        // Accumulated as a negative number so that Long.MIN_VALUE fits.
        if (value < (Long.MIN_VALUE + digit) / 10) {
            valid = false;
        } else {
            value = value * 10 - digit;
        }
        return true;
    }

    /**
     * The number on the scanned line, or {@link #INVALID}. Every valid negative number comes back as
     * -1: no caller tells negatives apart, and Long.MIN_VALUE stays free as the marker.
     */
    long value() {
        if (!valid || digits == 0 || (leadingZero && negative)) {
            return INVALID;
        }
        if (negative) {
            return -1;
        }
        return value == Long.MIN_VALUE ? INVALID : -value;
    }
}
