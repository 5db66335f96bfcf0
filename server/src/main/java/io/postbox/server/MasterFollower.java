package io.postbox.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.postbox.commands.Client;
import io.postbox.commands.Engine;
import io.postbox.commands.config.Config;
import io.postbox.commands.connection.ClientInfo;
import io.postbox.commands.replication.MasterLink;
import io.postbox.commands.transactions.Transaction;
import io.postbox.persistence.Persistence;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * This server as a replica: the master it follows ({@code REPLICAOF host port}, or {@code replicaof}
 * in the configuration) and the link to it, as Redis's replication.c keeps them.
 *
 * <p>A link starts with a {@link MasterHandshake}. A full resync's snapshot is received into a file,
 * then {@link Persistence#loadMasterSnapshot} makes it the dataset; after that, or at once after a
 * +CONTINUE, the link becomes the master's {@link ClientConnection}, which runs the stream through
 * the dispatcher like any client's commands (so the append-only file logs them), unanswered. Each
 * command it runs moves the applied offset, but not inside a MULTI until its EXEC, so that an
 * acknowledgement never covers half a transaction. The offset is sent back each second and on
 * {@code REPLCONF GETACK}.
 *
 * <p>What is applied is carried on in this server's own stream, the master's ID and offsets kept, as
 * Redis's replicas carry it ({@link Persistence#masterApplied}): replicas of this server continue with
 * the master after it, and once it is promoted the master's other replicas continue with it. So the
 * replication ID and applied offset are the stream's ({@link io.postbox.commands.Engine#replicationFeed}).
 *
 * <p>A link that fails or drops is tried again each second, with a PSYNC that asks the master to
 * continue from the offset applied, as Redis's cached master does; a master that cannot continue
 * sends a full resync. {@code repl-timeout} bounds a handshake, a transfer and a silent master. A
 * master that starts following continues its own history with the new master if it can (the old
 * master of a failover, whose promoted replica holds the history up to the failover).
 *
 * <p>Executor thread only; link events during a busy script wait for it ({@link BusyScript#defer}).
 */
final class MasterFollower implements MasterLink {

    /** How often the link is tried again, acknowledged and checked for timeouts: Redis's replicationCron. */
    static final long PERIOD_MILLIS = 1000;

    private static final ErrorReply UNBLOCKED = new ErrorReply(
            "UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)");

    private final Engine engine;
    private final Config config;
    private final Persistence persistence;
    private final EventLoop executor;
    private final boolean epoll;
    private final BusyScript busyScript;
    private final ServerLog log;
    /** A client connection for a channel: what the link becomes once the stream starts. */
    private final Function<Channel, ClientConnection> clients;
    /** The port this server listens on, which the master is told. */
    private final IntSupplier listeningPort;
    /** Serves clients between steps of a full sync's load (-LOADING); throws once they stopped the server. */
    private final Runnable serveWhileLoading;
    private State state = State.NONE;
    private String host;
    private int port;
    private Channel channel;
    private ClientConnection connection;
    /**
     * Whether this server's stream is a history the master may continue (Redis's cached master): one
     * synced from a master, or this server's own when it was a master itself.
     */
    private boolean cachedMaster;
    private long readOffset = -1;
    /** The full resync under way: its replication ID and offset, which the link takes once it is loaded. */
    private String resyncId;
    private long resyncOffset;
    private long lastIoMillis;
    /** When the link was lost (Redis's repl_down_since); 0 if it has not been up since this server began to follow. */
    private long downSinceMillis;
    private long transferSize;
    private long transferRead;

    MasterFollower(Engine engine, Persistence persistence, EventLoop executor, boolean epoll, BusyScript busyScript,
                   ServerLog log, Function<Channel, ClientConnection> clients,
                   IntSupplier listeningPort, Runnable serveWhileLoading) {
        this.engine = engine;
        this.config = engine.config();
        this.persistence = persistence;
        this.executor = executor;
        this.epoll = epoll;
        this.busyScript = busyScript;
        this.log = log;
        this.clients = clients;
        this.listeningPort = listeningPort;
        this.serveWhileLoading = serveWhileLoading;
    }

    ServerLog log() {
        return log;
    }

    /* ---------------------------------------------------------------- MasterLink */

    @Override
    public State state() {
        return state;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String masterReplicationId() {
        return cachedMaster ? engine.replicationFeed().replicationId() : null;
    }

    @Override
    public long appliedOffset() {
        return cachedMaster ? engine.replicationFeed().offset() : -1;
    }

    @Override
    public long readOffset() {
        return readOffset;
    }

    @Override
    public long lastIoMillis() {
        return lastIoMillis;
    }

    @Override
    public long downSinceMillis() {
        return downSinceMillis;
    }

    @Override
    public long transferSize() {
        return state == State.TRANSFER ? transferSize : 0;
    }

    @Override
    public long transferRead() {
        return state == State.TRANSFER ? transferRead : 0;
    }

    @Override
    public boolean follow(String host, int port, Client by) {
        if (following() && host.equalsIgnoreCase(this.host) && port == this.port) {
            log.notice("REPLICAOF would result into synchronization with the master we are already connected "
                    + "with. No operation performed.");
            return false;
        }
        if (state == State.CONNECTED) {
            downSinceMillis = System.currentTimeMillis();
        }
        dropLink();
        // Clients blocked in a pop or a WAIT are told and disconnected, as Redis's
        // disconnectAllBlockedClients does: the master's pushes must not be served here, where a pop
        // would take a message from this server only, and leave it on the master for another consumer.
        for (Client client : new ArrayList<>(engine.clients().all())) {
            if (client.blockedOn() != null) {
                client.blockedOn().fail(UNBLOCKED);
                client.closeAfterReply();
            }
        }
        // A master's own history, or at startup the one its snapshot was taken in, may go on with the new
        // master; a startup without one has nothing to continue.
        if (state == State.NONE && (by != null || engine.replicationFeed().backlogActive())) {
            log.notice("Before turning into a replica, using my own master parameters to synthesize a cached "
                    + "master: I may be able to synchronize with the new master with just a partial transfer.");
            cachedMaster = true;
            readOffset = appliedOffset();
        }
        persistence.followMaster();
        this.host = host;
        this.port = port;
        config.set("replicaof", host + " " + port);
        state = State.CONNECT;
        log.replica(true);
        if (by != null) {
            log.notice("REPLICAOF " + host + ":" + port + " enabled (user request from '"
                    + ClientInfo.line(by, engine) + "')");
        }
        connect();
        return true;
    }

    @Override
    public void stop() {
        dropLink();
        state = State.NONE;
        host = null;
        port = 0;
        config.set("replicaof", "no one");
        cachedMaster = false;
        readOffset = -1;
        downSinceMillis = 0;
        log.replica(false);
        persistence.stopFollowing();
    }

    @Override
    public void acknowledge() {
        if (connection != null) {
            Reply ack = connection.pushOutput();
            ack.array(3);
            ack.bulk("REPLCONF");
            ack.bulk("ACK");
            ack.bulk(Long.toString(appliedOffset()));
        }
    }

    /* ---------------------------------------------------------------- the link */

    /** Each second: connects if due, times out what has waited too long, acknowledges. */
    void cron() {
        long now = System.currentTimeMillis();
        long timeoutMillis = config.getLong("repl-timeout") * 1000;
        switch (state) {
            case CONNECT -> connect();
            case CONNECTING, HANDSHAKE -> {
                if (now - lastIoMillis > timeoutMillis) {
                    log.warning("Timeout connecting to the MASTER...");
                    dropLink();
                    state = State.CONNECT;
                }
            }
            case TRANSFER -> {
                if (now - lastIoMillis > timeoutMillis) {
                    log.warning("Timeout receiving bulk data from MASTER... If the problem persists try to set the "
                            + "'repl-timeout' parameter in redis.conf to a larger value.");
                    dropLink();
                    state = State.CONNECT;
                }
            }
            case CONNECTED -> {
                if (now - lastIoMillis > timeoutMillis) {
                    log.warning("MASTER timeout: no data nor PING received...");
                    connection.close();
                } else {
                    acknowledge();
                }
            }
            default -> { }
        }
    }

    private void connect() {
        if (executor.isShuttingDown()) {
            return;
        }
        log.notice("Connecting to MASTER " + host + ":" + port);
        state = State.CONNECTING;
        lastIoMillis = System.currentTimeMillis();
        String source = config.getString("bind-source-addr");
        connectFrom(source.isEmpty() ? null : source);
        log.notice("MASTER <-> REPLICA sync started");
    }

    /**
     * Opens the link from the address {@code source} ({@code bind-source-addr}), or from any if it is
     * null. The source is best effort, as Redis binds it: a link that cannot be opened from it is opened
     * from any address.
     */
    private void connectFrom(String source) {
        Bootstrap bootstrap = new Bootstrap()
                .group(executor)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        config.getLong("repl-timeout") * 1000))
                .handler(new MasterHandshake(this));
        ChannelFuture connecting = source == null ? bootstrap.connect(host, port)
                : bootstrap.connect(InetSocketAddress.createUnresolved(host, port), new InetSocketAddress(source, 0));
        channel = connecting.channel();
        connecting.addListener(done -> {
            if (done.isSuccess() || connecting.channel() != channel) {
                return;
            }
            if (source != null) {
                connectFrom(null);
                return;
            }
            log.warning("Error condition on socket for SYNC: " + done.cause().getMessage());
            channel = null;
            state = State.CONNECT;
        });
    }

    /** The link is connected: the handshake starts. */
    void connected(Channel link) {
        if (link == channel) {
            log.notice("Non blocking connect for SYNC fired the event.");
            state = State.HANDSHAKE;
            lastIoMillis = System.currentTimeMillis();
        }
    }

    /** Bytes arrived on the link, counted as replication input. */
    void received(int bytes) {
        lastIoMillis = System.currentTimeMillis();
        engine.stats().netReplicationInputBytes += bytes;
    }

    /** AUTH's arguments when {@code masterauth} is set (with {@code masteruser}), else null. */
    List<String> authCommand() {
        String password = config.getString("masterauth");
        if (password == null || password.isEmpty()) {
            return null;
        }
        String user = config.getString("masteruser");
        return user == null || user.isEmpty() ? List.of("AUTH", password) : List.of("AUTH", user, password);
    }

    /** {@code replica-announce-ip}, or null. */
    String announcedAddress() {
        String address = config.getString("replica-announce-ip");
        return address == null || address.isEmpty() ? null : address;
    }

    int announcedPort() {
        long announced = config.getLong("replica-announce-port");
        return announced != 0 ? (int) announced : listeningPort.getAsInt();
    }

    /** PSYNC's arguments: continue the master's stream where it was applied, or a full resync. */
    List<String> psyncCommand() {
        List<String> psync = new ArrayList<>();
        if (!cachedMaster) {
            log.notice("Partial resynchronization not possible (no cached master)");
            psync.addAll(List.of("PSYNC", "?", "-1"));
        } else {
            String id = masterReplicationId();
            long from = appliedOffset() + 1;
            log.notice("Trying a partial resynchronization (request " + id + ":" + from + ").");
            psync.addAll(List.of("PSYNC", id, Long.toString(from)));
        }
        // A FAILOVER handing this master's role over: the replica is to take it before it answers.
        if (engine.failover().inProgress()) {
            psync.add("FAILOVER");
        }
        return psync;
    }

    /** The master refused the PSYNC: a replica asked to take over by a FAILOVER did not, which ends it. */
    void psyncRefused() {
        engine.failover().abort("Failover target rejected psync request");
    }

    /** The link closed before the stream started. */
    void handshakeDown(Channel link) {
        busyScript.defer(() -> {
            if (link == channel) {
                channel = null;
                state = State.CONNECT;
            }
        });
    }

    void fullResync(String replicationId, long offset) {
        engine.failover().completed();
        log.notice("Full resync from master: " + replicationId + ":" + offset);
        if (cachedMaster) {
            log.notice("Discarding previously cached master state.");
        }
        resyncId = replicationId;
        resyncOffset = offset;
        // Transferring from now on, as Redis's replica counts it, though the size comes with the payload.
        state = State.TRANSFER;
        transferSize = -1;
        transferRead = 0;
    }

    /** A file of this server's directory for the snapshot a full resync sends, named as Redis's. */
    Path transferFile() {
        return config.resolve("temp-" + System.currentTimeMillis() / 1000 + "." + ProcessHandle.current().pid()
                + ".rdb");
    }

    void transferStarted(long size) {
        transferSize = size;
        transferRead = 0;
    }

    void transferred(long bytes) {
        transferRead += bytes;
    }

    /** The snapshot is in {@code file} (unless {@code error}): it becomes the dataset, then the stream runs. */
    void snapshotReceived(MasterHandshake handshake, Channel link, Path file, IOException error) {
        busyScript.defer(() -> {
            if (link != channel) {
                deleteQuietly(file);
                return;
            }
            if (error != null) {
                log.warning("Failed trying to sync the temp DB to disk in MASTER <-> REPLICA synchronization: "
                        + error.getMessage());
                deleteQuietly(file);
                link.close();
                return;
            }
            try {
                persistence.loadMasterSnapshot(file, resyncId, resyncOffset, serveWhileLoading);
            } catch (IOException e) {
                deleteQuietly(file);
                cachedMaster = false;
                link.close();
                return;
            } catch (CancellationException stoppedWhileLoading) {
                return;
            }
            cachedMaster = true;
            // A link that dropped while the load served clients is tried again, to continue from what it loaded.
            if (link == channel) {
                startStream(handshake, link);
            }
        });
    }

    /** The master continues its stream from the offset asked for; {@code newId} if its ID changed. */
    void continued(MasterHandshake handshake, Channel link, String newId) {
        busyScript.defer(() -> {
            if (link != channel) {
                return;
            }
            engine.failover().completed();
            log.notice("Successful partial resynchronization with master.");
            if (persistence.masterContinued(newId)) {
                log.warning("Master replication ID changed to " + newId);
            }
            log.notice("MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.");
            startStream(handshake, link);
        });
    }

    /** The link becomes the master's client, fed what arrived past the handshake. */
    private void startStream(MasterHandshake handshake, Channel link) {
        connection = clients.apply(link);
        connection.runAsMaster(this);
        // The stream goes on in the database it had selected, as Redis's master client keeps it.
        connection.database(engine.database(persistence.masterDb()));
        engine.clients().add(connection);
        readOffset = appliedOffset();
        state = State.CONNECTED;
        downSinceMillis = 0;
        lastIoMillis = System.currentTimeMillis();
        ByteBuf rest = handshake.takeRest();
        link.pipeline().remove(handshake);
        link.pipeline().addLast(new StreamCounter(), connection.decoder(), connection.handler());
        acknowledge();
        if (rest.isReadable()) {
            link.pipeline().fireChannelRead(rest);
            link.pipeline().fireChannelReadComplete();
        } else {
            rest.release();
        }
        link.config().setAutoRead(true);
    }

    /** The master's connection ran {@code request}, a command of the stream (or a protocol error). */
    void applied(ClientConnection master, Object request) {
        if (request instanceof byte[][] command) {
            persistence.masterCommand(command);
        }
        if (!Transaction.isOpen(master)) {
            persistence.masterApplied(master.database().index());
        }
    }

    /** The master's connection closed: the link is tried again, to continue from the offset applied. */
    void linkLost(ClientConnection master) {
        if (master != connection) {
            return;
        }
        connection = null;
        channel = null;
        log.notice("Connection with master lost.");
        log.notice("Caching the disconnected master state.");
        state = State.CONNECT;
        downSinceMillis = System.currentTimeMillis();
        persistence.masterLinkDropped();
        readOffset = appliedOffset();
    }

    /** Closes the link, whatever its state; what it was doing is abandoned. */
    private void dropLink() {
        Channel link = channel;
        channel = null;
        if (connection != null) {
            connection = null;
            persistence.masterLinkDropped();
        }
        if (link != null) {
            link.close();
        }
    }

    private void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warning("Unable to remove " + file + ": " + e.getMessage());
        }
    }

    /** Counts the stream's bytes as they arrive: the offset read, and the master last heard from. */
    private final class StreamCounter extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (message instanceof ByteBuf bytes) {
                readOffset += bytes.readableBytes();
                received(bytes.readableBytes());
            }
            ctx.fireChannelRead(message);
        }
    }
}
