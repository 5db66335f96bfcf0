package io.postbox.commands.zsets;

import io.postbox.commands.Errors;
import io.postbox.resp.ErrorReply;
import java.util.Arrays;

/**
 * Members from {@code min} to {@code max} in byte order, for sets whose members share one score. Each
 * end is written {@code [member} (included), {@code (member} (excluded), {@code -} (below every
 * member) or {@code +} (above every member), as Redis's zslParseLexRange reads them; Redis checks
 * that nothing follows {@code -} or {@code +} only up to a NUL byte.
 */
record LexRange(Bound min, Bound max) implements Range {

    static final ErrorReply NOT_A_RANGE_ITEM = Errors.err("min or max not valid string range item");

    /**
     * One end: {@code infinity} is -1 for {@code -}, 1 for {@code +}, 0 for a member given by
     * {@code value}.
     */
    record Bound(byte[] value, boolean exclusive, int infinity) {

        /** Where the element {@code bytes[from, to)} sorts against this end: negative, 0 or positive. */
        int compare(byte[] bytes, int from, int to) {
            return infinity != 0 ? -infinity : Arrays.compareUnsigned(bytes, from, to, value, 0, value.length);
        }
    }

    static LexRange parse(byte[] min, byte[] max) {
        return new LexRange(bound(min), bound(max));
    }

    private static Bound bound(byte[] item) {
        if (item.length == 0) {
            throw NOT_A_RANGE_ITEM;
        }
        return switch (item[0]) {
            case '-' -> endOfText(item) ? new Bound(null, true, -1) : fail();
            case '+' -> endOfText(item) ? new Bound(null, true, 1) : fail();
            case '(' -> new Bound(Arrays.copyOfRange(item, 1, item.length), true, 0);
            case '[' -> new Bound(Arrays.copyOfRange(item, 1, item.length), false, 0);
            default -> fail();
        };
    }

    /** True if the item is one character as a C string: nothing after it, or a NUL byte. */
    private static boolean endOfText(byte[] item) {
        return item.length == 1 || item[1] == 0;
    }

    private static Bound fail() {
        throw NOT_A_RANGE_ITEM;
    }

    @Override
    public boolean before(double score, byte[] bytes, int from, int to) {
        int c = min.compare(bytes, from, to);
        return min.exclusive ? c <= 0 : c < 0;
    }

    @Override
    public boolean after(double score, byte[] bytes, int from, int to) {
        int c = max.compare(bytes, from, to);
        return max.exclusive ? c >= 0 : c > 0;
    }

    @Override
    public boolean readsMembers() {
        return true;
    }
}
