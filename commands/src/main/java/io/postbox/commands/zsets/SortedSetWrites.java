package io.postbox.commands.zsets;

import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.keyspace.Notify;
import io.postbox.resp.ErrorReply;
import java.util.function.Function;

/**
 * The commands that add, rescore and remove members: ZADD, ZINCRBY, ZREM and the ZREMRANGEBY family.
 *
 * <p>Every write ends the same way ({@link #changed}): a set left empty is deleted, any other changed
 * set is signalled modified; a set created by the command is stored, which signals it.
 */
final class SortedSetWrites {

    private static final ErrorReply XX_AND_NX = Errors.err("XX and NX options at the same time are not compatible");
    private static final ErrorReply GT_LT_NX =
            Errors.err("GT, LT, and/or NX options at the same time are not compatible");
    private static final ErrorReply INCR_PAIRS = Errors.err("INCR option supports a single increment-element pair");

    private SortedSetWrites() {
    }

    /** ZADD's options, and where its score/member pairs start. */
    private record AddOptions(boolean nx, boolean xx, boolean gt, boolean lt, boolean ch, boolean incr, int firstPair) {
    }

    static void zadd(Invocation call) {
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        boolean ch = false;
        boolean incr = false;
        int i = 2;
        for (; i < call.argc(); i++) {
            if (Arguments.is(call, i, "nx")) {
                nx = true;
            } else if (Arguments.is(call, i, "xx")) {
                xx = true;
            } else if (Arguments.is(call, i, "gt")) {
                gt = true;
            } else if (Arguments.is(call, i, "lt")) {
                lt = true;
            } else if (Arguments.is(call, i, "ch")) {
                ch = true;
            } else if (Arguments.is(call, i, "incr")) {
                incr = true;
            } else {
                break;
            }
        }
        int elements = call.argc() - i;
        if (elements == 0 || elements % 2 != 0) {
            throw Errors.SYNTAX;
        }
        if (nx && xx) {
            throw XX_AND_NX;
        }
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            throw GT_LT_NX;
        }
        if (incr && elements > 2) {
            throw INCR_PAIRS;
        }
        add(call, new AddOptions(nx, xx, gt, lt, ch, incr, i));
    }

    /** ZINCRBY key increment member: ZADD key INCR increment member, replying the new score. */
    static void zincrby(Invocation call) {
        add(call, new AddOptions(false, false, false, false, false, true, 2));
    }

    /**
     * Redis's zsetAdd for each pair, after every score has been read. NX and XX skip members that are
     * present or absent; GT and LT skip updates that would not raise or lower the score (new members
     * are added regardless); INCR adds to the current score and refuses a NaN sum. With INCR the
     * reply is the new score, or null if the member was skipped; otherwise the number of members
     * added (and, with CH, updated).
     */
    private static void add(Invocation call, AddOptions options) {
        int pairs = (call.argc() - options.firstPair()) / 2;
        double[] scores = new double[pairs];
        for (int j = 0; j < pairs; j++) {
            scores[j] = Scores.parse(call.arg(options.firstPair() + 2 * j));
        }
        byte[] key = call.arg(1);
        Database db = call.db();
        SortedSet set = db.getForWrite(key, SortedSet.class);
        boolean created = set == null;
        if (created && options.xx()) {
            replyAdded(call, options, 0, 0, 0, 0);
            return;
        }
        if (created) {
            set = new SortedSet();
        }
        PackedLimits limits = PackedLimits.of(call.engine().config());
        int added = 0;
        int updated = 0;
        int processed = 0;
        double last = 0;
        for (int j = 0; j < pairs; j++) {
            byte[] member = call.arg(options.firstPair() + 2 * j + 1);
            double score = scores[j];
            double current = set.score(member);
            if (Double.isNaN(current)) {
                if (options.xx()) {
                    continue;
                }
                set.insert(member, score, limits);
                added++;
            } else {
                if (options.nx()) {
                    continue;
                }
                if (options.incr()) {
                    score += current;
                    if (Double.isNaN(score)) {
                        // Only INCR gets here, with its single pair: nothing has changed yet.
                        throw Scores.NAN_RESULT;
                    }
                }
                if ((options.lt() && score >= current) || (options.gt() && score <= current)) {
                    continue;
                }
                if (score != current) {
                    set.updateScore(member, score);
                    updated++;
                }
            }
            processed++;
            last = score;
        }
        if (created) {
            db.set(key, set);
            // Redis counts each member added or updated; storing the set counted the first.
            db.countChanges(added + updated - 1);
        } else if (added + updated > 0) {
            db.modified(key, added + updated);
        }
        replyAdded(call, options, added, updated, processed, last);
        if (added + updated > 0) {
            db.notify(Notify.ZSET, options.incr() ? "zincr" : "zadd", key);
        }
    }

    private static void replyAdded(Invocation call, AddOptions options, int added, int updated, int processed,
                                   double score) {
        if (!options.incr()) {
            call.reply().integer(options.ch() ? added + updated : added);
        } else if (processed > 0) {
            call.reply().doubleValue(score);
        } else {
            call.reply().nullBulk();
        }
    }

    static void zrem(Invocation call) {
        byte[] key = call.arg(1);
        SortedSet set = call.db().getForWrite(key, SortedSet.class);
        int deleted = 0;
        if (set != null) {
            for (int i = 2; i < call.argc() && set.cardinality() > 0; i++) {
                if (set.remove(call.arg(i))) {
                    deleted++;
                }
            }
            if (deleted > 0) {
                changed(call.db(), key, set, "zrem", deleted);
            }
        }
        call.reply().integer(deleted);
    }

    static void zremrangebyrank(Invocation call) {
        long start = call.longArg(2);
        long stop = call.longArg(3);
        removeRange(call, "zremrangebyrank", set -> RankSpan.ofIndexes(set.cardinality(), start, stop));
    }

    static void zremrangebyscore(Invocation call) {
        ScoreRange range = ScoreRange.parse(call.arg(2), call.arg(3));
        removeRange(call, "zremrangebyscore", set -> set.span(range));
    }

    static void zremrangebylex(Invocation call) {
        LexRange range = LexRange.parse(call.arg(2), call.arg(3));
        removeRange(call, "zremrangebylex", set -> set.span(range));
    }

    /** Removes the members the range names (its arguments were read first) and replies how many. */
    private static void removeRange(Invocation call, String event, Function<SortedSet, RankSpan> range) {
        byte[] key = call.arg(1);
        SortedSet set = call.db().getForWrite(key, SortedSet.class);
        int removed = 0;
        if (set != null) {
            RankSpan span = range.apply(set);
            set.deleteRanks(span.first(), span.count());
            removed = span.count();
            if (removed > 0) {
                changed(call.db(), key, set, event, removed);
            }
        }
        call.reply().integer(removed);
    }

    /**
     * The end of every write to an existing set: the command's keyspace {@code event}, then an empty
     * set disappears (with a {@code del} event), any other is signalled. Counts {@code changes}
     * changes, as Redis's dirty counter counts the command: one per member removed.
     */
    static void changed(Database db, byte[] key, SortedSet set, String event, long changes) {
        db.notify(Notify.ZSET, event, key);
        ended(db, key, set, changes);
    }

    /**
     * After a set changed and its event went out: an empty set disappears (with {@code del}), any other
     * is signalled; {@code changes} changes are counted either way.
     */
    static void ended(Database db, byte[] key, SortedSet set, long changes) {
        if (set.cardinality() == 0) {
            db.delete(key, changes);
            db.notify(Notify.GENERIC, "del", key);
        } else {
            db.modified(key, changes);
        }
    }
}
