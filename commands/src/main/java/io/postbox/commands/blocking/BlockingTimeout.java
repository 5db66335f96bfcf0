package io.postbox.commands.blocking;

import io.postbox.commands.Errors;
import io.postbox.commands.strings.LongDouble;
import io.postbox.resp.ErrorReply;

/**
 * The timeout argument of the blocking commands: seconds as a C {@code long double}, turned into
 * milliseconds as Redis 7.0 on x86-64 does, {@code (long long) ceill(seconds * 1000)}. So a fraction of
 * a millisecond waits a whole one, "-0.0001" rounds up to 0 and waits for ever, and a value too large for
 * a long becomes negative. "0x10" (strtold's hexadecimal) is 16 seconds.
 */
public final class BlockingTimeout {

    private static final ErrorReply NOT_A_FLOAT = Errors.err("timeout is not a float or out of range");
    private static final ErrorReply NEGATIVE = Errors.err("timeout is negative");
    /** Whole seconds up to this many digits convert exactly without the long double arithmetic. */
    private static final int PLAIN_DIGITS = 9;

    private BlockingTimeout() {
    }

    /** Milliseconds to wait, 0 meaning for ever; or Redis's error for a bad or negative timeout. */
    public static long millis(byte[] seconds) {
        long whole = plainSeconds(seconds);
        if (whole >= 0) {
            return whole * 1000;
        }
        LongDouble parsed = LongDouble.parse(seconds);
        if (parsed == null) {
            throw NOT_A_FLOAT;
        }
        long millis = parsed.times(1000).ceilToLong();
        if (millis < 0) {
            throw NEGATIVE;
        }
        return millis;
    }

    /** The usual case, a short run of decimal digits, read directly; -1 for anything else. */
    private static long plainSeconds(byte[] text) {
        if (text.length == 0 || text.length > PLAIN_DIGITS) {
            return -1;
        }
        long value = 0;
        for (byte b : text) {
            if (b < '0' || b > '9') {
                return -1;
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }
}
