package io.postbox.commands.zsets;

import io.postbox.commands.Errors;
import io.postbox.resp.ErrorReply;

/**
 * Scores from {@code min} to {@code max}, each end included unless exclusive. Parsed as Redis's
 * zslParseRange does: a leading {@code (} makes an end exclusive, and the rest is read by C's strtod
 * up to the first NUL byte, so leading spaces, {@code inf}, hexadecimal floats and even the empty
 * string (0) pass, while trailing text and NaN do not; an overflow is simply infinite.
 */
record ScoreRange(double min, boolean minExclusive, double max, boolean maxExclusive) implements Range {

    static final ErrorReply NOT_A_FLOAT = Errors.err("min or max is not a float");

    static ScoreRange parse(byte[] min, byte[] max) {
        boolean minExclusive = min.length > 0 && min[0] == '(';
        boolean maxExclusive = max.length > 0 && max[0] == '(';
        return new ScoreRange(bound(min, minExclusive), minExclusive, bound(max, maxExclusive), maxExclusive);
    }

    private static double bound(byte[] text, boolean exclusive) {
        Strtod number = Strtod.parse(text, exclusive ? 1 : 0);
        if ((number.end() < text.length && text[number.end()] != 0) || Double.isNaN(number.value())) {
            throw NOT_A_FLOAT;
        }
        return number.value();
    }

    @Override
    public boolean before(double score, byte[] bytes, int from, int to) {
        return minExclusive ? score <= min : score < min;
    }

    @Override
    public boolean after(double score, byte[] bytes, int from, int to) {
        return maxExclusive ? score >= max : score > max;
    }

    @Override
    public boolean readsMembers() {
        return false;
    }
}
