package io.postbox.commands.zsets;

import io.postbox.commands.keyspace.Database;
import io.postbox.commands.keyspace.Notify;
import io.postbox.resp.Reply;

/**
 * Popping members from one end of a sorted set and replying them: the one mechanism behind ZPOPMIN,
 * ZPOPMAX and ZMPOP, with the end as a parameter, and behind their blocking forms (BZPOPMIN, BZPOPMAX,
 * BZMPOP, through {@link SortedSetPopRequest}), at once or when a key they wait on gets members.
 */
public final class SortedSetPop {

    /** How the popped members are replied. */
    public enum Shape {
        /** member, score, member, score, ...: ZPOPMIN/ZPOPMAX in RESP2, or without a count. */
        FLAT,
        /** [member, score], ...: ZPOPMIN/ZPOPMAX with a count in RESP3. */
        NESTED,
        /** [key, [[member, score], ...]]: ZMPOP (and BZMPOP), in every protocol. */
        KEYED,
        /** [key, member, score]: BZPOPMIN/BZPOPMAX, which pop one member. */
        KEY_MEMBER_SCORE
    }

    private SortedSetPop() {
    }

    /**
     * Pops up to {@code count} members from {@code end} of {@code set}, the live value of {@code key},
     * replies them lowest first from MIN and highest first from MAX, and ends the write: the key is
     * deleted when the set is left empty, and signalled modified otherwise. The keyspace event
     * ({@code zpopmin} or {@code zpopmax}) falls where Redis sends it: after the reply's header (and
     * key), before the members; {@code del} for an emptied set comes last.
     */
    public static void pop(Database db, byte[] key, SortedSet set, SortedSet.End end, long count, Shape shape,
                           Reply reply) {
        int n = (int) Math.min(count, set.cardinality());
        if (shape == Shape.KEY_MEMBER_SCORE) {
            reply.array(3);
            reply.bulk(key);
            db.notify(Notify.ZSET, event(end), key);
            set.pop(end, n, EntryReply.FLAT.to(reply));
            SortedSetWrites.ended(db, key, set, n);
            return;
        }
        EntryReply entries = shape == Shape.FLAT ? EntryReply.FLAT : EntryReply.NESTED;
        if (shape == Shape.KEYED) {
            reply.array(2);
            reply.bulk(key);
        }
        entries.begin(reply, n);
        db.notify(Notify.ZSET, event(end), key);
        set.pop(end, n, entries.to(reply));
        SortedSetWrites.ended(db, key, set, n);
    }

    private static String event(SortedSet.End end) {
        return end == SortedSet.End.MIN ? "zpopmin" : "zpopmax";
    }
}
