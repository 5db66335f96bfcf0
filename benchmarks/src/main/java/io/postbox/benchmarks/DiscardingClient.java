package io.postbox.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.postbox.commands.Client;
import io.postbox.commands.Engine;
import io.postbox.resp.Reply;
import io.postbox.resp.RespWriter;

/**
 * A client without a socket: its replies are encoded into a buffer, as for a connection, and dropped
 * when the benchmark asks for their size.
 */
final class DiscardingClient extends Client {

    private final ByteBuf output = Unpooled.buffer();
    private final RespWriter writer = new RespWriter(2);

    DiscardingClient(Engine engine) {
        super(engine.clients().nextId(), System.currentTimeMillis(), engine.database(0), true);
        writer.target(output);
        engine.clients().add(this);
    }

    /** How many bytes of replies were written since the last call; they are dropped. */
    int dropReplies() {
        int written = output.readableBytes();
        output.clear();
        return written;
    }

    @Override
    public Reply reply() {
        return writer;
    }

    @Override
    public void protocol(int protocol) {
        writer.protocol(protocol);
    }

    @Override
    public String address() {
        return "127.0.0.1:40000";
    }

    @Override
    public String localAddress() {
        return "127.0.0.1:6379";
    }

    @Override
    public void closeAfterReply() {
        throw new IllegalStateException("a benchmark's command asked to close its client");
    }

    @Override
    public long pendingOutputBytes() {
        return output.readableBytes();
    }
}
