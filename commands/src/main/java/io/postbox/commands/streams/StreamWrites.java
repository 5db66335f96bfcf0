package io.postbox.commands.streams;

import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.Numbers;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.keyspace.Notify;
import io.postbox.resp.ErrorReply;
import java.util.Arrays;

/**
 * The commands that add and remove entries: XADD, XDEL, XTRIM, XSETID. Each checks everything, then
 * changes the stream, replies, signals the key and publishes its keyspace event ({@code xadd},
 * {@code xtrim}, {@code xdel}, {@code xsetid}), as Redis orders them.
 */
final class StreamWrites {

    private static final ErrorReply ZERO_ID = Errors.err("The ID specified in XADD must be greater than 0-0");
    private static final ErrorReply EXHAUSTED = Errors.err(
            "The stream has exhausted the last possible ID, unable to add more items");
    private static final ErrorReply NOT_GREATER = Errors.err(
            "The ID specified in XADD is equal or smaller than the target stream top item");
    private static final byte[] EQUALS = {'='};

    private StreamWrites() {
    }

    /** XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...]. */
    static void xadd(Invocation call) {
        TrimArguments parsed = TrimArguments.parse(call, true);
        int fieldsAt = parsed.idIndex + 1;
        int pairs = call.argc() - fieldsAt;
        if (pairs < 2 || pairs % 2 == 1) {
            throw Errors.wrongArity(call.command());
        }
        if (parsed.id != null && parsed.seqGiven && parsed.id.isZero()) {
            throw ZERO_ID;
        }
        Database db = call.db();
        byte[] key = call.arg(1);
        StreamValue stream = db.getForWrite(key, StreamValue.class);
        if (stream == null && parsed.noMkStream) {
            call.reply().nullBulk();
            return;
        }
        StreamId last = stream == null ? StreamId.MIN : stream.lastId;
        if (last.equals(StreamId.MAX)) {
            throw EXHAUSTED;
        }
        StreamId id = newId(last, parsed, call.now());
        boolean created = stream == null;
        if (created) {
            stream = new StreamValue();
            db.set(key, stream);
        }
        byte[][] fieldsValues = Arrays.copyOfRange(call.args(), fieldsAt, call.argc());
        stream.append(id, fieldsValues, call.engine().config().getLong("stream-node-max-bytes"),
                call.engine().config().getLong("stream-node-max-entries"));
        call.reply().bulk(id.toBytes());
        if (!created) {
            db.modified(key);
        }
        db.notify(Notify.STREAM, "xadd", key);
        byte[][] logged = call.args().clone();
        if (parsed.trim != null) {
            if (stream.trim(parsed.trim) > 0) {
                db.notify(Notify.STREAM, "xtrim", key);
            }
            if (parsed.trim.approx()) {
                rewriteTrim(logged, parsed.trimValueIndex, parsed.trim, stream);
            }
        }
        if (parsed.id == null || !parsed.seqGiven) {
            logged[parsed.idIndex] = id.toBytes();
        }
        call.propagateAs(logged);
    }

    /** The ID the entry gets: the clock's (never below the last ID), or the one given, checked. */
    private static StreamId newId(StreamId last, TrimArguments parsed, long now) {
        StreamId id;
        if (parsed.id == null) {
            id = Long.compareUnsigned(now, last.ms()) > 0 ? new StreamId(now, 0) : last.next();
        } else if (!parsed.seqGiven && parsed.id.ms() == last.ms()) {
            if (last.seq() == -1L) {
                throw NOT_GREATER;
            }
            id = new StreamId(last.ms(), last.seq() + 1);
        } else {
            id = parsed.id;
        }
        if (id.compareTo(last) <= 0) {
            throw NOT_GREATER;
        }
        return id;
    }

    /**
     * An approximate trim is logged as the exact one it turned out to be, so a replay trims the same. A
     * stream a MINID trim emptied is logged with the largest ID, as Redis's streamGetEdgeID gives it for
     * an empty stream, so that the replay empties it too (its first ID, 0-0, would trim nothing).
     */
    private static void rewriteTrim(byte[][] logged, int valueIndex, StreamTrim trim, StreamValue stream) {
        logged[valueIndex - 1] = EQUALS;
        if (trim.byLength()) {
            logged[valueIndex] = Numbers.toBytes(stream.length);
        } else {
            logged[valueIndex] = (stream.length == 0 ? StreamId.MAX : stream.firstId).toBytes();
        }
    }

    /** XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]. */
    static void xtrim(Invocation call) {
        TrimArguments parsed = TrimArguments.parse(call, false);
        Database db = call.db();
        byte[] key = call.arg(1);
        StreamValue stream = db.getForWrite(key, StreamValue.class);
        if (stream == null) {
            call.reply().integer(0);
            return;
        }
        long deleted = stream.trim(parsed.trim);
        if (deleted > 0) {
            db.notify(Notify.STREAM, "xtrim", key);
            if (parsed.trim.approx()) {
                byte[][] logged = call.args().clone();
                rewriteTrim(logged, parsed.trimValueIndex, parsed.trim, stream);
                call.propagateAs(logged);
            }
            db.modified(key, deleted);
        }
        call.reply().integer(deleted);
    }

    /** XDEL key id [id ...]: every ID is checked before any is deleted. */
    static void xdel(Invocation call) {
        Database db = call.db();
        byte[] key = call.arg(1);
        StreamValue stream = db.getForWrite(key, StreamValue.class);
        if (stream == null) {
            call.reply().integer(0);
            return;
        }
        StreamId[] ids = new StreamId[call.argc() - 2];
        for (int i = 2; i < call.argc(); i++) {
            ids[i - 2] = StreamId.parseStrict(call.arg(i));
        }
        int deleted = 0;
        for (StreamId id : ids) {
            if (stream.delete(id)) {
                if (id.compareTo(stream.maxDeletedId) > 0) {
                    stream.maxDeletedId = id;
                }
                deleted++;
            }
        }
        if (deleted > 0) {
            stream.refreshFirstId();
            db.modified(key, deleted);
            db.notify(Notify.STREAM, "xdel", key);
        }
        call.reply().integer(deleted);
    }

    /** XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]. */
    static void xsetid(Invocation call) {
        StreamId id = StreamId.parseStrict(call.arg(2));
        long entriesAdded = -1;
        StreamId maxDeleted = StreamId.MIN;
        for (int i = 3; i < call.argc(); i += 2) {
            boolean more = i < call.argc() - 1;
            if (call.argIs(i, "entriesadded") && more) {
                entriesAdded = call.longArg(i + 1);
                if (entriesAdded < 0) {
                    throw Errors.err("entries_added must be positive");
                }
            } else if (call.argIs(i, "maxdeletedid") && more) {
                maxDeleted = StreamId.parseStrict(call.arg(i + 1));
                if (id.compareTo(maxDeleted) < 0) {
                    throw Errors.err("The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                }
            } else {
                throw Errors.SYNTAX;
            }
        }
        Database db = call.db();
        byte[] key = call.arg(1);
        StreamValue stream = db.getForWrite(key, StreamValue.class);
        if (stream == null) {
            throw Errors.NO_SUCH_KEY;
        }
        if (stream.length > 0) {
            if (id.compareTo(stream.lastValidId()) < 0) {
                throw Errors.err("The ID specified in XSETID is smaller than the target stream top item");
            }
            if (entriesAdded != -1 && stream.length > entriesAdded) {
                throw Errors.err("The entries_added specified in XSETID is smaller than the target stream length");
            }
        }
        stream.lastId = id;
        if (entriesAdded != -1) {
            stream.entriesAdded = entriesAdded;
        }
        if (!maxDeleted.isZero()) {
            stream.maxDeletedId = maxDeleted;
        }
        call.reply().ok();
        db.modified(key);
        db.notify(Notify.STREAM, "xsetid", key);
    }
}
