package io.postbox.commands.zsets;

import io.postbox.commands.Client;
import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.keyspace.ScanCursor;
import io.postbox.commands.keyspace.ScanOptions;
import io.postbox.resp.DoubleFormat;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The commands that read one sorted set without ranges of members: ZCARD, ZSCORE, ZMSCORE, ZRANK,
 * ZREVRANK, ZCOUNT, ZLEXCOUNT, ZRANDMEMBER and ZSCAN. Range and count arguments are read before the
 * key is looked up, as Redis does, so their errors win over WRONGTYPE.
 */
final class SortedSetReads {

    private static final ErrorReply COUNT_RANGE = Errors.err(
            "value is out of range, value must between -9223372036854775807 and 9223372036854775807");
    private static final ErrorReply OUT_OF_RANGE = Errors.err("value is out of range");

    private SortedSetReads() {
    }

    static void zcard(Invocation call) {
        SortedSet set = call.db().get(call.arg(1), SortedSet.class);
        call.reply().integer(set == null ? 0 : set.cardinality());
    }

    static void zscore(Invocation call) {
        SortedSet set = call.db().get(call.arg(1), SortedSet.class);
        replyScore(call.reply(), set == null ? Double.NaN : set.score(call.arg(2)));
    }

    static void zmscore(Invocation call) {
        SortedSet set = call.db().get(call.arg(1), SortedSet.class);
        call.reply().array(call.argc() - 2);
        for (int i = 2; i < call.argc(); i++) {
            replyScore(call.reply(), set == null ? Double.NaN : set.score(call.arg(i)));
        }
    }

    /** A score, or null for NaN: the member is missing. */
    private static void replyScore(Reply reply, double score) {
        if (Double.isNaN(score)) {
            reply.nullBulk();
        } else {
            reply.doubleValue(score);
        }
    }

    static void zrank(Invocation call) {
        rank(call, false);
    }

    static void zrevrank(Invocation call) {
        rank(call, true);
    }

    private static void rank(Invocation call, boolean reverse) {
        SortedSet set = call.db().get(call.arg(1), SortedSet.class);
        int rank = set == null ? -1 : set.rank(call.arg(2), reverse);
        if (rank < 0) {
            call.reply().nullBulk();
        } else {
            call.reply().integer(rank);
        }
    }

    static void zcount(Invocation call) {
        count(call, ScoreRange.parse(call.arg(2), call.arg(3)));
    }

    static void zlexcount(Invocation call) {
        count(call, LexRange.parse(call.arg(2), call.arg(3)));
    }

    private static void count(Invocation call, Range range) {
        SortedSet set = call.db().get(call.arg(1), SortedSet.class);
        call.reply().integer(set == null ? 0 : set.span(range).count());
    }

    /**
     * ZRANDMEMBER key [count [WITHSCORES]]. Without a count, one member or null. A negative count
     * asks for that many members drawn independently (repeats possible); a positive one for that many
     * distinct members, the whole set (highest score first) if it has no
     * more.
     */
    static void zrandmember(Invocation call) {
        if (call.argc() == 2) {
            SortedSet set = call.db().get(call.arg(1), SortedSet.class);
            if (set == null) {
                call.reply().nullBulk();
            } else {
                set.visitRandom(1, (member, score) -> call.reply().bulk(member));
            }
            return;
        }
        long count = call.longArg(2);
        if (count < -Long.MAX_VALUE) {
            throw COUNT_RANGE;
        }
        if (call.argc() > 4 || (call.argc() == 4 && !Arguments.is(call, 3, "withscores"))) {
            throw Errors.SYNTAX;
        }
        boolean withScores = call.argc() == 4;
        if (withScores && (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2)) {
            throw OUT_OF_RANGE;
        }
        SortedSet set = call.db().get(call.arg(1), SortedSet.class);
        Reply reply = call.reply();
        if (set == null || count == 0) {
            reply.array(0);
            return;
        }
        EntryReply shape = EntryReply.of(reply, withScores);
        if (count < 0 || count == 1) {
            long draws = Math.abs(count);
            if (draws > Integer.MAX_VALUE / 2) {
                // Redis would try to send this many; Postbox refuses rather than stall every client.
                throw OUT_OF_RANGE;
            }
            shape.begin(reply, (int) draws);
            int step = Client.ITEMS_PER_OUTPUT_CHECK;
            for (long left = draws; left > 0 && !call.client().outputPastHardLimit(); left -= step) {
                set.visitRandom(Math.min(left, step), shape.to(reply));
            }
        } else if (count >= set.cardinality()) {
            // Redis 7.0 replies the whole set highest score first here.
            shape.begin(reply, set.cardinality());
            set.visit(set.cardinality() - 1, set.cardinality(), true, shape.to(reply));
        } else {
            shape.begin(reply, (int) count);
            for (int rank : distinctRanks(set.cardinality(), (int) count)) {
                set.visit(rank, 1, false, shape.to(reply));
            }
        }
    }

    /** {@code count} distinct ranks below {@code size} in random order (Floyd's sampling, then shuffled). */
    private static List<Integer> distinctRanks(int size, int count) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Set<Integer> chosen = new HashSet<>();
        List<Integer> ranks = new ArrayList<>(count);
        for (int j = size - count; j < size; j++) {
            int candidate = random.nextInt(j + 1);
            int rank = chosen.contains(candidate) ? j : candidate;
            chosen.add(rank);
            ranks.add(rank);
        }
        Collections.shuffle(ranks, random);
        return ranks;
    }

    /**
     * ZSCAN key cursor [MATCH pattern] [COUNT count]: members and scores (as bulk strings, in every
     * protocol). A packed set is returned whole; a large one a few dict buckets at a time. As in Redis,
     * COUNT counts members and scores alike, so about COUNT/2 members come per call.
     */
    static void zscan(Invocation call) {
        long cursor = ScanCursor.parse(call.arg(2));
        SortedSet set = call.db().get(call.arg(1), SortedSet.class);
        Reply reply = call.reply();
        if (set == null) {
            reply.array(2);
            reply.bulk(ScanCursor.format(0));
            reply.array(0);
            return;
        }
        ScanOptions options = ScanOptions.parse(call, 3, false);
        List<byte[]> found = new ArrayList<>();
        long steps = options.maxSteps();
        do {
            cursor = set.scan(cursor, (member, score) -> {
                found.add(member);
                found.add(DoubleFormat.g17Bytes(score));
            });
        } while (cursor != 0 && steps-- > 0 && found.size() < options.count());
        List<byte[]> matching = new ArrayList<>(found.size());
        for (int i = 0; i < found.size(); i += 2) {
            if (options.matches(found.get(i))) {
                matching.add(found.get(i));
                matching.add(found.get(i + 1));
            }
        }
        reply.array(2);
        reply.bulk(ScanCursor.format(cursor));
        reply.bulks(matching);
    }
}
