package io.postbox.commands.streams;

import io.postbox.commands.Errors;
import io.postbox.commands.Help;
import io.postbox.commands.Invocation;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * XINFO STREAM [FULL [COUNT n]], XINFO GROUPS, XINFO CONSUMERS and XINFO HELP: maps (arrays of pairs in
 * RESP2) with Redis 7.0's field names and order. A FULL listing shows at most COUNT (default 10, 0 for
 * all) entries, pending entries per group and per consumer.
 */
final class StreamInfo {

    private StreamInfo() {
    }

    private static StreamValue existing(Invocation call) {
        StreamValue stream = call.db().get(call.arg(2), StreamValue.class);
        if (stream == null) {
            throw Errors.NO_SUCH_KEY;
        }
        return stream;
    }

    static void stream(Invocation call) {
        StreamValue stream = existing(call);
        int options = call.argc() - 3;
        boolean full = options > 0;
        long count = 10;
        if (full) {
            if ((options != 1 && options != 3) || !call.argIs(3, "full")) {
                throw Help.subcommandSyntaxError(call);
            }
            if (options == 3) {
                if (!call.argIs(4, "count")) {
                    throw Help.subcommandSyntaxError(call);
                }
                count = call.longArg(5);
                if (count < 0) {
                    count = 10;
                }
            }
        }
        Reply reply = call.reply();
        reply.map(full ? 9 : 10);
        reply.bulk("length");
        reply.integer(stream.length);
        reply.bulk("radix-tree-keys");
        reply.integer(stream.nodeCount());
        reply.bulk("radix-tree-nodes");
        reply.integer(stream.nodeCount() + 1);
        reply.bulk("last-generated-id");
        StreamReplies.id(reply, stream.lastId);
        reply.bulk("max-deleted-entry-id");
        StreamReplies.id(reply, stream.maxDeletedId);
        reply.bulk("entries-added");
        reply.integer(stream.entriesAdded);
        reply.bulk("recorded-first-entry-id");
        StreamReplies.id(reply, stream.firstId);
        if (!full) {
            reply.bulk("groups");
            reply.integer(stream.groups.size());
            reply.bulk("first-entry");
            edge(reply, stream.range(StreamId.MIN, StreamId.MAX, 1, false));
            reply.bulk("last-entry");
            edge(reply, stream.range(StreamId.MIN, StreamId.MAX, 1, true));
            return;
        }
        reply.bulk("entries");
        StreamReplies.entries(reply, stream.range(StreamId.MIN, StreamId.MAX, count, false));
        reply.bulk("groups");
        reply.array(stream.groups.size());
        for (StreamGroup group : stream.groups.values()) {
            reply.map(7);
            reply.bulk("name");
            reply.bulk(group.name);
            reply.bulk("last-delivered-id");
            StreamReplies.id(reply, group.lastId);
            reply.bulk("entries-read");
            entriesRead(reply, group);
            reply.bulk("lag");
            lag(reply, stream, group);
            reply.bulk("pel-count");
            reply.integer(group.pending.size());
            reply.bulk("pending");
            List<Map.Entry<StreamId, PendingEntry>> pending = first(group.pending, count);
            reply.array(pending.size());
            for (Map.Entry<StreamId, PendingEntry> e : pending) {
                reply.array(4);
                StreamReplies.id(reply, e.getKey());
                reply.bulk(e.getValue().consumer.name);
                reply.integer(e.getValue().deliveryTime);
                reply.integer(e.getValue().deliveryCount);
            }
            reply.bulk("consumers");
            reply.array(group.consumers.size());
            for (StreamConsumer consumer : group.consumers.values()) {
                reply.map(4);
                reply.bulk("name");
                reply.bulk(consumer.name);
                reply.bulk("seen-time");
                reply.integer(consumer.seenTime);
                reply.bulk("pel-count");
                reply.integer(consumer.pending.size());
                reply.bulk("pending");
                List<Map.Entry<StreamId, PendingEntry>> own = first(consumer.pending, count);
                reply.array(own.size());
                for (Map.Entry<StreamId, PendingEntry> e : own) {
                    reply.array(3);
                    StreamReplies.id(reply, e.getKey());
                    reply.integer(e.getValue().deliveryTime);
                    reply.integer(e.getValue().deliveryCount);
                }
            }
        }
    }

    static void groups(Invocation call) {
        StreamValue stream = existing(call);
        Reply reply = call.reply();
        reply.array(stream.groups.size());
        for (StreamGroup group : stream.groups.values()) {
            reply.map(6);
            reply.bulk("name");
            reply.bulk(group.name);
            reply.bulk("consumers");
            reply.integer(group.consumers.size());
            reply.bulk("pending");
            reply.integer(group.pending.size());
            reply.bulk("last-delivered-id");
            StreamReplies.id(reply, group.lastId);
            reply.bulk("entries-read");
            entriesRead(reply, group);
            reply.bulk("lag");
            lag(reply, stream, group);
        }
    }

    static void consumers(Invocation call) {
        StreamValue stream = existing(call);
        StreamGroup group = stream.group(GroupCommands.name(call.arg(3)));
        if (group == null) {
            throw new ErrorReply("NOGROUP No such consumer group '" + call.argString(3) + "' for key name '"
                    + call.argString(2) + "'");
        }
        Reply reply = call.reply();
        long now = call.now();
        reply.array(group.consumers.size());
        for (StreamConsumer consumer : group.consumers.values()) {
            reply.map(3);
            reply.bulk("name");
            reply.bulk(consumer.name);
            reply.bulk("pending");
            reply.integer(consumer.pending.size());
            reply.bulk("idle");
            reply.integer(Math.max(0, now - consumer.seenTime));
        }
    }

    static void help(Invocation call) {
        Help.reply(call,
                "CONSUMERS <key> <groupname>",
                "    Show consumers of <groupname>.",
                "GROUPS <key>",
                "    Show the stream consumer groups.",
                "STREAM <key> [FULL [COUNT <count>]",
                "    Show information about the stream.");
    }

    private static void edge(Reply reply, List<StreamEntry> entry) {
        if (entry.isEmpty()) {
            reply.nullBulk();
        } else {
            StreamReplies.entry(reply, entry.get(0));
        }
    }

    private static void entriesRead(Reply reply, StreamGroup group) {
        if (group.entriesRead == StreamGroup.UNKNOWN_READS) {
            reply.nullBulk();
        } else {
            reply.integer(group.entriesRead);
        }
    }

    private static void lag(Reply reply, StreamValue stream, StreamGroup group) {
        Long lag = StreamLag.lag(stream, group);
        if (lag == null) {
            reply.nullBulk();
        } else {
            reply.integer(lag);
        }
    }

    private static List<Map.Entry<StreamId, PendingEntry>> first(Map<StreamId, PendingEntry> pending, long count) {
        List<Map.Entry<StreamId, PendingEntry>> result = new ArrayList<>();
        for (Map.Entry<StreamId, PendingEntry> e : pending.entrySet()) {
            if (count != 0 && result.size() >= count) {
                break;
            }
            result.add(e);
        }
        return result;
    }
}
