package io.postbox.commands.zsets;

/** The members of ranks {@code [first, first + count)} of a sorted set; {@code count} may be 0. */
record RankSpan(int first, int count) {

    static final RankSpan EMPTY = new RankSpan(0, 0);

    /**
     * The ranks from {@code start} to {@code stop} inclusive in a set of {@code size} members, where
     * negative indexes count from the end (-1 is the last), clamped to the set as Redis does.
     */
    static RankSpan ofIndexes(int size, long start, long stop) {
        if (start < 0) {
            start += size;
        }
        if (stop < 0) {
            stop += size;
        }
        if (start < 0) {
            start = 0;
        }
        // Invariant: start >= 0, so this is also true when stop is still negative.
        if (start > stop || start >= size) {
            return EMPTY;
        }
        if (stop >= size) {
            stop = size - 1;
        }
        return new RankSpan((int) start, (int) (stop - start + 1));
    }
}
