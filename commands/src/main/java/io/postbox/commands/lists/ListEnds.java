package io.postbox.commands.lists;

import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.Numbers;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.keyspace.Notify;
import io.postbox.commands.lists.PackedList.End;
import io.postbox.resp.ErrorReply;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Push, pop and move at either end of a list: LPUSH, RPUSH, LPUSHX, RPUSHX, LPOP, RPOP, LMOVE,
 * RPOPLPUSH and LMPOP. Each family is one mechanism with a direction; the mechanisms
 * ({@link #popOne}, {@link #popMany}, {@link #move}) are also what the blocking pops run through
 * {@link ListPop}, at once or once a key has data, so a served BLPOP, BLMPOP or BLMOVE changes the
 * keyspace exactly as its twin does, with the same keyspace events ({@code lpop}/{@code rpop},
 * {@code lpush}/{@code rpush} on a move's destination, {@code del} when a list empties). The
 * mechanisms notify before the command replies; Redis replies first, which only a RESP3 client
 * subscribed to its own keyspace events can tell.
 */
final class ListEnds {

    private static final ErrorReply NUMKEYS_NOT_POSITIVE = Errors.err("numkeys should be greater than 0");
    private static final ErrorReply COUNT_BELOW_ONE = Errors.err("count should be greater than 0");

    private ListEnds() {
    }

    // ---- the mechanisms ----

    /** Pops one element from a non-empty list, counting {@code changes} changes (see {@link ListPop}). */
    static byte[] popOne(Database db, byte[] key, PackedList list, End end, long changes) {
        byte[] value = list.pop(end);
        changed(db, key, list, popEvent(end), changes);
        return value;
    }

    /** Pops up to {@code count} elements from a non-empty list; count 0 changes nothing. */
    static List<byte[]> popMany(Database db, byte[] key, PackedList list, End end, long count) {
        int n = (int) Math.min(count, list.size());
        List<byte[]> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(list.pop(end));
        }
        if (n > 0) {
            changed(db, key, list, popEvent(end), n);
        }
        return values;
    }

    /**
     * Pops from {@code from} of a non-empty source and pushes at {@code to} of the destination,
     * created if {@code destination} is null. Both keys must already have passed the type check,
     * so nothing moves unless everything can. The same key on both sides rotates the list. Counts
     * {@code changes} changes for both keys: one, as Redis counts a move, or none (see {@link ListPop}).
     */
    static byte[] move(Database db, byte[] sourceKey, PackedList source, byte[] destinationKey,
                       PackedList destination, End from, End to, long changes) {
        byte[] value = source.pop(from);
        if (destination == null) {
            PackedList created = new PackedList();
            created.push(to, value);
            db.set(destinationKey, created, changes);
        } else {
            destination.push(to, value);
            db.modified(destinationKey, changes);
        }
        db.notify(Notify.LIST, pushEvent(to), destinationKey);
        changed(db, sourceKey, source, popEvent(from), 0);
        return value;
    }

    /**
     * How every change to an existing list ends: the command's {@code event}, then an emptied list is
     * deleted (lists never exist empty) with a {@code del} event; any other is signalled as modified.
     * Counts {@code changes} changes, as Redis's dirty counter counts the command: one per element
     * popped or removed, whether or not the list went with them.
     */
    static void changed(Database db, byte[] key, PackedList list, String event, long changes) {
        db.notify(Notify.LIST, event, key);
        if (list.isEmpty()) {
            db.delete(key, changes);
            db.notify(Notify.GENERIC, "del", key);
        } else {
            db.modified(key, changes);
        }
    }

    private static String popEvent(End end) {
        return end == End.HEAD ? "lpop" : "rpop";
    }

    private static String pushEvent(End end) {
        return end == End.HEAD ? "lpush" : "rpush";
    }

    /** LEFT or RIGHT, in any case, as the end of a list; otherwise a syntax error. */
    static End where(Invocation call, int index) {
        if (call.argIs(index, "left")) {
            return End.HEAD;
        }
        if (call.argIs(index, "right")) {
            return End.TAIL;
        }
        throw Errors.SYNTAX;
    }

    // ---- the commands ----

    static void lpush(Invocation call) {
        push(call, End.HEAD, true);
    }

    static void rpush(Invocation call) {
        push(call, End.TAIL, true);
    }

    static void lpushx(Invocation call) {
        push(call, End.HEAD, false);
    }

    static void rpushx(Invocation call) {
        push(call, End.TAIL, false);
    }

    static void lpop(Invocation call) {
        pop(call, End.HEAD);
    }

    static void rpop(Invocation call) {
        pop(call, End.TAIL);
    }

    static void lmove(Invocation call) {
        End from = where(call, 3);
        End to = where(call, 4);
        move(call, from, to);
    }

    static void rpoplpush(Invocation call) {
        move(call, End.TAIL, End.HEAD);
    }

    /** LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]: pops from the first non-empty list. */
    static void lmpop(Invocation call) {
        MultiPop request = multiPop(call, 1);
        byte[] popped = request.pop().popFirst(call.db(), request.keys(), call.reply());
        if (popped == null) {
            request.pop().replyEmpty(call.reply());
        } else {
            call.propagateAs(request.pop().effect(popped));
        }
    }

    /** The keys and the pop of LMPOP or BLMPOP. */
    record MultiPop(List<byte[]> keys, ListPop pop) {
    }

    /**
     * Reads {@code numkeys key [key ...] LEFT|RIGHT [COUNT count]} from argument {@code numkeysIndex} on,
     * with Redis's checks in Redis's order.
     */
    static MultiPop multiPop(Invocation call, int numkeysIndex) {
        long numkeys = Numbers.parseLong(call.arg(numkeysIndex), NUMKEYS_NOT_POSITIVE);
        if (numkeys < 1) {
            throw NUMKEYS_NOT_POSITIVE;
        }
        if (numkeys > call.argc() - numkeysIndex - 2) {
            throw Errors.SYNTAX;
        }
        int whereIndex = numkeysIndex + 1 + (int) numkeys;
        End end = where(call, whereIndex);
        long count = -1;
        for (int i = whereIndex + 1; i < call.argc(); i++) {
            if (count == -1 && call.argIs(i, "count") && i + 1 < call.argc()) {
                count = Numbers.parseLong(call.arg(++i), COUNT_BELOW_ONE);
                if (count < 1) {
                    throw COUNT_BELOW_ONE;
                }
            } else {
                throw Errors.SYNTAX;
            }
        }
        List<byte[]> keys = Arrays.asList(call.args()).subList(numkeysIndex + 1, whereIndex);
        return new MultiPop(keys, ListPop.many(end, count == -1 ? 1 : count));
    }

    private static void push(Invocation call, End end, boolean create) {
        Database db = call.db();
        byte[] key = call.arg(1);
        PackedList list = db.getForWrite(key, PackedList.class);
        if (list == null && !create) {
            call.reply().integer(0);
            return;
        }
        boolean created = list == null;
        if (created) {
            list = new PackedList();
        }
        for (int i = 2; i < call.argc(); i++) {
            list.push(end, call.arg(i));
        }
        if (created) {
            db.set(key, list);
        } else {
            db.modified(key);
        }
        // Redis counts each element pushed; storing or signalling the list counted the first.
        db.countChanges(call.argc() - 3);
        call.reply().integer(list.size());
        db.notify(Notify.LIST, pushEvent(end), key);
    }

    /**
     * LPOP/RPOP key [count]. Without a count the reply is one element or a null bulk; with one it is
     * an array, a null array for a missing key, and an empty array for count 0.
     */
    private static void pop(Invocation call, End end) {
        if (call.argc() > 3) {
            throw Errors.wrongArity(call.command());
        }
        boolean hasCount = call.argc() == 3;
        long count = 1;
        if (hasCount) {
            count = Numbers.parseLongInRange(call.arg(2), 0, Long.MAX_VALUE, Errors.NOT_POSITIVE);
        }
        Database db = call.db();
        byte[] key = call.arg(1);
        PackedList list = db.getForWrite(key, PackedList.class);
        if (list == null) {
            if (hasCount) {
                call.reply().nullArray();
            } else {
                call.reply().nullBulk();
            }
        } else if (hasCount) {
            call.reply().bulks(popMany(db, key, list, end, count));
        } else {
            call.reply().bulk(popOne(db, key, list, end, 1));
        }
    }

    /** LMOVE and RPOPLPUSH: a missing source replies null; a wrong type on either side moves nothing. */
    private static void move(Invocation call, End from, End to) {
        Database db = call.db();
        byte[] sourceKey = call.arg(1);
        byte[] destinationKey = call.arg(2);
        PackedList source = db.getForWrite(sourceKey, PackedList.class);
        if (source == null) {
            call.reply().nullBulk();
            return;
        }
        PackedList destination = db.getForWrite(destinationKey, PackedList.class);
        call.reply().bulk(move(db, sourceKey, source, destinationKey, destination, from, to, 1));
    }
}
