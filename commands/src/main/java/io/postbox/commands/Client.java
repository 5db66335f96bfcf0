package io.postbox.commands;

import io.postbox.commands.acl.AclUser;
import io.postbox.commands.connection.Loopback;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.pubsub.Subscriptions;
import io.postbox.commands.tracking.TrackingMode;
import io.postbox.commands.transactions.Transaction;
import io.postbox.resp.Reply;
import java.nio.file.Path;

/**
 * The state of one connected client that commands read and change: identity, selected database,
 * protocol, authentication. The network side (socket, output buffers, closing) is the server's
 * subclass; commands see only this contract.
 *
 * <p>Owned by the executor thread.
 */
public abstract class Client {

    /** Items a command whose reply the data does not bound writes between two {@link #outputPastHardLimit} looks. */
    public static final int ITEMS_PER_OUTPUT_CHECK = 1024;

    /** What CLIENT REPLY has set. */
    public enum ReplyMode { ON, OFF, SKIP }

    /** What SCRIPT DEBUG has set: NO, YES (a session in a forked child, in Redis) or SYNC. */
    public enum ScriptDebugging { NO, YES, SYNC }

    private final long id;
    private final long createdMillis;
    private long lastInteractionMillis;
    private String name = "";
    private String libName = "";
    private String libVersion = "";
    private Database database;
    private boolean authenticated;
    private AclUser user;
    private Command lastCommand;
    private ReplyMode replyMode = ReplyMode.ON;
    private boolean skipNextReply;
    private boolean noEvict;
    private boolean denyBlocking;
    private ScriptDebugging scriptDebugging = ScriptDebugging.NO;
    private BlockedOperation blockedOn;
    private Transaction transaction;
    private Subscriptions subscriptions;
    private TrackingMode tracking;
    private boolean monitoring;
    private boolean rdbOnly;
    private boolean rdbFunctionsOnly;
    private int replicaListeningPort;
    private String replicaAnnouncedIp;
    private long replicaAckOffset;
    private long lastWriteOffset;
    private long replicaAckMillis;
    /**
     * {@link ClientEviction}'s: the memory it last counted for this client, the part of it outside the heap,
     * and the bucket it is in (-1: none).
     */
    long countedMemory;
    long countedOffHeap;
    int memoryBucket = -1;

    protected Client(long id, long createdMillis, Database database, boolean authenticated) {
        this.id = id;
        this.createdMillis = createdMillis;
        this.lastInteractionMillis = createdMillis;
        this.database = database;
        this.authenticated = authenticated;
    }

    /** Where this client's replies go; its protocol is the client's protocol. */
    public abstract Reply reply();

    /**
     * Where pub/sub messages and subscription confirmations to this client go: its replies, even while
     * CLIENT REPLY OFF or SKIP silences them, as Redis 7.0 pushes them past those modes.
     */
    public Reply pushOutput() {
        return reply();
    }

    /** Switches between RESP2 and RESP3 (HELLO). */
    public abstract void protocol(int protocol);

    /** {@code ip:port} of the peer, as CLIENT LIST's {@code addr}. */
    public abstract String address();

    /** {@code ip:port} of our end, as CLIENT LIST's {@code laddr}. */
    public abstract String localAddress();

    /**
     * Whether the output waiting for this client, the reply being built included, has passed its hard
     * {@code client-output-buffer-limit}: that reply is then never sent, and the client is closed when
     * it is flushed. A command whose reply the data does not bound (random picks with a negative count)
     * asks as it goes and stops there, as Redis stops it.
     */
    public boolean outputPastHardLimit() {
        return false;
    }

    /** Whether the client connected through the Unix socket ({@code unixsocket}). */
    public boolean unixSocket() {
        return false;
    }

    /** Whether the peer is on this host as Redis counts it: 127.0.0.1 or ::1 (or the Unix socket's). */
    public boolean local() {
        return Loopback.isLocal(address());
    }

    /** Closes the connection once the replies written so far have been sent (QUIT, CLIENT KILL). */
    public abstract void closeAfterReply();

    /** Bytes queued for this client and not yet written to its socket. */
    public abstract long pendingOutputBytes();

    /**
     * Of what this client takes, the bytes outside the JVM's heap: its input not parsed yet and its
     * output not written yet, in the socket's direct buffers. The heap in use leaves them out; INFO's
     * {@code used_memory} and maxmemory add them, as Redis's allocator counts client buffers.
     */
    public long offHeapBytes() {
        return 0;
    }

    /**
     * Of {@link #pendingOutputBytes()}, the buffers already handed to the socket and waiting for it
     * (CLIENT LIST's {@code oll}); a client without a socket has none.
     */
    public long queuedOutputBuffers() {
        return 0;
    }

    /** The bytes of {@link #queuedOutputBuffers()} (CLIENT LIST's {@code omem}). */
    public long queuedOutputBytes() {
        return 0;
    }

    /**
     * Input received and not run yet, as CLIENT LIST's {@code qbuf}: the request being received, and
     * the requests held back behind a blocked or paused one (which Redis keeps in its query buffer).
     */
    public long queryBufferBytes() {
        return 0;
    }

    /** Room allocated for input and not filled yet, as CLIENT LIST's {@code qbuf-free}. */
    public long queryBufferFree() {
        return 0;
    }

    /**
     * CLIENT LIST's {@code argv-mem}: the arguments of the command the client waits in (BLPOP), and in
     * a connection those of the request being received that arrived whole.
     */
    public long argumentBytes() {
        return blockedOn == null ? 0 : blockedOn.argumentBytes();
    }

    /** Whether this is the client a script's commands run as (Redis's CLIENT_SCRIPT). */
    public boolean isScript() {
        return false;
    }

    /**
     * Where the writes this client runs are propagated ({@link CommandLog#TO_AOF}, {@link
     * CommandLog#TO_REPLICAS}): to both, but for a script's after {@code redis.set_repl} took one away.
     */
    public int propagatesTo() {
        return CommandLog.TO_AOF | CommandLog.TO_REPLICAS;
    }

    /**
     * Whether this is the client that replays the append-only file at startup (Redis's AOF client): its
     * commands run while the server is loading, when those of every other client are refused.
     */
    public boolean replaysAppendOnlyFile() {
        return false;
    }

    /**
     * Whether this is the connection to the master this server follows (Redis's CLIENT_MASTER): it runs
     * the master's stream, unanswered, and nothing refuses its writes.
     */
    public boolean master() {
        return false;
    }

    /**
     * Whether the client's writes must be applied whatever this server thinks of them (Redis's
     * mustObeyClient): the master's, and the append-only file's replay.
     */
    public final boolean mustObey() {
        return master() || replaysAppendOnlyFile();
    }

    /** How MONITOR shows who sent a command: the peer's address; the script client says {@code lua}. */
    public String monitorName() {
        return address();
    }

    /** The socket's file descriptor, as CLIENT LIST's {@code fd}; -1 for a client without one. */
    public int fd() {
        return -1;
    }

    /**
     * Closes the connection at once, dropping replies not yet sent (CLIENT KILL of another client,
     * idle timeout). A client without a socket of its own just closes after its replies.
     */
    public void close() {
        closeAfterReply();
    }

    /**
     * Runs, in order, the requests this connection held back while the server was paused (CLIENT PAUSE,
     * DEBUG SLEEP) or while it was blocked (BLPOP), until one is held back again. Called by
     * {@link io.postbox.commands.connection.ClientPause} when a pause ends and by
     * {@link io.postbox.commands.blocking.BlockedClients} when a wait ends; a client without a connection
     * holds nothing back.
     */
    public void resumePostponed() {
    }

    /** Whether this connection became a replica (SYNC or PSYNC): no idle timeout closes it. */
    public final boolean replica() {
        return replicaState() != null;
    }

    /** Whether this connection is a replica that has its snapshot and is fed the stream of writes. */
    public final boolean replicaOnline() {
        return "online".equals(replicaState());
    }

    /**
     * Where the sync of this connection stands if it became a replica, as INFO replication names it:
     * {@code wait_bgsave} until its snapshot is saved, then {@code send_bulk}, then {@code online} (a
     * replica fed the stream); null for any other client.
     */
    public String replicaState() {
        return null;
    }

    /**
     * Makes this connection a replica waiting for a snapshot (SYNC, PSYNC): its requests are no longer
     * run, and until {@link #sendSnapshot} or {@link #close()} it gets a newline each second, as Redis
     * keeps such a replica's link alive. Only a connection can be a replica.
     */
    public void awaitSnapshot() {
        throw new UnsupportedOperationException("only a connection can be a replica");
    }

    /**
     * Sends the RDB {@code file} to this replica as its sync's payload: {@code $}, the file's length and
     * CRLF, then the file's bytes, read off the executor; then runs {@code sent} on the executor, or
     * closes the connection if the transfer failed.
     */
    public void sendSnapshot(Path file, Runnable sent) {
        throw new UnsupportedOperationException("only a connection can be a replica");
    }

    /**
     * Makes this replica online: from now on its requests run (REPLCONF ACK) with their replies dropped,
     * as a master answers its replicas nothing, and it is fed the stream ({@link #feedReplica}).
     */
    public void startStreaming() {
        throw new UnsupportedOperationException("only a connection can be a replica");
    }

    /** Sends {@code length} bytes of {@code stream} from {@code offset} to this replica, after what went before. */
    public void feedReplica(byte[] stream, int offset, int length) {
        throw new UnsupportedOperationException("only a connection can be a replica");
    }

    /**
     * The address this replica announced ({@code REPLCONF ip-address}), else the IP of its connection's
     * ({@code ip:port} or {@code [ipv6]:port}), as Redis shows a replica's.
     */
    public String replicaHost() {
        if (replicaAnnouncedIp != null) {
            return replicaAnnouncedIp;
        }
        String address = address();
        String host = address.substring(0, address.lastIndexOf(':'));
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** How log lines name this replica: its host and the port it listens on, as Redis's replicationGetSlaveName. */
    public String replicaName() {
        String host = replicaHost();
        if (replicaListeningPort == 0) {
            return host + ":<unknown-replica-port>";
        }
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + replicaListeningPort;
    }

    public void replicaAnnouncedIp(String ip) {
        this.replicaAnnouncedIp = ip;
    }

    /** Where the replicas' stream ended after this client's last write: what its WAIT waits for. */
    public long lastWriteOffset() {
        return lastWriteOffset;
    }

    public void lastWriteOffset(long offset) {
        lastWriteOffset = offset;
    }

    /** The stream offset this replica last acknowledged ({@code REPLCONF ACK}); 0 before any. */
    public long replicaAckOffset() {
        return replicaAckOffset;
    }

    /** When this replica last acknowledged, in Unix milliseconds; when it came online before any. */
    public long replicaAckMillis() {
        return replicaAckMillis;
    }

    /** The replica acknowledged {@code offset} at {@code nowMillis}; an offset never goes back. */
    public void replicaAcked(long offset, long nowMillis) {
        replicaAckOffset = Math.max(replicaAckOffset, offset);
        replicaAckMillis = nowMillis;
    }

    public long id() {
        return id;
    }

    public long createdMillis() {
        return createdMillis;
    }

    public long lastInteractionMillis() {
        return lastInteractionMillis;
    }

    public void lastInteractionMillis(long millis) {
        this.lastInteractionMillis = millis;
    }

    public String name() {
        return name;
    }

    public void name(String name) {
        this.name = name;
    }

    public String libName() {
        return libName;
    }

    public void libName(String libName) {
        this.libName = libName;
    }

    public String libVersion() {
        return libVersion;
    }

    public void libVersion(String libVersion) {
        this.libVersion = libVersion;
    }

    public Database database() {
        return database;
    }

    public void database(Database database) {
        this.database = database;
    }

    public int protocol() {
        return reply().protocol();
    }

    public boolean authenticated() {
        return authenticated;
    }

    /** The user the client acts as; null for the server's own clients (the AOF's replay), which may run anything. */
    public AclUser user() {
        return user;
    }

    public void user(AclUser user) {
        this.user = user;
    }

    public void authenticated(boolean authenticated) {
        this.authenticated = authenticated;
    }

    public Command lastCommand() {
        return lastCommand;
    }

    public void lastCommand(Command command) {
        this.lastCommand = command;
    }

    public ReplyMode replyMode() {
        return replyMode;
    }

    public void replyMode(ReplyMode replyMode) {
        this.replyMode = replyMode;
    }

    public boolean skipNextReply() {
        return skipNextReply;
    }

    public void skipNextReply(boolean skip) {
        this.skipNextReply = skip;
    }

    public boolean noEvict() {
        return noEvict;
    }

    public void noEvict(boolean noEvict) {
        this.noEvict = noEvict;
    }

    /**
     * True while this client's commands must not block (Redis's CLIENT_DENY_BLOCKING): inside EXEC and
     * for the client scripts run as. A blocking command then acts as its non-blocking twin.
     */
    public boolean denyBlocking() {
        return denyBlocking;
    }

    public void denyBlocking(boolean denyBlocking) {
        this.denyBlocking = denyBlocking;
    }

    /** How this client's EVAL scripts run: in a debugging session unless NO. */
    public ScriptDebugging scriptDebugging() {
        return scriptDebugging;
    }

    public void scriptDebugging(ScriptDebugging scriptDebugging) {
        this.scriptDebugging = scriptDebugging;
    }

    /** What this client waits for in a blocking command, or null when it is not blocked. */
    public BlockedOperation blockedOn() {
        return blockedOn;
    }

    public void blockedOn(BlockedOperation operation) {
        this.blockedOn = operation;
    }

    /** MULTI and WATCH state, or null before the client first used either. */
    public Transaction transaction() {
        return transaction;
    }

    public void transaction(Transaction transaction) {
        this.transaction = transaction;
    }

    /** Pub/sub subscriptions, or null before the client first subscribed. */
    public Subscriptions subscriptions() {
        return subscriptions;
    }

    public void subscriptions(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    /** How the client tracks keys for its cache (CLIENT TRACKING), or null when it does not. */
    public TrackingMode tracking() {
        return tracking;
    }

    public void tracking(TrackingMode tracking) {
        this.tracking = tracking;
    }

    /** Whether the client is in pub/sub mode: subscribed to any channel, pattern or shard channel. */
    public boolean subscribed() {
        return subscriptions != null && subscriptions.any();
    }

    /** Whether the client is in MONITOR mode. */
    public boolean monitoring() {
        return monitoring;
    }

    public void monitoring(boolean monitoring) {
        this.monitoring = monitoring;
    }

    /** Whether the client, as a replica, wants the snapshot and nothing after it ({@code REPLCONF rdb-only 1}). */
    public boolean rdbOnly() {
        return rdbOnly;
    }

    public void rdbOnly(boolean rdbOnly) {
        this.rdbOnly = rdbOnly;
    }

    /** Whether the client, as a replica, wants the functions only ({@code REPLCONF rdb-filter-only functions}). */
    public boolean rdbFunctionsOnly() {
        return rdbFunctionsOnly;
    }

    public void rdbFunctionsOnly(boolean rdbFunctionsOnly) {
        this.rdbFunctionsOnly = rdbFunctionsOnly;
    }

    /** The port the client, as a replica, says it listens on ({@code REPLCONF listening-port}); 0 if it did not. */
    public int replicaListeningPort() {
        return replicaListeningPort;
    }

    public void replicaListeningPort(int port) {
        this.replicaListeningPort = port;
    }
}
