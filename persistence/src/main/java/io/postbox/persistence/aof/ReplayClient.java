package io.postbox.persistence.aof;

import io.postbox.commands.Client;
import io.postbox.commands.Engine;
import io.postbox.resp.DiscardingReply;
import io.postbox.resp.Reply;

/** The client that replays an append-only file at startup, as Redis's fake AOF client: no socket, no replies. */
final class ReplayClient extends Client {

    /** Replies to replayed commands go nowhere. */
    private final Reply replies = new DiscardingReply(() -> 2);

    ReplayClient(Engine engine) {
        super(engine.clients().nextId(), System.currentTimeMillis(), engine.database(0), true);
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
