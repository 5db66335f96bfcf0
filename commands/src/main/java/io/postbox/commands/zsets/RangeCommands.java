package io.postbox.commands.zsets;

import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;

/**
 * ZRANGE and its older and storing forms, all one mechanism as Redis's zrangeGenericCommand: a range
 * by rank, score or lex, in either direction, optionally LIMITed and WITHSCORES, replied or stored
 * with ZRANGESTORE. The older commands fix the kind and the direction, so the words that would
 * change them (BYSCORE, REV, ...) are syntax errors there.
 */
final class RangeCommands {

    private static final ErrorReply LIMIT_WITHOUT_BY =
            Errors.err("syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
    private static final ErrorReply LEX_WITH_SCORES =
            Errors.err("syntax error, WITHSCORES not supported in combination with BYLEX");

    /** What the two range arguments are; AUTO until an option (or the command) says. */
    private enum Kind { AUTO, RANK, SCORE, LEX }

    private enum Direction { AUTO, FORWARD, REVERSE }

    /** The members a range selects: {@code count} of them from {@code rank}, going down if {@code descending}. */
    private record Selection(int rank, int count, boolean descending) {
        static final Selection NONE = new Selection(0, 0, false);
    }

    private RangeCommands() {
    }

    static void zrange(Invocation call) {
        range(call, 1, Kind.AUTO, Direction.AUTO, false);
    }

    static void zrangestore(Invocation call) {
        range(call, 2, Kind.AUTO, Direction.AUTO, true);
    }

    static void zrevrange(Invocation call) {
        range(call, 1, Kind.RANK, Direction.REVERSE, false);
    }

    static void zrangebyscore(Invocation call) {
        range(call, 1, Kind.SCORE, Direction.FORWARD, false);
    }

    static void zrevrangebyscore(Invocation call) {
        range(call, 1, Kind.SCORE, Direction.REVERSE, false);
    }

    static void zrangebylex(Invocation call) {
        range(call, 1, Kind.LEX, Direction.FORWARD, false);
    }

    static void zrevrangebylex(Invocation call) {
        range(call, 1, Kind.LEX, Direction.REVERSE, false);
    }

    /**
     * The source key is at {@code keyIndex}, followed by the two ends of the range and the options.
     * Redis's order of checks: options, their conflicts, the range, then the key.
     */
    private static void range(Invocation call, int keyIndex, Kind kind, Direction direction, boolean store) {
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        for (int j = keyIndex + 3; j < call.argc(); j++) {
            int following = call.argc() - j - 1;
            if (!store && Arguments.is(call, j, "withscores")) {
                withScores = true;
            } else if (Arguments.is(call, j, "limit") && following >= 2) {
                offset = call.longArg(j + 1);
                limit = call.longArg(j + 2);
                j += 2;
            } else if (direction == Direction.AUTO && Arguments.is(call, j, "rev")) {
                direction = Direction.REVERSE;
            } else if (kind == Kind.AUTO && Arguments.is(call, j, "bylex")) {
                kind = Kind.LEX;
            } else if (kind == Kind.AUTO && Arguments.is(call, j, "byscore")) {
                kind = Kind.SCORE;
            } else {
                throw Errors.SYNTAX;
            }
        }
        if (kind == Kind.AUTO) {
            kind = Kind.RANK;
        }
        // An explicit "LIMIT x -1" is no limit, so Redis lets it pass with a rank range.
        if (limit != -1 && kind == Kind.RANK) {
            throw LIMIT_WITHOUT_BY;
        }
        if (withScores && kind == Kind.LEX) {
            throw LEX_WITH_SCORES;
        }
        boolean reverse = direction == Direction.REVERSE;
        // Reversed score and lex ranges are written max first.
        byte[] min = call.arg(keyIndex + (reverse && kind != Kind.RANK ? 2 : 1));
        byte[] max = call.arg(keyIndex + (reverse && kind != Kind.RANK ? 1 : 2));
        long start = 0;
        long stop = 0;
        Range range = null;
        switch (kind) {
            case RANK -> {
                start = call.longArg(keyIndex + 1);
                stop = call.longArg(keyIndex + 2);
            }
            case SCORE -> range = ScoreRange.parse(min, max);
            default -> range = LexRange.parse(min, max);
        }
        SortedSet set = call.db().get(call.arg(keyIndex), SortedSet.class);
        Selection selection = Selection.NONE;
        if (set != null) {
            selection = range == null ? byRank(set, start, stop, reverse) : byRange(set, range, offset, limit, reverse);
        }
        if (store) {
            // Members are added in the order of the range, as Redis adds them (it matters for -0).
            PackedLimits limits = PackedLimits.of(call.engine().config());
            SortedSet result = SortedSet.forSize(selection.count(), limits);
            if (set != null) {
                set.visit(selection.rank(), selection.count(), selection.descending(),
                        (member, score) -> result.insert(member, score, limits));
            }
            SortedSetStore.store(call, call.arg(1), result, "zrangestore");
            return;
        }
        Reply reply = call.reply();
        EntryReply shape = EntryReply.of(reply, withScores);
        shape.begin(reply, selection.count());
        if (set != null) {
            set.visit(selection.rank(), selection.count(), selection.descending(), shape.to(reply));
        }
    }

    /** Ranks {@code start} to {@code stop}, counted from the highest score when {@code reverse}. */
    private static Selection byRank(SortedSet set, long start, long stop, boolean reverse) {
        RankSpan span = RankSpan.ofIndexes(set.cardinality(), start, stop);
        if (span.count() == 0) {
            return Selection.NONE;
        }
        return reverse ? new Selection(set.cardinality() - 1 - span.first(), span.count(), true)
                : new Selection(span.first(), span.count(), false);
    }

    /**
     * The members of {@code range}, skipping {@code offset} of them and keeping at most {@code limit}
     * (all if negative), from its low end or, if {@code reverse}, its high end; a negative offset
     * selects nothing, as in Redis. Only the kept members
     * are walked, from the rank the offset lands on: a queue's "first due message" (LIMIT 0 1) on a
     * large set costs one descent of the skip list, not a count of everything due.
     */
    private static Selection byRange(SortedSet set, Range range, long offset, long limit, boolean reverse) {
        if (offset < 0 || offset >= set.cardinality()) {
            return Selection.NONE;
        }
        long rank = reverse ? set.endRank(range) - 1 - offset : set.startRank(range) + offset;
        if (rank < 0 || rank >= set.cardinality()) {
            return Selection.NONE;
        }
        int max = limit < 0 ? Integer.MAX_VALUE : (int) Math.min(limit, Integer.MAX_VALUE);
        return new Selection((int) rank, set.countInRange((int) rank, max, reverse, range), reverse);
    }
}
