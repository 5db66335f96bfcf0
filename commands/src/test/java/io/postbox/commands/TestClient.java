package io.postbox.commands;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.postbox.resp.Reply;
import io.postbox.resp.RespWriter;
import java.nio.charset.StandardCharsets;

/**
 * A client without a socket, for running commands through the real dispatcher in unit tests: replies
 * accumulate as RESP text, and resumes and closes are recorded.
 */
public final class TestClient extends Client {

    private final ByteBuf output = Unpooled.buffer();
    private final RespWriter writer;
    private int resumes;
    private Runnable onResume = () -> { };
    private boolean closed;
    private boolean replica;
    /** The hard output limit, in bytes of replies not yet read; 0 for none. */
    private long hardOutputLimit;
    /** Input received and not run, as a test sets it. */
    private long queryBufferBytes;

    public TestClient(Engine engine) {
        this(engine, 2);
    }

    public TestClient(Engine engine, int protocol) {
        super(engine.clients().nextId(), System.currentTimeMillis(), engine.database(0), !engine.loginRequired());
        user(engine.acl().defaultUser());
        writer = new RespWriter(protocol);
        writer.target(output);
        engine.clients().add(this);
    }

    /** The request a client sends as {@code words}, each in ISO-8859-1: what the dispatcher is given. */
    public static byte[][] request(String... words) {
        byte[][] request = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            request[i] = words[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return request;
    }

    /** How often the pause machinery offered this client its held requests again. */
    public int resumes() {
        return resumes;
    }

    /** Runs {@code action} each time the client is resumed. */
    public void onResume(Runnable action) {
        onResume = action;
    }

    /** Whether the client was asked to close after its replies. */
    public boolean closed() {
        return closed;
    }

    /** The replies written since the last call, as RESP text. */
    public String replies() {
        String text = output.toString(StandardCharsets.ISO_8859_1);
        output.clear();
        return text;
    }

    /** Drops the replies written since the last call; how many bytes they took (for benchmarks). */
    public int dropReplies() {
        int written = output.readableBytes();
        output.clear();
        return written;
    }

    /** Sets a hard output limit on the replies waiting to be read, as client-output-buffer-limit does. */
    public void hardOutputLimit(long bytes) {
        hardOutputLimit = bytes;
    }

    @Override
    public boolean outputPastHardLimit() {
        return hardOutputLimit > 0 && output.readableBytes() > hardOutputLimit;
    }

    /** Pretends {@code bytes} of input arrived and wait to be run (CLIENT LIST's qbuf). */
    public void receiving(long bytes) {
        queryBufferBytes = bytes;
    }

    @Override
    public long queryBufferBytes() {
        return queryBufferBytes;
    }

    /** The input set by {@link #receiving}, as if it waited in a socket's direct buffer. */
    @Override
    public long offHeapBytes() {
        return queryBufferBytes;
    }

    /** Becomes a replica waiting for a snapshot that never comes, as SYNC makes a connection one. */
    @Override
    public void awaitSnapshot() {
        replica = true;
    }

    @Override
    public String replicaState() {
        return replica ? "wait_bgsave" : null;
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
