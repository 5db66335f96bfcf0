package io.postbox.commands.strings;

import io.postbox.commands.Errors;
import io.postbox.commands.Numbers;
import io.postbox.resp.ErrorReply;

/**
 * The four ways a string command is told when its key expires: EX and PX are relative to now, in
 * seconds and milliseconds; EXAT and PXAT are absolute Unix times. SET, GETEX, SETEX and PSETEX all
 * turn their argument into an expiry time here.
 */
enum Expiry {
    EX(1000, true),
    PX(1, true),
    EXAT(1000, false),
    PXAT(1, false);

    private final long millisPerUnit;
    private final boolean relative;

    Expiry(long millisPerUnit, boolean relative) {
        this.millisPerUnit = millisPerUnit;
        this.relative = relative;
    }

    /**
     * The expiry time in Unix milliseconds that {@code argument} means at {@code now}. The argument
     * must be an integer ({@code ERR value is not an integer or out of range}) that is positive and
     * whose time in milliseconds fits in 64 bits ({@code ERR invalid expire time in '<command>'
     * command}, as Redis words it with the command's name).
     */
    long unixMillis(byte[] argument, long now, String commandName) {
        long amount = Numbers.parseLong(argument);
        if (amount <= 0 || amount > Long.MAX_VALUE / millisPerUnit) {
            throw invalid(commandName);
        }
        long millis = amount * millisPerUnit;
        if (relative) {
            // Redis adds in 64-bit arithmetic and treats a wrapped, non-positive sum as the overflow.
            millis += now;
        }
        if (millis <= 0) {
            throw invalid(commandName);
        }
        return millis;
    }

    private static ErrorReply invalid(String commandName) {
        return Errors.err("invalid expire time in '" + commandName + "' command");
    }
}
