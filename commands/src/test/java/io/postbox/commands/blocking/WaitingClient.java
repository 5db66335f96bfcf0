package io.postbox.commands.blocking;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.postbox.commands.Client;
import io.postbox.commands.Engine;
import io.postbox.resp.Reply;
import io.postbox.resp.RespWriter;
import java.nio.charset.StandardCharsets;

/** A client without a socket: its replies accumulate as RESP text, and resumes are counted. */
final class WaitingClient extends Client {

    private final ByteBuf output = Unpooled.buffer();
    private final RespWriter writer = new RespWriter(2);
    int resumes;

    WaitingClient(Engine engine) {
        super(engine.clients().nextId(), System.currentTimeMillis(), engine.database(0), true);
        writer.target(output);
        engine.clients().add(this);
    }

    /** The replies written since the last call, as RESP text. */
    String replies() {
        String text = output.toString(StandardCharsets.ISO_8859_1);
        output.clear();
        return text;
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
        return output.readableBytes();
    }

    @Override
    public void resumePostponed() {
        resumes++;
    }
}
