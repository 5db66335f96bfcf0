package io.postbox.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.DomainSocketChannel;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.NetUtil;
import io.postbox.commands.Client;
import io.postbox.commands.ClientEviction;
import io.postbox.commands.Command;
import io.postbox.commands.Dispatcher;
import io.postbox.commands.Engine;
import io.postbox.commands.config.ConfigOption;
import io.postbox.commands.config.OutputBufferLimits;
import io.postbox.commands.connection.ClientInfo;
import io.postbox.commands.connection.Loopback;
import io.postbox.commands.transactions.Transaction;
import io.postbox.resp.DiscardingReply;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.ProtocolError;
import io.postbox.resp.QueryBufferOverflow;
import io.postbox.resp.Reply;
import io.postbox.resp.Repr;
import io.postbox.resp.RequestBytes;
import io.postbox.resp.RequestLimits;
import io.postbox.resp.RespDecoder;
import io.postbox.resp.RespWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client connection: decoded requests in, the dispatcher in the middle, replies out.
 *
 * <p>Runs on the executor thread, which is also this channel's event loop. Replies accumulate in an
 * output buffer and are flushed by {@link PendingWrites} once the current batch of work is done, so a
 * pipeline of many commands leaves in one write.
 *
 * <p>Requests run strictly in order, and wait in {@link #held} while anything holds them back: a
 * server pause (CLIENT PAUSE, DEBUG SLEEP; resumed through {@link #resumePostponed()}) or a blocking
 * command still waiting (resumed the same way when its wait ends). The executor never waits. While
 * CLIENT REPLY has replies off, commands write to a {@link DiscardingReply}.
 *
 * <p>A client that sends faster than it reads its replies is still read and served, as Redis serves
 * it: clients commonly write a whole pipeline before they read any reply (redis-py, Jedis), and one
 * not read until its replies drained would wait forever on its own writes. Its output is handed to the
 * channel early, once it reaches the high-water mark, and waits there; what bounds it is Redis's
 * bounds, {@code client-output-buffer-limit} and {@code maxmemory-clients}.
 *
 * <p>Output the client did not ask for (pub/sub messages, MONITOR lines) is written to the same buffer
 * by other clients' commands; each flush checks the pending output against
 * {@code client-output-buffer-limit} ({@link OutputBufferLimit}) and drops a client over it.
 *
 * <p>Held requests count toward {@code client-query-buffer-limit}, as Redis keeps them in its query
 * buffer, so a blocked client that keeps sending is closed at the limit. What the client takes in memory
 * is counted again after each read, command and write ({@link ClientEviction}), and before each command
 * clients are evicted if together they take {@code maxmemory-clients} or more.
 *
 * <p>A request that runs a script (or an EXEC that does) gets a turn of its own, a task of the loop
 * outside its I/O processing, so that if the script runs long a standby thread can drive the loop
 * meanwhile ({@link BusyScript}); the client is not read until its script has run. On the standby,
 * requests are answered by {@link BusyScript#answer}, closing is finished after the script, and
 * output written by a thread that does not own the loop goes aside and reaches {@link #output}
 * through the owner ({@link #append}).
 *
 * <p>A client that asks for a sync (SYNC, PSYNC) becomes a replica: what it sends after is not run, it
 * gets a newline each second until its snapshot is saved, then the file, sent by a {@link
 * SnapshotTransfer} after every reply before it. Then it is closed if it wanted the snapshot only, or
 * else goes online: it is fed the stream of writes, and its requests (acknowledgements) run again,
 * unanswered.
 *
 * <p>The connection to the master this server follows is a client too, once its snapshot is loaded
 * ({@link #runAsMaster}): it runs the master's stream unanswered and unrefused, tells its {@link
 * MasterFollower} what each command applied, and is exempt from the limits that protect the server
 * from its clients (query buffer, output buffer, idle timeout, eviction), as Redis's master client is.
 */
final class ClientConnection extends Client implements RequestLimits {

    /** The bytes of a held request a log line shows, as Redis shows the start of its query buffer. */
    private static final int QUERY_BUFFER_SAMPLE = 64;

    private final Channel channel;
    private final Engine engine;
    private final Dispatcher dispatcher;
    private final PendingWrites pendingWrites;
    private final BusyScript busyScript;
    private final ServerLog log;
    /** Where a failure that is no I/O error (a bug) is reported as the connection closes. */
    private final RecurringFailureLog failures;
    private final RespWriter writer = new RespWriter(2);
    /** Where replies go while CLIENT REPLY has them off or skipped. */
    private final Reply silent = new DiscardingReply(writer::protocol);
    /** The decoder asks for these per argument: held as options, so no lookup by name each time. */
    private final ConfigOption<Long> maxBulkLength;
    private final ConfigOption<Long> maxQueryBuffer;
    private final OutputBufferLimit outputLimit;
    private final ClientEviction eviction;
    private final RespDecoder decoder = new RespDecoder(this);
    /** Requests (argument arrays, protocol errors) not run yet; later ones queue behind. */
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    /** The size of the {@link #held} requests in RESP. */
    private long heldBytes;
    private ByteBuf output;
    private boolean closing;
    private boolean closed;
    /** Whether the requests run now are in the turn a script gets, out of the loop's I/O processing. */
    private boolean scriptTurn;
    private boolean scriptTurnQueued;
    /** Whether this connection became a replica (SYNC): its requests are not run, and it gets its snapshot. */
    private boolean replica;
    /** Whether the replica is online: fed the stream, its requests run again. */
    private boolean streaming;
    /** Whether the replica's snapshot is being sent. */
    private boolean sendingSnapshot;
    /** The newline a replica gets each second while it waits for its snapshot. */
    private ScheduledFuture<?> keepAlive;
    /** The link this connection applies the master's stream for, if it is the master's connection. */
    private MasterFollower follower;
    /** Where the master's commands reply: nowhere, but errors are logged (see {@link #runAsMaster}). */
    private Reply masterReplies;

    ClientConnection(Channel channel, Engine engine, Dispatcher dispatcher, PendingWrites pendingWrites,
                     BusyScript busyScript, ServerLog log, RecurringFailureLog failures) {
        super(engine.clients().nextId(), System.currentTimeMillis(), engine.database(0), !engine.loginRequired());
        user(engine.acl().defaultUser());
        this.channel = channel;
        this.engine = engine;
        this.dispatcher = dispatcher;
        this.pendingWrites = pendingWrites;
        this.busyScript = busyScript;
        this.log = log;
        this.failures = failures;
        this.maxBulkLength = engine.config().option("proto-max-bulk-len");
        this.maxQueryBuffer = engine.config().option("client-query-buffer-limit");
        this.outputLimit = new OutputBufferLimit(engine.config());
        this.eviction = engine.clientEviction();
    }

    /** The decoder that feeds {@link #handler()}: first in the pipeline after the traffic counter. */
    RespDecoder decoder() {
        return decoder;
    }

    /** The Netty handler that feeds this connection. */
    ChannelInboundHandlerAdapter handler() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) {
                onMessage(message);
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                // A request still arriving takes memory too, though it ran nothing yet.
                countMemory();
                if (!busyScript.standingIn()) {
                    eviction.evictIfOver();
                }
                pendingWrites.flushAfterRound();
            }

            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                // Output drained below the low-water mark: it takes that much less memory.
                if (channel.isWritable()) {
                    countMemory();
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                if (busyScript.debugs(ClientConnection.this)) {
                    busyScript.debuggerGone();
                }
                busyScript.defer(() -> {
                    forget();
                    releaseOutput();
                    if (follower != null) {
                        follower.linkLost(ClientConnection.this);
                    }
                });
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                // A peer that went away is routine; anything else escaped a command, and the log says where.
                if (!(cause instanceof IOException)) {
                    StackTraceElement[] trace = cause.getStackTrace();
                    String command = lastCommand() == null ? "NULL" : lastCommand().fullName();
                    failures.report("Closing client after an unexpected error: " + describe() + " cmd=" + command
                            + ": " + cause + (trace.length > 0 ? " at " + trace[0] : ""));
                }
                ctx.close();
            }
        };
    }

    private void onMessage(Object message) {
        if (closing || (replica && !streaming)) {
            return;
        }
        // The command clock, as Redis uses its cached clock here: no clock read per request.
        lastInteractionMillis(engine.now());
        if (message instanceof QueryBufferOverflow overflow) {
            closeOverQueryBuffer(overflow.bytes(), overflow.head());
            return;
        }
        held.add(message);
        heldBytes += sizeOf(message);
        runHeld();
        if (!held.isEmpty() && queryBufferBytes() > maxQueryBuffer() && !closing) {
            Object first = held.peek();
            closeOverQueryBuffer(queryBufferBytes(), first instanceof byte[][] args
                    ? RequestBytes.head(args, QUERY_BUFFER_SAMPLE) : new byte[0]);
        }
    }

    private void closeOverQueryBuffer(long bytes, byte[] head) {
        log.warning("Closing client that reached max query buffer length: " + describe()
                + " qbuf=" + bytes + " (qbuf initial bytes: " + Repr.of(head) + ")");
        close();
    }

    private static long sizeOf(Object request) {
        return request instanceof byte[][] args ? RequestBytes.size(args) : 0;
    }

    /**
     * Runs held requests in order until one is held back by a pause or a busy script, or until one
     * blocks the client (BLPOP): the rest wait until it is served, times out or is unblocked.
     */
    private void runHeld() {
        while (!held.isEmpty() && !closing && (!replica || streaming) && blockedOn() == null) {
            Object next = held.peek();
            Command command = next instanceof byte[][] args ? engine.commands().lookup(args[0]) : null;
            if (busyScript.standingIn()) {
                if (scriptTurn && busyScript.debugs(this)) {
                    passHeldToDebugger();
                    return;
                }
                // The script's own client waits for its script, and the master's stream for the script to
                // end, as Redis's does; the others are answered or wait.
                if (scriptTurn || follower != null || !busyScript.answer(this, next)) {
                    channel.config().setAutoRead(false);
                    return;
                }
            } else if (!scriptTurn && runsScript(command)) {
                if (!scriptTurnQueued) {
                    takeScriptTurn();
                }
                return;
            } else if (engine.pause().frozen() || evicted() || !process(next, command)) {
                if (!closing) {
                    engine.pause().postpone(this);
                }
                return;
            }
            Object done = held.poll();
            heldBytes -= sizeOf(done);
            if (follower != null) {
                follower.applied(this, done);
            }
            countMemory();
            if (output != null && output.readableBytes() >= channel.config().getWriteBufferHighWaterMark()) {
                flush();
            }
        }
        if (held.isEmpty() && channel.isActive() && !channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
    }

    /** Has what this client takes counted again; once it closed, events still arriving for it change nothing. */
    private void countMemory() {
        if (!closed) {
            eviction.update(this);
        }
    }

    /** Evicts clients if together they take too much, as Redis does before each command; true if this one went. */
    private boolean evicted() {
        eviction.evictIfOver();
        return closing;
    }

    /**
     * Standby, while this client debugs its script (SCRIPT DEBUG SYNC): the requests behind the one
     * running the script go to the debugger, as many as it takes in; reading waits while it has enough.
     */
    void passHeldToDebugger() {
        Iterator<Object> requests = held.iterator();
        if (!busyScript.debugs(this) || !requests.hasNext()) {
            return;
        }
        requests.next();
        while (requests.hasNext() && busyScript.debuggerTakes()) {
            Object request = requests.next();
            busyScript.debugRequest(request);
            requests.remove();
            heldBytes -= sizeOf(request);
        }
        channel.config().setAutoRead(!requests.hasNext());
    }

    /** Whether the connection is still open; any thread. */
    boolean connected() {
        return channel.isActive();
    }

    /**
     * Whether the request runs a script, so needs a turn of its own. Not while the dataset loads: the
     * dispatcher refuses it then (-LOADING), and a replica's sync serves clients' I/O only, no task, until
     * its load ends.
     */
    private boolean runsScript(Command command) {
        return command != null && (command.runsScript() || Transaction.execRunsScript(this, command))
                && !engine.persistence().loading;
    }

    /**
     * Runs the held requests, from the script's on, in a task of their own. Requests read meanwhile
     * queue behind it; reading stops only if the script turns busy (see {@link #runHeld}), which
     * spares two epoll_ctl calls per script turn. The replies wait for the round's other turns, as
     * Redis writes all of a round's replies in its beforeSleep: flushed at the end of each turn, they
     * left a script's run apart, and each write found its client asleep again and woke it (an
     * inter-processor interrupt per write, on 2 cores): EVALSHA at {@code -c 50 -P 16} took about 2.5
     * times Redis's kernel time per request.
     */
    private void takeScriptTurn() {
        scriptTurnQueued = true;
        channel.eventLoop().execute(() -> {
            scriptTurnQueued = false;
            scriptTurn = true;
            try {
                runHeld();
            } finally {
                scriptTurn = false;
            }
            pendingWrites.flushAfterRound();
        });
    }

    /**
     * Runs one request ({@code command} is its looked-up command, null if unknown); false if a pause
     * holds it back, in which case nothing happened.
     */
    private boolean process(Object message, Command command) {
        if (message instanceof byte[][] args) {
            if (!dispatcher.dispatch(this, args, command)) {
                return false;
            }
            afterCommand();
        } else if (message instanceof ProtocolError error) {
            // Counted as an error reply (errorstat_ERR), as Redis does.
            engine.stats().error("ERR");
            reply().error(new ErrorReply("ERR " + error.message()));
            log.verbose("Protocol error (" + error.reason() + ") from client: " + describe());
            closeAfterReply();
        }
        return true;
    }

    @Override
    public void resumePostponed() {
        runHeld();
    }

    @Override
    public String replicaState() {
        if (!replica) {
            return null;
        }
        return streaming ? "online" : sendingSnapshot ? "send_bulk" : "wait_bgsave";
    }

    @Override
    public void awaitSnapshot() {
        replica = true;
        keepAlive = channel.eventLoop().scheduleAtFixedRate(() -> {
            if (!closed) {
                pendingWrites.barrier().send(this, channel.alloc().buffer(1).writeByte('\n'), false);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    /** The newlines stop; the file follows every reply sent before it, read by a {@link SnapshotTransfer}. */
    @Override
    public void sendSnapshot(Path file, Runnable sent) {
        if (closed) {
            return;
        }
        keepAlive.cancel(false);
        sendingSnapshot = true;
        long timeoutMillis = engine.config().getLong("repl-timeout") * 1000;
        pendingWrites.barrier().afterSent(
                () -> SnapshotTransfer.start(channel, file, timeoutMillis, (bytes, error) -> {
                    if (error == null) {
                        engine.stats().netReplicationOutputBytes += bytes;
                        sent.run();
                        return;
                    }
                    if (!closed) {
                        log.warning("Sending the snapshot to replica " + address() + " failed: " + error.getMessage());
                    }
                    close();
                }));
    }

    @Override
    public void startStreaming() {
        replica = true;
        streaming = true;
        sendingSnapshot = false;
        if (keepAlive != null) {
            keepAlive.cancel(false);
        }
        runHeld();
    }

    @Override
    public void feedReplica(byte[] stream, int offset, int length) {
        if (closed) {
            return;
        }
        if (!channel.eventLoop().inEventLoop()) {
            busyScript.sideBytes(this, channel.alloc(), writer.protocol()).writeBytes(stream, offset, length);
            return;
        }
        output();
        output.writeBytes(stream, offset, length);
        pendingWrites.flushAfterRound();
    }

    /** Who the client is, for log lines: the first fields of CLIENT LIST. */
    private String describe() {
        return "id=" + id() + " addr=" + address() + " laddr=" + localAddress() + " name=" + name();
    }

    /** CLIENT REPLY SKIP covers exactly the command after the one that asked for it. */
    private void afterCommand() {
        if (replyMode() == ReplyMode.SKIP) {
            replyMode(ReplyMode.ON);
        }
        if (skipNextReply()) {
            skipNextReply(false);
            replyMode(ReplyMode.SKIP);
        }
    }

    @Override
    public Reply reply() {
        if (follower != null) {
            return masterReplies;
        }
        return replyMode() == ReplyMode.ON && !streaming ? pushOutput() : silent;
    }

    /**
     * Makes this connection the master's, whose stream {@code follower} follows: it runs as an
     * authenticated client with no user (every command allowed). Its commands are not answered; one
     * that fails is logged and counted (unexpected_error_replies), as Redis does, since the data may
     * no longer be the master's.
     */
    void runAsMaster(MasterFollower follower) {
        this.follower = follower;
        this.masterReplies = new DiscardingReply(writer::protocol, error -> {
            engine.stats().unexpectedErrorReplies++;
            log.warning("== CRITICAL == This replica is sending an error to its master: '" + error.text()
                    + "' after processing the command '" + (lastCommand() == null ? "<unknown>"
                    : lastCommand().fullName()) + "'");
        });
        user(null);
        authenticated(true);
    }

    @Override
    public boolean master() {
        return follower != null;
    }

    @Override
    public Reply pushOutput() {
        if (closed) {
            return silent;
        }
        if (!channel.eventLoop().inEventLoop()) {
            return busyScript.sideOutput(this, channel.alloc(), writer.protocol());
        }
        return output();
    }

    /**
     * Owner of the loop: adds output written aside while a script was busy, replies written while they
     * were on and pushed messages.
     */
    void append(ByteBuf written) {
        if (!closed) {
            output();
            output.writeBytes(written);
            pendingWrites.flushAfterRound();
        }
        written.release();
    }

    /** The writer, aimed at an output buffer that is registered to be flushed. */
    private RespWriter output() {
        if (output == null) {
            output = channel.alloc().buffer();
            writer.target(output);
            pendingWrites.add(this);
        }
        return writer;
    }

    /** Sends what has accumulated (through the {@link ReplyBarrier}); called by {@link PendingWrites}. */
    void flush() {
        if (output == null) {
            return;
        }
        ByteBuf ready = output;
        output = null;
        writer.target(null);
        pendingWrites.barrier().send(this, ready, closing);
    }

    /** Writes replies to the socket, closing it after them if {@code close}. */
    void send(ByteBuf ready, boolean close) {
        // As Redis measures a reply while it is built: one bigger than the hard limit is never sent.
        if (!close && overOutputLimit(ready.readableBytes())) {
            ready.release();
            return;
        }
        // As Redis counts a write: to a replica, as replication output.
        if (replica) {
            engine.stats().netReplicationOutputBytes += ready.readableBytes();
        } else {
            engine.stats().netOutputBytes += ready.readableBytes();
        }
        engine.stats().writesProcessed++;
        if (close) {
            channel.writeAndFlush(ready).addListener(ChannelFutureListener.CLOSE);
        } else if (!channel.isActive()) {
            ready.release();
        } else {
            if (!SocketShortcut.writeAll(channel, ready)) {
                channel.writeAndFlush(ready, channel.voidPromise());
            }
            countMemory();
            // Also after a write that left nothing pending: that is what restarts the soft limit's clock.
            overOutputLimit(0);
        }
    }

    /**
     * Closes the connection if its output still pending, with {@code more} bytes about to be written,
     * is over its class's limit, or has stayed over the soft limit too long; true if it did. Checked
     * on each write and, for output that no longer moves, periodically ({@link OutputLimitSweep}).
     */
    boolean overOutputLimit(long more) {
        if (closed || follower != null) {
            return false;
        }
        if (!outputLimit.exceeded(outputClass(), pendingOutputBytes() + more, engine.now())) {
            return false;
        }
        log.warning("Client " + ClientInfo.line(this, engine)
                + " scheduled to be closed ASAP for overcoming of output buffer limits.");
        close();
        return true;
    }

    @Override
    public boolean outputPastHardLimit() {
        return follower == null && outputLimit.pastHard(outputClass(), pendingOutputBytes());
    }

    /** The client class whose output limits apply: a replica's, a subscriber's, or a normal client's. */
    private int outputClass() {
        if (replica) {
            return OutputBufferLimits.REPLICA;
        }
        return subscribed() ? OutputBufferLimits.PUBSUB : OutputBufferLimits.NORMAL;
    }

    @Override
    public void protocol(int protocol) {
        writer.protocol(protocol);
    }

    @Override
    public int protocol() {
        return writer.protocol();
    }

    @Override
    public String address() {
        // A Unix socket's peer has no name: Redis shows the socket's own path for both ends.
        return format(unixSocket() ? channel.localAddress() : channel.remoteAddress());
    }

    @Override
    public boolean unixSocket() {
        return channel instanceof DomainSocketChannel;
    }

    @Override
    public boolean local() {
        return isLocal(channel);
    }

    /** Whether the peer on {@code channel} is on this host as Redis counts it: the Unix socket, 127.0.0.1 or ::1. */
    static boolean isLocal(Channel channel) {
        return channel instanceof DomainSocketChannel || Loopback.isLocal(format(channel.remoteAddress()));
    }

    @Override
    public String localAddress() {
        return format(channel.localAddress());
    }

    @Override
    public int fd() {
        return channel instanceof UnixChannel unix ? unix.fd().intValue() : -1;
    }

    /** Even with replies off, the connection must pass through a flush to be closed. */
    @Override
    public void closeAfterReply() {
        if (!closed) {
            closing = true;
            output();
        }
    }

    /** Closes at once, dropping unsent replies (CLIENT KILL, idle timeout, the server stopping). */
    @Override
    public void close() {
        closing = true;
        busyScript.defer(() -> {
            forget();
            releaseOutput();
        });
        channel.close();
    }

    @Override
    public long pendingOutputBytes() {
        ChannelOutboundBuffer written = channel.unsafe().outboundBuffer();
        return (output == null ? 0 : output.readableBytes()) + (written == null ? 0 : written.totalPendingWriteBytes());
    }

    @Override
    public long offHeapBytes() {
        return decoder.bufferCapacity() + pendingOutputBytes();
    }

    @Override
    public long queuedOutputBuffers() {
        ChannelOutboundBuffer written = channel.unsafe().outboundBuffer();
        return written == null ? 0 : written.size();
    }

    @Override
    public long queuedOutputBytes() {
        ChannelOutboundBuffer written = channel.unsafe().outboundBuffer();
        return written == null ? 0 : written.totalPendingWriteBytes();
    }

    @Override
    public long queryBufferBytes() {
        return decoder.pendingBytes() + heldBytes;
    }

    @Override
    public long queryBufferFree() {
        return decoder.freeBytes();
    }

    @Override
    public long argumentBytes() {
        return super.argumentBytes() + decoder.argumentBytes();
    }

    @Override
    public long heldBytes() {
        return heldBytes;
    }

    @Override
    public long maxBulkLength() {
        return follower == null ? maxBulkLength.value() : Long.MAX_VALUE;
    }

    @Override
    public long maxQueryBuffer() {
        return follower == null ? maxQueryBuffer.value() : Long.MAX_VALUE;
    }

    /**
     * Leaves the client list and the pause's waiting list, and ends its transaction, subscriptions and
     * MONITOR mode; held requests are dropped.
     */
    private void forget() {
        if (closed) {
            return;
        }
        closed = true;
        if (keepAlive != null) {
            keepAlive.cancel(false);
        }
        engine.clients().remove(this);
        eviction.forget(this);
        engine.pause().forget(this);
        engine.releaseSession(this);
        held.clear();
        heldBytes = 0;
    }

    private void releaseOutput() {
        if (output != null) {
            output.release();
            output = null;
            writer.target(null);
        }
    }

    /**
     * {@code ip:port}, or {@code [ipv6]:port} with the address compressed, or {@code path:0} for the Unix
     * socket, as Redis prints peers.
     */
    static String format(SocketAddress address) {
        if (address instanceof DomainSocketAddress unix) {
            return unix.path() + ":0";
        }
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String host = NetUtil.toAddressString(inet.getAddress());
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
