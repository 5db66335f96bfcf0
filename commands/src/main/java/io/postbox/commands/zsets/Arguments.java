package io.postbox.commands.zsets;

import io.postbox.commands.Ascii;
import io.postbox.commands.Invocation;
import io.postbox.commands.Numbers;
import io.postbox.resp.ErrorReply;

/** Reading the arguments of sorted-set commands as Redis reads them. */
final class Arguments {


    private Arguments() {
    }

    /** Whether argument {@code i} is the option {@code lowerWord}: strcasecmp, so up to a NUL byte. */
    static boolean is(Invocation call, int i, String lowerWord) {
        return Ascii.equalsIgnoreCaseUpToNul(call.arg(i), lowerWord);
    }

    /** A count that must be 0 or more; {@code error} for anything else, a non-number included. */
    static long nonNegative(Invocation call, int i, ErrorReply error) {
        return Numbers.parseLongInRange(call.arg(i), 0, Long.MAX_VALUE, error);
    }

    /** A number from {@code min} to {@code max}; {@code error} for anything else, a non-number included. */
    static long inRange(Invocation call, int i, long min, long max, ErrorReply error) {
        return Numbers.parseLongInRange(call.arg(i), min, max, error);
    }
}
