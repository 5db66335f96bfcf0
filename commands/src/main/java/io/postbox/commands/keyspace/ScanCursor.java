package io.postbox.commands.keyspace;

import io.postbox.commands.Errors;
import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;

/**
 * The cursor of the SCAN family: an unsigned 64-bit number in decimal, parsed with the leniency of
 * C's strtoul as Redis uses it (an optional sign, a negative number wraps around, the empty string is
 * 0, the text ends at a NUL byte) but no leading space, no trailing garbage and no overflow.
 */
public final class ScanCursor {

    public static final ErrorReply INVALID = Errors.err("invalid cursor");
    private static final long MAX_BEFORE_LAST_DIGIT = Long.divideUnsigned(-1L, 10);
    private static final int MAX_LAST_DIGIT = (int) Long.remainderUnsigned(-1L, 10);

    private ScanCursor() {
    }

    public static long parse(byte[] text) {
        int end = 0;
        while (end < text.length && text[end] != 0) {
            end++;
        }
        if (end == 0) {
            return 0;
        }
        if (isSpace(text[0])) {
            throw INVALID;
        }
        int i = 0;
        boolean negative = text[0] == '-';
        if (negative || text[0] == '+') {
            i++;
        }
        if (i == end) {
            throw INVALID;
        }
        long value = 0;
        for (; i < end; i++) {
            int digit = text[i] - '0';
            if (digit < 0 || digit > 9) {
                throw INVALID;
            }
            int compared = Long.compareUnsigned(value, MAX_BEFORE_LAST_DIGIT);
            if (compared > 0 || (compared == 0 && digit > MAX_LAST_DIGIT)) {
                throw INVALID;
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }

    /** The cursor as the reply's bulk string: unsigned decimal. */
    public static byte[] format(long cursor) {
        return Long.toUnsignedString(cursor).getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }
}
