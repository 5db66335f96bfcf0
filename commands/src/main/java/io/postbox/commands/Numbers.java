package io.postbox.commands;

import java.nio.charset.StandardCharsets;

/** Number parsing and printing with Redis's rules (util.c's string2ll, ll2string, strtold checks). */
public final class Numbers {

    private Numbers() {
    }

    /** True if {@code text} is what Redis's string2ll accepts: optional '-', digits, no leading zero, in range. */
    public static boolean isLong(byte[] text) {
        return parse(text) != null;
    }

    /** string2ll, or {@code error} thrown if the text is not a canonical 64-bit integer. */
    public static long parseLong(byte[] text, io.postbox.resp.ErrorReply error) {
        Long value = parse(text);
        if (value == null) {
            throw error;
        }
        return value;
    }

    /** string2ll, or ERR value is not an integer or out of range. */
    public static long parseLong(byte[] text) {
        return parseLong(text, Errors.NOT_INTEGER);
    }

    /**
     * string2ll within {@code [min, max]}: Redis's getRangeLongFromObjectOrReply, whose error names the
     * range when the number is outside it.
     */
    public static long parseLongInRange(byte[] text, long min, long max) {
        long value = parseLong(text);
        if (value < min || value > max) {
            throw Errors.err("value is out of range, value must between " + min + " and " + max);
        }
        return value;
    }

    /** string2ll within {@code [min, max]}; {@code error} for anything else, a non-number included. */
    public static long parseLongInRange(byte[] text, long min, long max, io.postbox.resp.ErrorReply error) {
        long value = parseLong(text, error);
        if (value < min || value > max) {
            throw error;
        }
        return value;
    }

    private static Long parse(byte[] text) {
        int length = text.length;
        if (length == 0 || length > 20) {
            return null;
        }
        if (length == 1 && text[0] == '0') {
            return 0L;
        }
        int i = 0;
        boolean negative = text[0] == '-';
        if (negative) {
            i = 1;
            if (length == 1) {
                return null;
            }
        }
        if (text[i] < '1' || text[i] > '9') {
            return null;
        }
        // Accumulate as a negative number so Long.MIN_VALUE fits.
        long value = 0;
        for (; i < length; i++) {
            int digit = text[i] - '0';
            if (digit < 0 || digit > 9) {
                return null;
            }
            if (value < (Long.MIN_VALUE + digit) / 10) {
                return null;
            }
            value = value * 10 - digit;
        }
        if (!negative) {
            if (value == Long.MIN_VALUE) {
                return null;
            }
            value = -value;
        }
        return value;
    }

    /**
     * C's atoi, for arguments Redis reads with it: optional blanks and sign, then digits up to the first
     * other byte; 0 if none.
     */
    public static int atoi(byte[] text) {
        int i = 0;
        while (i < text.length && (text[i] == ' ' || text[i] >= '\t' && text[i] <= '\r')) {
            i++;
        }
        boolean negative = i < text.length && text[i] == '-';
        if (i < text.length && (text[i] == '-' || text[i] == '+')) {
            i++;
        }
        long value = 0;
        while (i < text.length && text[i] >= '0' && text[i] <= '9' && value <= Integer.MAX_VALUE) {
            value = value * 10 + text[i++] - '0';
        }
        return (int) (negative ? -value : value);
    }

    public static byte[] toBytes(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }
}
