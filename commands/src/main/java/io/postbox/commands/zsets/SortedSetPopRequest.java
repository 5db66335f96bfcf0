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
        SortedSetPop.pop(db, key, (SortedSet) value, end, count, shape, reply);
    }

    /** ZPOPMIN/ZPOPMAX for one member, ZMPOP for a count: Redis's propagated forms. */
    @Override
    public byte[][] effect(byte[] key) {
        boolean min = end == SortedSet.End.MIN;
        if (shape == SortedSetPop.Shape.KEY_MEMBER_SCORE) {
            return new byte[][] {word(min ? "ZPOPMIN" : "ZPOPMAX"), key};
        }
        return new byte[][] {word("ZMPOP"), word("1"), key, word(min ? "MIN" : "MAX"), word("COUNT"),
                word(Long.toString(count))};
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
