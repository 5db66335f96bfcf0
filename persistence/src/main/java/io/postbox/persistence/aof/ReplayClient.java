package io.postbox.persistence.aof;

import io.postbox.commands.Client;
import io.postbox.commands.Engine;
import io.postbox.resp.Reply;

/** The client that replays an append-only file at startup, as Redis's fake AOF client: no socket, no replies. */
final class ReplayClient extends Client {

    private final Reply replies = new DiscardedReplies();

    ReplayClient(Engine engine) {
        super(engine.clients().nextId(), System.currentTimeMillis(), engine.database(0), true);
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
