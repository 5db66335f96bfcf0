package io.postbox.commands.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.postbox.commands.Client;
import io.postbox.commands.Engine;
import io.postbox.resp.Reply;
import io.postbox.resp.RespWriter;
import java.nio.charset.StandardCharsets;

/** A client without a socket: replies accumulate as RESP text, and resumes and closes are counted. */
final class TestClient extends Client {

    private final ByteBuf output = Unpooled.buffer();
    private final RespWriter writer = new RespWriter(2);
    int resumes;
    Runnable onResume = () -> { };
    boolean closed;

    TestClient(Engine engine) {
        super(engine.clients().nextId(), System.currentTimeMillis(), engine.database(0),
                engine.config().getString("requirepass").isEmpty());
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
        return "127.0.0.1:5000" + id();
    }

    @Override
    public String localAddress() {
        return "127.0.0.1:6379";
    }

    @Override
    public void closeAfterReply() {
        closed = true;
    }

    @Override
    public long pendingOutputBytes() {
        return output.readableBytes();
    }

    @Override
    public void resumePostponed() {
        resumes++;
        onResume.run();
    }
}
