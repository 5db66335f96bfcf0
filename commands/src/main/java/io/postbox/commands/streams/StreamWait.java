package io.postbox.commands.streams;

import io.postbox.commands.Engine;
import io.postbox.commands.blocking.PendingPop;
import io.postbox.commands.keyspace.Database;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A blocked XREAD or XREADGROUP: woken when one of its streams gets an entry past the ID it waits for
 * (for a group, past the group's last delivered ID at that moment, as other consumers may have moved
 * it), it replies with that one stream's new entries, at most COUNT (or 1000). A group destroyed while
 * a reader waits ends the wait with NOGROUP.
 */
final class StreamWait implements PendingPop {

    private static final ErrorReply GROUP_GONE = new ErrorReply(
            "NOGROUP the consumer group this client was blocked on no longer exists");

    private static final ErrorReply STREAM_GONE = new ErrorReply("UNBLOCKED the stream key no longer exists");

    private final Engine engine;
    private final StreamReads.Request request;
    private final List<byte[][]> effects = new ArrayList<>();

    StreamWait(Engine engine, StreamReads.Request request) {
        this.engine = engine;
        this.request = request;
    }

    @Override
    public boolean accepts(Object value) {
        return value instanceof StreamValue;
    }

    @Override
    public boolean accepts(byte[] key, Object value) {
        if (!(value instanceof StreamValue stream)) {
            return false;
        }
        if (request.group() == null) {
            return stream.lastId.compareTo(waitedId(key)) > 0;
        }
        StreamGroup group = stream.group(GroupCommands.name(request.group()));
        return group == null || stream.lastId.compareTo(group.lastId) > 0;
    }

    /** A group reader whose stream was deleted or replaced by another type is told so. */
    @Override
    public ErrorReply refusal(Object value) {
        return request.group() != null && !(value instanceof StreamValue) ? STREAM_GONE : null;
    }

    @Override
    public void serve(Database db, byte[] key, Object value, Reply reply, boolean waited) {
        StreamValue stream = (StreamValue) value;
        long count = request.count() == 0 ? StreamReads.BLOCKED_DEFAULT_COUNT : request.count();
        effects.clear();
        List<StreamEntry> entries;
        if (request.group() == null) {
            StreamId after = waitedId(key);
            entries = stream.range(after.next(), StreamId.MAX, count, false);
        } else {
            StreamGroup group = stream.group(GroupCommands.name(request.group()));
            if (group == null) {
                throw GROUP_GONE;
            }
            long now = engine.now();
            StreamConsumer consumer = GroupRead.consumer(db, now, key, group,
                    GroupCommands.name(request.consumer()), effects::add);
            entries = GroupRead.newEntries(now, key, stream, group, consumer, group.lastId, count,
                    request.noAck(), effects::add);
        }
        StreamReads.reply(reply, List.of(key), List.of(entries));
    }

    @Override
    public void replyEmpty(Reply reply) {
        reply.nullArray();
    }

    /** Unused: a stream read logs through {@link #effects}, which may be none or several commands. */
    @Override
    public byte[][] effect(byte[] key) {
        throw new UnsupportedOperationException("stream reads log through effects()");
    }

    @Override
    public List<byte[][]> effects(byte[] key) {
        return List.copyOf(effects);
    }

    private StreamId waitedId(byte[] key) {
        List<byte[]> keys = request.keys();
        for (int i = 0; i < keys.size(); i++) {
            if (Arrays.equals(keys.get(i), key)) {
                return request.ids()[i];
            }
        }
        throw new IllegalStateException("not waiting on this key");
    }
}
