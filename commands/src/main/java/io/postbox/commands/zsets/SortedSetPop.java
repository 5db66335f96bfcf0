package io.postbox.commands.zsets;

import io.postbox.commands.keyspace.Database;
import io.postbox.resp.Reply;

/**
 * Popping members from one end of a sorted set and replying them: the one mechanism behind ZPOPMIN,
 * ZPOPMAX and ZMPOP, with the end as a parameter, meant for their blocking forms too (BZPOPMIN,
 * BZPOPMAX, BZMPOP serve a waiting client by calling {@link #pop} on the key that became ready; the
 * flat "key, member, score" reply of BZPOPMIN/BZPOPMAX would be one more {@link Shape}).
 */
public final class SortedSetPop {

    /** How the popped members are replied. */
    public enum Shape {
        /** member, score, member, score, ...: ZPOPMIN/ZPOPMAX in RESP2, or without a count. */
        FLAT,
        /** [member, score], ...: ZPOPMIN/ZPOPMAX with a count in RESP3. */
        NESTED,
        /** [key, [[member, score], ...]]: ZMPOP (and BZMPOP), in every protocol. */
        KEYED
    }

    private SortedSetPop() {
    }

    /**
     * Pops up to {@code count} members from {@code end} of {@code set}, the live value of {@code key},
     * replies them lowest first from MIN and highest first from MAX, and ends the write: the key is
     * deleted when the set is left empty, and signalled modified otherwise.
     */
    public static void pop(Database db, byte[] key, SortedSet set, SortedSet.End end, long count, Shape shape,
                           Reply reply) {
        int n = (int) Math.min(count, set.cardinality());
        EntryReply entries = shape == Shape.FLAT ? EntryReply.FLAT : EntryReply.NESTED;
        if (shape == Shape.KEYED) {
            reply.array(2);
            reply.bulk(key);
        }
        entries.begin(reply, n);
        set.pop(end, n, entries.to(reply));
        SortedSetWrites.changed(db, key, set);
    }
}
