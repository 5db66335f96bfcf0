package io.postbox.commands.streams;

import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.Numbers;
import io.postbox.commands.keyspace.Database;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The pending-entries commands: XPENDING (summary and extended), XCLAIM and XAUTOCLAIM. Claims change
 * ownership in the group's and the consumers' pending lists, and are logged entry by entry as the
 * XCLAIM that forces the resulting state ({@link StreamPropagation}), never as the call itself.
 */
final class PendingCommands {

    private static final ErrorReply AUTOCLAIM_COUNT = Errors.err("COUNT must be > 0");
    /** XAUTOCLAIM looks at up to this many pending entries per entry it may claim. */
    private static final int ATTEMPTS_FACTOR = 10;
    private static final long TRANSIENT_LIMIT = 1L << 36;
    private static final ErrorReply TOO_HIGH = Errors.err(
            "Insufficient memory, failed allocating transient memory, COUNT too high.");

    private PendingCommands() {
    }

    static ErrorReply noGroup(byte[] key, byte[] group) {
        return new ErrorReply("NOGROUP No such key '" + GroupCommands.name(key) + "' or consumer group '"
                + GroupCommands.name(group) + "'");
    }

    /** XPENDING key group [[IDLE min-idle-time] start end count [consumer]]. */
    static void xpending(Invocation call) {
        int argc = call.argc();
        boolean summary = argc == 3;
        if (argc != 3 && (argc < 6 || argc > 9)) {
            throw Errors.SYNTAX;
        }
        long minIdle = 0;
        long count = 0;
        StreamId start = null;
        StreamId end = null;
        String consumerName = null;
        if (argc >= 6) {
            int at = 3;
            if (call.argIs(3, "idle")) {
                minIdle = call.longArg(4);
                if (argc < 8) {
                    throw Errors.SYNTAX;
                }
                at += 2;
            }
            count = Math.max(0, call.longArg(at + 2));
            start = StreamRanges.start(call.arg(at));
            end = StreamRanges.end(call.arg(at + 1));
            if (at + 3 < argc) {
                consumerName = GroupCommands.name(call.arg(at + 3));
            }
        }
        StreamValue stream = call.db().get(call.arg(1), StreamValue.class);
        StreamGroup group = stream == null ? null : stream.group(GroupCommands.name(call.arg(2)));
        if (group == null) {
            throw noGroup(call.arg(1), call.arg(2));
        }
        Reply reply = call.reply();
        if (summary) {
            reply.array(4);
            reply.integer(group.pending.size());
            if (group.pending.isEmpty()) {
                reply.nullBulk();
                reply.nullBulk();
                reply.nullArray();
                return;
            }
            StreamReplies.id(reply, group.pending.firstKey());
            StreamReplies.id(reply, group.pending.lastKey());
            List<StreamConsumer> owners = new ArrayList<>();
            for (StreamConsumer consumer : group.consumers.values()) {
                if (!consumer.pending.isEmpty()) {
                    owners.add(consumer);
                }
            }
            reply.array(owners.size());
            for (StreamConsumer consumer : owners) {
                reply.array(2);
                reply.bulk(consumer.name);
                reply.bulk(Numbers.toBytes(consumer.pending.size()));
            }
            return;
        }
        NavigableMap<StreamId, PendingEntry> pending = group.pending;
        if (consumerName != null) {
            StreamConsumer consumer = group.consumer(consumerName);
            if (consumer == null) {
                reply.array(0);
                return;
            }
            pending = consumer.pending;
        }
        long now = call.now();
        List<Map.Entry<StreamId, PendingEntry>> found = new ArrayList<>();
        if (start.compareTo(end) <= 0) {
            for (Map.Entry<StreamId, PendingEntry> e : pending.subMap(start, true, end, true).entrySet()) {
                if (found.size() >= count) {
                    break;
                }
                if (minIdle != 0 && now - e.getValue().deliveryTime < minIdle) {
                    continue;
                }
                found.add(e);
            }
        }
        reply.array(found.size());
        for (Map.Entry<StreamId, PendingEntry> e : found) {
            PendingEntry entry = e.getValue();
            reply.array(4);
            StreamReplies.id(reply, e.getKey());
            reply.bulk(entry.consumer.name);
            reply.integer(Math.max(0, now - entry.deliveryTime));
            reply.integer(entry.deliveryCount);
        }
    }

    /**
     * XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-ms] [RETRYCOUNT count]
     * [FORCE] [JUSTID] [LASTID id]. The IDs run until the first argument that is not one.
     */
    static void xclaim(Invocation call) {
        Database db = call.db();
        byte[] key = call.arg(1);
        StreamValue stream = db.getForWrite(key, StreamValue.class);
        StreamGroup group = stream == null ? null : stream.group(GroupCommands.name(call.arg(2)));
        if (group == null) {
            throw noGroup(key, call.arg(2));
        }
        long minIdle = Math.max(0, Numbers.parseLong(call.arg(4),
                Errors.err("Invalid min-idle-time argument for XCLAIM")));
        List<StreamId> ids = new ArrayList<>();
        int j = 5;
        for (; j < call.argc(); j++) {
            try {
                ids.add(StreamId.parseStrict(call.arg(j)));
            } catch (ErrorReply notAnId) {
                break;
            }
        }
        long now = call.now();
        long retryCount = -1;
        long deliveryTime = -1;
        boolean force = false;
        boolean justId = false;
        StreamId lastId = StreamId.MIN;
        for (; j < call.argc(); j++) {
            boolean more = j < call.argc() - 1;
            if (call.argIs(j, "force")) {
                force = true;
            } else if (call.argIs(j, "justid")) {
                justId = true;
            } else if (call.argIs(j, "idle") && more) {
                j++;
                deliveryTime = now - Numbers.parseLong(call.arg(j), Errors.err("Invalid IDLE option argument for XCLAIM"));
            } else if (call.argIs(j, "time") && more) {
                j++;
                deliveryTime = Numbers.parseLong(call.arg(j), Errors.err("Invalid TIME option argument for XCLAIM"));
            } else if (call.argIs(j, "retrycount") && more) {
                j++;
                retryCount = Numbers.parseLong(call.arg(j),
                        Errors.err("Invalid RETRYCOUNT option argument for XCLAIM"));
            } else if (call.argIs(j, "lastid") && more) {
                j++;
                lastId = StreamId.parseStrict(call.arg(j));
            } else {
                throw Errors.err("Unrecognized XCLAIM option '" + call.argString(j) + "'");
            }
        }
        boolean propagateLastId = false;
        if (lastId.compareTo(group.lastId) > 0) {
            group.lastId = lastId;
            propagateLastId = true;
        }
        if (deliveryTime == -1 || deliveryTime < 0 || deliveryTime > now) {
            deliveryTime = now;
        }
        String name = GroupCommands.name(call.arg(3));
        StreamConsumer consumer = null;
        List<Object> claimed = new ArrayList<>();
        // Redis counts each entry claimed, and each one dropped from the PEL for being deleted.
        long changes = 0;
        for (StreamId id : ids) {
            PendingEntry entry = group.pending.get(id);
            StreamEntry streamEntry = stream.get(id);
            if (streamEntry == null) {
                if (entry != null) {
                    call.propagateAs(StreamPropagation.claim(key, group, id, entry));
                    propagateLastId = false;
                    group.acknowledge(id);
                    changes++;
                }
                continue;
            }
            if (force && entry == null) {
                entry = new PendingEntry(null, now, 1);
                group.pending.put(id, entry);
            }
            if (entry == null) {
                continue;
            }
            if (entry.consumer != null && minIdle != 0 && now - entry.deliveryTime < minIdle) {
                continue;
            }
            if (consumer == null) {
                consumer = GroupCommands.consumerOf(call, group, name, key);
            }
            entry.deliveryTime = deliveryTime;
            if (retryCount >= 0) {
                entry.deliveryCount = retryCount;
            } else if (!justId) {
                entry.deliveryCount++;
            }
            group.assign(id, entry, consumer);
            claimed.add(justId ? id : streamEntry);
            call.propagateAs(StreamPropagation.claim(key, group, id, entry));
            propagateLastId = false;
            changes++;
        }
        if (propagateLastId) {
            call.propagateAs(StreamPropagation.groupPosition(key, group));
            changes++;
        }
        db.countChanges(changes);
        Reply reply = call.reply();
        reply.array(claimed.size());
        for (Object item : claimed) {
            if (item instanceof StreamId id) {
                StreamReplies.id(reply, id);
            } else {
                StreamReplies.entry(reply, (StreamEntry) item);
            }
        }
    }

    /** XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]. */
    static void xautoclaim(Invocation call) {
        long minIdle = Math.max(0, Numbers.parseLong(call.arg(4),
                Errors.err("Invalid min-idle-time argument for XAUTOCLAIM")));
        StreamId start = StreamRanges.start(call.arg(5));
        long count = 100;
        boolean justId = false;
        for (int j = 6; j < call.argc(); j++) {
            if (call.argIs(j, "count") && j < call.argc() - 1) {
                count = Numbers.parseLong(call.arg(j + 1), AUTOCLAIM_COUNT);
                if (count < 1 || count > Long.MAX_VALUE / 16) {
                    throw AUTOCLAIM_COUNT;
                }
                j++;
            } else if (call.argIs(j, "justid")) {
                justId = true;
            } else {
                throw Errors.SYNTAX;
            }
        }
        Database db = call.db();
        byte[] key = call.arg(1);
        StreamValue stream = db.getForWrite(key, StreamValue.class);
        StreamGroup group = stream == null ? null : stream.group(GroupCommands.name(call.arg(2)));
        if (group == null) {
            throw noGroup(key, call.arg(2));
        }
        // Redis allocates COUNT IDs up front; a count it cannot allocate is refused.
        if (count > TRANSIENT_LIMIT) {
            throw TOO_HIGH;
        }
        long attempts = count * ATTEMPTS_FACTOR;
        long now = call.now();
        String name = GroupCommands.name(call.arg(3));
        StreamConsumer consumer = null;
        List<Object> claimed = new ArrayList<>();
        List<StreamId> deleted = new ArrayList<>();
        StreamId id = group.pending.ceilingKey(start);
        while (attempts-- > 0 && count > 0 && id != null) {
            PendingEntry entry = group.pending.get(id);
            StreamId next = group.pending.higherKey(id);
            StreamEntry streamEntry = stream.get(id);
            if (streamEntry == null) {
                call.propagateAs(StreamPropagation.claim(key, group, id, entry));
                group.acknowledge(id);
                deleted.add(id);
                count--;
            } else if (minIdle == 0 || now - entry.deliveryTime >= minIdle) {
                if (consumer == null) {
                    consumer = GroupCommands.consumerOf(call, group, name, key);
                }
                entry.deliveryTime = now;
                if (!justId) {
                    entry.deliveryCount++;
                }
                group.assign(id, entry, consumer);
                claimed.add(justId ? id : streamEntry);
                count--;
                call.propagateAs(StreamPropagation.claim(key, group, id, entry));
            }
            id = next;
        }
        // Redis counts each entry claimed, and each one dropped from the PEL for being deleted.
        db.countChanges(claimed.size() + deleted.size());
        Reply reply = call.reply();
        reply.array(3);
        StreamReplies.id(reply, id == null ? StreamId.MIN : id);
        reply.array(claimed.size());
        for (Object item : claimed) {
            if (item instanceof StreamId claimedId) {
                StreamReplies.id(reply, claimedId);
            } else {
                StreamReplies.entry(reply, (StreamEntry) item);
            }
        }
        reply.array(deleted.size());
        for (StreamId gone : deleted) {
            StreamReplies.id(reply, gone);
        }
    }
}
