package io.postbox.persistence;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.postbox.commands.Client;
import io.postbox.resp.Reply;
import io.postbox.resp.RespWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A replica that records what it was asked to do, and what it was sent: its +FULLRESYNC or +CONTINUE
 * line, then the stream.
 */
final class RecordingReplica extends Client {

    final List<String> events = new ArrayList<>();
    final ByteBuf fed = Unpooled.buffer();
    private final RespWriter writer = new RespWriter(2);
    Runnable snapshotSent;

    /** One that wants the snapshot only ({@code REPLCONF rdb-only 1}), as redis-cli --rdb does. */
    static RecordingReplica rdbOnly(long id) {
        RecordingReplica replica = new RecordingReplica(id);
        replica.rdbOnly(true);
        return replica;
    }

    RecordingReplica(long id) {
        super(id, 0, null, true);
        writer.target(fed);
    }

    @Override
    public void awaitSnapshot() {
        events.add("await");
    }

    @Override
    public void sendSnapshot(Path file, Runnable sent) {
        events.add("send " + file.getFileName());
        snapshotSent = sent;
    }

    @Override
    public void startStreaming() {
        events.add("online");
    }

    @Override
    public void feedReplica(byte[] stream, int offset, int length) {
        fed.writeBytes(stream, offset, length);
    }

    @Override
    public Reply pushOutput() {
        return writer;
    }

    @Override
    public void close() {
        events.add("close");
    }

    @Override
    public Reply reply() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void protocol(int protocol) {
    }

    @Override
    public String address() {
        return "127.0.0.1:" + (40000 + id());
    }

    @Override
    public String localAddress() {
        return "127.0.0.1:6379";
    }

    @Override
    public void closeAfterReply() {
    }

    @Override
    public long pendingOutputBytes() {
        return 0;
    }
}
