package io.postbox.commands.zsets;

import io.postbox.commands.blocking.PendingPop;
import io.postbox.commands.keyspace.Database;
import io.postbox.resp.Reply;
import java.nio.charset.StandardCharsets;

/**
 * A pop from a sorted set as ZMPOP and the blocking sorted-set commands run it, at once or when a key
 * they wait on gets members: one member with its key and score (BZPOPMIN, BZPOPMAX), or up to
 * {@code count} members with their key (ZMPOP, BZMPOP). The popping is {@link SortedSetPop}'s.
 */
final class SortedSetPopRequest implements PendingPop {

    private final SortedSet.End end;
    private final long count;
    private final SortedSetPop.Shape shape;
    /** How many members the last {@link #serve} popped, for {@link #effect}. */
    private long served;

    private SortedSetPopRequest(SortedSet.End end, long count, SortedSetPop.Shape shape) {
        this.end = end;
        this.count = count;
        this.shape = shape;
    }

    /** BZPOPMIN, BZPOPMAX: replies [key, member, score]. */
    static SortedSetPopRequest one(SortedSet.End end) {
        return new SortedSetPopRequest(end, 1, SortedSetPop.Shape.KEY_MEMBER_SCORE);
    }

    /** ZMPOP, BZMPOP: replies [key, [[member, score] ...]]. */
    static SortedSetPopRequest many(SortedSet.End end, long count) {
        return new SortedSetPopRequest(end, count, SortedSetPop.Shape.KEYED);
    }

    @Override
    public boolean accepts(Object value) {
        return value instanceof SortedSet;
    }

    @Override
    public void serve(Database db, byte[] key, Object value, Reply reply, boolean waited) {
        SortedSet set = (SortedSet) value;
        served = Math.min(count, set.cardinality());
        SortedSetPop.pop(db, key, set, end, count, shape, reply);
    }

    /**
     * Redis 7.0's propagated forms: ZPOPMIN/ZPOPMAX, for a count (ZMPOP, BZMPOP) with the number of
     * members popped.
     */
    @Override
    public byte[][] effect(byte[] key) {
        byte[] pop = word(end == SortedSet.End.MIN ? "ZPOPMIN" : "ZPOPMAX");
        if (shape == SortedSetPop.Shape.KEY_MEMBER_SCORE) {
            return new byte[][] {pop, key};
        }
        return new byte[][] {pop, key, word(Long.toString(served))};
    }

    private static byte[] word(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Every form replies a null array when no key holds members. */
    @Override
    public void replyEmpty(Reply reply) {
        reply.nullArray();
    }
}
