package io.postbox.commands.lists;

import io.postbox.commands.blocking.PendingPop;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.lists.PackedList.End;
import io.postbox.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A pop from a list as LMPOP and the blocking list commands run it, at once or when a key they wait on
 * gets data: one element with its key (BLPOP, BRPOP), up to {@code count} elements with their key
 * (LMPOP, BLMPOP), or one element moved to the end of another list (BLMOVE, BRPOPLPUSH). The popping
 * itself is {@link ListEnds}'.
 */
final class ListPop implements PendingPop {

    /** {@link #count} of a pop that replies with one element, not an array of them. */
    private static final long ONE = -1;

    private final End from;
    private final long count;
    private final byte[] destination;
    private final End to;
    /** Whether this is BRPOPLPUSH's move, which Redis logs as RPOPLPUSH rather than LMOVE. */
    private final boolean rpoplpush;
    /** How many elements the last {@link #serve} popped, for {@link #effect}. */
    private int served;

    private ListPop(End from, long count, byte[] destination, End to, boolean rpoplpush) {
        this.from = from;
        this.count = count;
        this.destination = destination;
        this.to = to;
        this.rpoplpush = rpoplpush;
    }

    /** BLPOP, BRPOP: replies [key, element]. */
    static ListPop one(End from) {
        return new ListPop(from, ONE, null, null, false);
    }

    /** LMPOP, BLMPOP: replies [key, [element ...]]. */
    static ListPop many(End from, long count) {
        return new ListPop(from, count, null, null, false);
    }

    /** BLMOVE: replies the element moved. */
    static ListPop move(End from, byte[] destination, End to) {
        return new ListPop(from, ONE, destination, to, false);
    }

    /** BRPOPLPUSH: BLMOVE from the tail to the head. */
    static ListPop rpoplpush(byte[] destination) {
        return new ListPop(End.TAIL, ONE, destination, End.HEAD, true);
    }

    @Override
    public boolean accepts(Object value) {
        return value instanceof PackedList;
    }

    @Override
    public void serve(Database db, byte[] key, Object value, Reply reply, boolean waited) {
        PackedList list = (PackedList) value;
        // Redis 7.0 serves BLPOP, BRPOP, BLMOVE and BRPOPLPUSH to a client that waited without counting a
        // change; BLMPOP counts its elements either way.
        long changes = waited ? 0 : 1;
        if (destination != null) {
            // Checked before the source is touched: a destination of another type moves nothing.
            PackedList target = db.getForWrite(destination, PackedList.class);
            reply.bulk(ListEnds.move(db, key, list, destination, target, from, to, changes));
        } else if (count == ONE) {
            byte[] element = ListEnds.popOne(db, key, list, from, changes);
            reply.array(2);
            reply.bulk(key);
            reply.bulk(element);
        } else {
            List<byte[]> elements = ListEnds.popMany(db, key, list, from, count);
            served = elements.size();
            reply.array(2);
            reply.bulk(key);
            reply.bulks(elements);
        }
    }

    /**
     * Redis 7.0's propagated forms: RPOPLPUSH for BRPOPLPUSH, LMOVE for the other moves (its sides in
     * the lower case Redis writes them in once a blocked client is served), LPOP/RPOP for one element,
     * and with the number of elements popped for a count.
     */
    @Override
    public byte[][] effect(byte[] key) {
        byte[] pop = word(from == End.HEAD ? "LPOP" : "RPOP");
        if (destination == null) {
            return count == ONE ? new byte[][] {pop, key} : new byte[][] {pop, key, word(Integer.toString(served))};
        }
        if (rpoplpush) {
            return new byte[][] {word("RPOPLPUSH"), key, destination};
        }
        return new byte[][] {word("LMOVE"), key, destination, side(from), side(to)};
    }

    private static byte[] side(End end) {
        return word(end == End.HEAD ? "left" : "right");
    }

    private static byte[] word(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void replyEmpty(Reply reply) {
        if (destination != null) {
            reply.nullBulk();
        } else {
            reply.nullArray();
        }
    }
}
