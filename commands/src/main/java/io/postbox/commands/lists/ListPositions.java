package io.postbox.commands.lists;

import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.Numbers;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.keyspace.Notify;
import io.postbox.commands.lists.PackedList.End;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;
import java.util.Arrays;

/**
 * The list commands that address elements by index or by value: LLEN, LINDEX, LSET, LRANGE,
 * LINSERT, LREM, LTRIM and LPOS. Argument checks come in Redis's order, so an invalid number and a
 * wrong type reply as Redis replies when both are wrong.
 */
final class ListPositions {

    private static final ErrorReply INDEX_OUT_OF_RANGE = Errors.err("index out of range");
    private static final ErrorReply RANK_ZERO = Errors.err("RANK can't be zero: use 1 to start from the first"
            + " match, 2 from the second ... or use negative to start from the end of the list");
    private static final ErrorReply COUNT_NEGATIVE = Errors.err("COUNT can't be negative");
    private static final ErrorReply MAXLEN_NEGATIVE = Errors.err("MAXLEN can't be negative");

    private ListPositions() {
    }

    static void llen(Invocation call) {
        PackedList list = call.db().get(call.arg(1), PackedList.class);
        call.reply().integer(list == null ? 0 : list.size());
    }

    static void lindex(Invocation call) {
        PackedList list = call.db().get(call.arg(1), PackedList.class);
        if (list == null) {
            call.reply().nullBulk();
            return;
        }
        byte[] value = list.get(call.longArg(2));
        if (value == null) {
            call.reply().nullBulk();
        } else {
            call.reply().bulk(value);
        }
    }

    static void lset(Invocation call) {
        Database db = call.db();
        byte[] key = call.arg(1);
        PackedList list = db.getForWrite(key, PackedList.class);
        if (list == null) {
            throw Errors.NO_SUCH_KEY;
        }
        if (!list.set(call.longArg(2), call.arg(3))) {
            throw INDEX_OUT_OF_RANGE;
        }
        db.modified(key);
        call.reply().ok();
        db.notify(Notify.LIST, "lset", key);
    }

    /** LRANGE key start stop: negative indexes count from the tail, out-of-range ones are clamped. */
    static void lrange(Invocation call) {
        long start = call.longArg(2);
        long stop = call.longArg(3);
        PackedList list = call.db().get(call.arg(1), PackedList.class);
        Reply reply = call.reply();
        long size = list == null ? 0 : list.size();
        if (start < 0) {
            start += size;
        }
        if (stop < 0) {
            stop += size;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > stop || start >= size) {
            reply.array(0);
            return;
        }
        stop = Math.min(stop, size - 1);
        int n = (int) (stop - start + 1);
        reply.array(n);
        PackedList.Cursor cursor = list.cursor(start);
        for (int i = 0; i < n; i++) {
            reply.bulk(cursor.value());
            cursor.step(End.TAIL);
        }
    }

    /** LINSERT key BEFORE|AFTER pivot element: the new length, -1 without the pivot, 0 without the key. */
    static void linsert(Invocation call) {
        End side;
        if (call.argIs(2, "after")) {
            side = End.TAIL;
        } else if (call.argIs(2, "before")) {
            side = End.HEAD;
        } else {
            throw Errors.SYNTAX;
        }
        Database db = call.db();
        byte[] key = call.arg(1);
        PackedList list = db.getForWrite(key, PackedList.class);
        if (list == null) {
            call.reply().integer(0);
        } else if (list.insert(call.arg(3), call.arg(4), side)) {
            db.modified(key);
            db.notify(Notify.LIST, "linsert", key);
            call.reply().integer(list.size());
        } else {
            call.reply().integer(-1);
        }
    }

    /** LREM key count element: count > 0 removes from the head, < 0 from the tail, 0 removes all. */
    static void lrem(Invocation call) {
        long count = call.longArg(2);
        Database db = call.db();
        byte[] key = call.arg(1);
        PackedList list = db.getForWrite(key, PackedList.class);
        if (list == null) {
            call.reply().integer(0);
            return;
        }
        long removed = list.remove(call.arg(3), count);
        if (removed > 0) {
            ListEnds.changed(db, key, list, "lrem", removed);
        }
        call.reply().integer(removed);
    }

    static void ltrim(Invocation call) {
        long start = call.longArg(2);
        long stop = call.longArg(3);
        Database db = call.db();
        byte[] key = call.arg(1);
        PackedList list = db.getForWrite(key, PackedList.class);
        if (list != null) {
            long sizeBefore = list.size();
            list.trim(start, stop);
            ListEnds.changed(db, key, list, "ltrim", sizeBefore - list.size());
        }
        call.reply().ok();
    }

    /**
     * LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]. RANK n skips to the n-th match,
     * and a negative rank scans from the tail; COUNT 0 means every match; MAXLEN bounds how many
     * elements are compared. Indexes in the reply always count from the head.
     */
    static void lpos(Invocation call) {
        long rank = 1;
        long count = -1;
        long maxlen = 0;
        for (int i = 3; i < call.argc(); i++) {
            boolean hasValue = i + 1 < call.argc();
            if (call.argIs(i, "rank") && hasValue) {
                rank = call.longArg(++i);
                if (rank == 0) {
                    throw RANK_ZERO;
                }
            } else if (call.argIs(i, "count") && hasValue) {
                count = notNegative(call.arg(++i), COUNT_NEGATIVE);
            } else if (call.argIs(i, "maxlen") && hasValue) {
                maxlen = notNegative(call.arg(++i), MAXLEN_NEGATIVE);
            } else {
                throw Errors.SYNTAX;
            }
        }
        End toward = End.TAIL;
        if (rank < 0) {
            // -Long.MIN_VALUE stays negative: every match then reaches the rank, as in Redis.
            rank = -rank;
            toward = End.HEAD;
        }
        PackedList list = call.db().get(call.arg(1), PackedList.class);
        Reply reply = call.reply();
        if (list == null) {
            if (count != -1) {
                reply.array(0);
            } else {
                reply.nullBulk();
            }
            return;
        }
        byte[] element = call.arg(2);
        long size = list.size();
        long[] found = new long[count > 0 ? (int) Math.min(count, 16) : 16];
        int foundCount = 0;
        long matches = 0;
        PackedList.Cursor cursor = list.cursor(toward == End.TAIL ? 0 : -1);
        for (long scanned = 0; cursor.hasElement() && (maxlen == 0 || scanned < maxlen); scanned++) {
            if (cursor.valueEquals(element) && ++matches >= rank) {
                if (foundCount == found.length) {
                    found = Arrays.copyOf(found, foundCount * 2);
                }
                found[foundCount++] = toward == End.TAIL ? scanned : size - scanned - 1;
                // Counted from the rank as Redis counts, so that rank Long.MIN_VALUE overflows alike.
                if (count == -1 || (count > 0 && matches - rank + 1 >= count)) {
                    break;
                }
            }
            cursor.step(toward);
        }
        if (count != -1) {
            reply.array(foundCount);
            for (int i = 0; i < foundCount; i++) {
                reply.integer(found[i]);
            }
        } else if (foundCount > 0) {
            reply.integer(found[0]);
        } else {
            reply.nullBulk();
        }
    }

    private static long notNegative(byte[] arg, ErrorReply error) {
        long value = Numbers.parseLong(arg, error);
        if (value < 0) {
            throw error;
        }
        return value;
    }
}
