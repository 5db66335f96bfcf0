package io.postbox.commands.zsets;

import io.postbox.commands.Errors;
import io.postbox.resp.ErrorReply;
import java.util.Arrays;

/**
 * Scores as Redis reads them from arguments (its {@code string2d}): the whole argument must be one
 * number as C's strtod reads it, with no leading space, no overflow to infinity and no underflow to
 * zero; {@code inf}, {@code -inf} and hexadecimal floats are numbers, NaN is not.
 */
public final class Scores {

    static final ErrorReply NAN_RESULT = Errors.err("resulting score is not a number (NaN)");

    private Scores() {
    }

    /** The score in {@code text}, or ERR value is not a valid float. */
    public static double parse(byte[] text) {
        return parse(text, Errors.NOT_FLOAT);
    }

    /** The number in {@code text}, or {@code error} thrown if it is not one. */
    public static double parse(byte[] text, ErrorReply error) {
        if (text.length == 0 || text[0] == ' ' || (text[0] >= '\t' && text[0] <= '\r')) {
            throw error;
        }
        Strtod number = Strtod.parse(text, 0);
        if (number.end() != text.length || number.range() || Double.isNaN(number.value())) {
            throw error;
        }
        return number.value();
    }

    /**
     * The order of the members of a sorted set, for the member {@code bytes[from, to)} with
     * {@code score} against another: by score, then by the bytes of the member compared as unsigned
     * (memcmp), a shorter member before a longer one it begins. Scores compare as numbers, so -0 and 0
     * are the same score.
     */
    static int compare(double score, byte[] bytes, int from, int to, double otherScore, byte[] otherMember) {
        if (score < otherScore) {
            return -1;
        }
        if (score > otherScore) {
            return 1;
        }
        return Arrays.compareUnsigned(bytes, from, to, otherMember, 0, otherMember.length);
    }
}
