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
    /** BLMOVE's LEFT|RIGHT words as the client wrote them, which Redis logs a move served at once with. */
    private final byte[] fromWord;
    private final byte[] toWord;
    /** How many elements the last {@link #serve} popped, for {@link #effect}. */
    private int served;
    /** Whether the last {@link #serve} was for a client that waited, for {@link #effect}. */
    private boolean waited;

    private ListPop(End from, long count, byte[] destination, End to, boolean rpoplpush, byte[] fromWord,
                    byte[] toWord) {
        this.from = from;
        this.count = count;
        this.destination = destination;
        this.to = to;
        this.rpoplpush = rpoplpush;
        this.fromWord = fromWord;
        this.toWord = toWord;
    }

    /** BLPOP, BRPOP: replies [key, element]. */
    static ListPop one(End from) {
        return new ListPop(from, ONE, null, null, false, null, null);
    }

    /** LMPOP, BLMPOP: replies [key, [element ...]]. */
    static ListPop many(End from, long count) {
        return new ListPop(from, count, null, null, false, null, null);
    }

    /** BLMOVE: replies the element moved; {@code fromWord} and {@code toWord} say its ends as the client did. */
    static ListPop move(End from, byte[] fromWord, byte[] destination, End to, byte[] toWord) {
        return new ListPop(from, ONE, destination, to, false, fromWord, toWord);
    }

    /** BRPOPLPUSH: BLMOVE from the tail to the head. */
    static ListPop rpoplpush(byte[] destination) {
        return new ListPop(End.TAIL, ONE, destination, End.HEAD, true, null, null);
    }

    @Override
    public boolean accepts(Object value) {
        return value instanceof PackedList;
    }

    @Override
    public void serve(Database db, byte[] key, Object value, Reply reply, boolean waited) {
        PackedList list = (PackedList) value;
        this.waited = waited;
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
     * Redis 7.0's propagated forms: RPOPLPUSH for BRPOPLPUSH, LMOVE for the other moves (its sides as
     * the client wrote them when served at once, in the lower case Redis writes them in once a client
     * that waited is served), LPOP/RPOP for one element, and with the number of elements popped for a
     * count.
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
        return new byte[][] {word("LMOVE"), key, destination, waited ? side(from) : fromWord,
            waited ? side(to) : toWord};
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
