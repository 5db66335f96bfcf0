package io.postbox.commands.scripting;

import io.postbox.commands.Client;
import io.postbox.commands.Engine;
import io.postbox.resp.Reply;

/**
 * The client the commands of a script run as, Redis's Lua client: no socket; replies become Lua
 * values ({@link ReplyToLua}); never blocks (a blocking command acts as its non-blocking twin); MONITOR
 * shows it as {@code lua} and the slow log as {@code ?:0}. It is not in CLIENT LIST.
 */
final class ScriptClient extends Client {

    private final ReplyToLua replies;
    /** The script's {@code redis.set_repl} flags: REPL_AOF (1), REPL_REPLICA (2), both at the start. */
    private int replication = RedisLibrary.REPL_ALL;
    /** Where replies go through while the debugger logs them, or null. */
    private LoggedReply logged;

    ScriptClient(Engine engine, ReplyToLua replies) {
        super(engine.clients().nextId(), System.currentTimeMillis(), engine.database(0), true);
        this.replies = replies;
        denyBlocking(true);
    }

    @Override
    public Reply reply() {
        return logged != null ? logged : replies;
    }

    /** Replies pass through {@code logged} on their way to the script until this is called with null. */
    void log(LoggedReply logged) {
        this.logged = logged;
    }

    @Override
    public void protocol(int protocol) {
        replies.protocol(protocol);
    }

    @Override
    public String address() {
        return "?:0";
    }

    @Override
    public String localAddress() {
        return "?:0";
    }

    @Override
    public boolean isScript() {
        return true;
    }

    /** Sets what the script's next writes are propagated to: its REPL_* flags are {@link CommandLog}'s TO_* bits. */
    void replication(int flags) {
        replication = flags;
    }

    @Override
    public int propagatesTo() {
        return replication;
    }

    @Override
    public String monitorName() {
        return "lua";
    }

    @Override
    public void closeAfterReply() {
    }

    @Override
    public long pendingOutputBytes() {
        return 0;
    }
}
