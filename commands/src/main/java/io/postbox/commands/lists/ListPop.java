package io.postbox.commands.lists;

import io.postbox.commands.blocking.PendingPop;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.lists.PackedList.End;
import io.postbox.resp.Reply;
import java.util.List;
import java.nio.charset.StandardCharsets;

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

    private ListPop(End from, long count, byte[] destination, End to) {
        this.from = from;
        this.count = count;
        this.destination = destination;
        this.to = to;
    }

    /** BLPOP, BRPOP: replies [key, element]. */
    static ListPop one(End from) {
        return new ListPop(from, ONE, null, null);
    }

    /** LMPOP, BLMPOP: replies [key, [element ...]]. */
    static ListPop many(End from, long count) {
        return new ListPop(from, count, null, null);
    }

    /** BLMOVE, BRPOPLPUSH: replies the element moved. */
    static ListPop move(End from, byte[] destination, End to) {
        return new ListPop(from, ONE, destination, to);
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
            reply.array(2);
            reply.bulk(key);
            reply.bulks(elements);
        }
    }

    /** LMOVE for a move, LPOP/RPOP for one element, LMPOP for a count: Redis's propagated forms. */
    @Override
    public byte[][] effect(byte[] key) {
        if (destination != null) {
            return new byte[][] {word("LMOVE"), key, destination, side(from), side(to)};
        }
        if (count == ONE) {
            return new byte[][] {word(from == End.HEAD ? "LPOP" : "RPOP"), key};
        }
        return new byte[][] {word("LMPOP"), word("1"), key, side(from), word("COUNT"), word(Long.toString(count))};
    }

    private static byte[] side(End end) {
        return word(end == End.HEAD ? "LEFT" : "RIGHT");
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
