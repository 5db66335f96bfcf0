package io.postbox.persistence.aof;

import io.postbox.commands.Client;
import io.postbox.commands.Engine;
import io.postbox.resp.DiscardingReply;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;

/**
 * The client that replays an append-only file at startup, as Redis's fake AOF client: no socket, no
 * replies. An error reply is kept until {@link #takeError}: Redis drops it too, but it means the data
 * loaded differs from what was written, which the loader reports.
 */
final class ReplayClient extends Client {

    private final Reply replies = new DiscardingReply(() -> 2, error -> this.error = error);
    private ErrorReply error;

    ReplayClient(Engine engine) {
        super(engine.clients().nextId(), System.currentTimeMillis(), engine.database(0), true);
    }

    /** The error replied to the commands replayed since the last call, or null; forgets it. */
    ErrorReply takeError() {
        ErrorReply taken = error;
        error = null;
        return taken;
    }

    @Override
    public boolean replaysAppendOnlyFile() {
        return true;
    }

    @Override
    public Reply reply() {
        return replies;
    }

    @Override
    public void protocol(int protocol) {
    }

    @Override
    public String address() {
        return "";
    }

    @Override
    public String localAddress() {
        return "";
    }

    @Override
    public void closeAfterReply() {
    }

    @Override
    public long pendingOutputBytes() {
        return 0;
    }
}
