package io.postbox.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.postbox.commands.Client;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.Commands;
import io.postbox.commands.Dispatcher;
import io.postbox.commands.Engine;
import io.postbox.commands.Errors;
import io.postbox.commands.acl.Acl;
import io.postbox.commands.acl.AclFile;
import io.postbox.commands.acl.AclRuleError;
import io.postbox.commands.admin.DetachedProcess;
import io.postbox.commands.admin.LogLevel;
import io.postbox.commands.admin.ServerProcess;
import io.postbox.commands.config.Config;
import io.postbox.persistence.Log;
import io.postbox.persistence.Persistence;
import io.postbox.persistence.StartupSnapshot;
import io.postbox.persistence.rdb.DumpPayload;
import io.postbox.persistence.rdb.RdbFormatException;
import io.postbox.resp.ErrorReply;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The running server: listening sockets and the executor.
 *
 * <p>The executor is a single Netty event loop ({@link ExecutorLoop}) that does the I/O of every
 * connection and runs every command, as Redis's main thread does. On a 2-core machine this beats
 * handing commands from I/O threads to a separate executor, and it makes every command atomic
 * without locks.
 *
 * <p>Stopping (SHUTDOWN, a signal, {@link #close()}) removes the pid file, closes the listeners and
 * every connection, and ends the executor; {@link #awaitTermination()} returns then, and
 * {@link Main} exits the process.
 */
public final class PostboxServer implements AutoCloseable {

    /** Postbox's own version, reported beside the Redis version it matches. */
    public static final String VERSION = "0.1.0";

    /** How often what each client takes is counted again for maxmemory-clients: each second, as Redis's clientsCron. */
    private static final long CLIENT_MEMORY_RECOUNT_MILLIS = 1000;
    /**
     * Unsent output per client at which replies are handed to the channel before the round ends (high),
     * and at which a drain is noticed for {@code maxmemory-clients} (low): see {@link ClientConnection}.
     */
    private static final WriteBufferWaterMark OUTPUT_WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    private final List<CommandGroup> groups;
    private final Config config;
    private final ServerLog log;
    private final Path configFile;
    private final boolean epoll = Epoll.isAvailable();
    private final ExecutorLoop executorLoop;
    private final EventLoop executor;
    private final Class<? extends ServerChannel> channelType;
    private final String runId = DetachedProcess.randomHex40();
    private Listeners listeners;
    private Engine engine;
    private Persistence persistence;
    private BusyScript busyScript;
    private PendingWrites pendingWrites;
    private PidFile pidFile;
    private UnixSocketListener unixSocketListener;
    private MasterFollower follower;
    private boolean stopping;
    /** Whether a signal's shutdown is under way: set on the signal's thread, cleared if it is refused. */
    private volatile boolean signalledShutdown;

    public PostboxServer(Config config, ServerLog log) {
        this(config, log, null);
    }

    /** @param configFile the config file the server was started with (for CONFIG REWRITE), or null */
    public PostboxServer(Config config, ServerLog log, Path configFile) {
        this(config, log, configFile, Commands.groups());
    }

    /** A server with the command groups given (tests add commands of their own). */
    PostboxServer(Config config, ServerLog log, Path configFile, List<CommandGroup> groups) {
        this.groups = groups;
        this.config = config;
        this.log = log;
        this.configFile = configFile;
        // A replica by its configuration says so from its first line, as Redis's log does.
        log.replica(!config.getString("replicaof").isEmpty());
        this.executorLoop = new ExecutorLoop(epoll, log);
        this.executor = executorLoop.loop();
        this.channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** Binds the configured addresses; returns once the server accepts connections. */
    public void start() {
        start(openStartupSnapshot(config, log));
    }

    /**
     * Starts parsing the RDB file that startup loads, if it loads one (see {@link StartupSnapshot#open}),
     * on a thread of its own: {@link Main} calls this before it builds the server (the command table,
     * the transport's native library, the executor), which the parse then overlaps. Null if there is
     * no file to load.
     *
     * @throws IllegalStateException if the file cannot be opened, naming it
     */
    static StartupSnapshot openStartupSnapshot(Config config, ServerLog log) {
        try {
            return StartupSnapshot.open(config, persistenceLog(log));
        } catch (IOException e) {
            throw loadFailed(e);
        }
    }

    /**
     * Why the server cannot start, for a load that failed: a file that is not what it should be in the
     * two lines Redis logs (its reason, named with the file and offset, then that the server ends); any
     * other failure (an unreadable file) in Redis's one line.
     */
    private static IllegalStateException loadFailed(IOException e) {
        if (e instanceof RdbFormatException) {
            String lines = e.getMessage() + "\nTerminating server after rdb file reading failure.";
            return new IllegalStateException(lines, e);
        }
        return new IllegalStateException("Fatal error loading the DB: " + e.getMessage() + ". Exiting.", e);
    }

    private static Log persistenceLog(ServerLog log) {
        return new Log() {
            @Override
            public void notice(String message) {
                log.notice(message);
            }

            @Override
            public void warning(String message) {
                log.warning(message);
            }
        };
    }

    /**
     * {@link #start()} with the RDB file's parse already started by {@link #openStartupSnapshot} (or
     * null); the server stores it while it starts.
     *
     * <p>As Redis does, the server listens before it loads the dataset, and serves clients between
     * steps of the load (-LOADING to all but a few commands): this thread, which loads, drives the
     * executor's loop until the load is done, then hands it to the executor thread.
     */
    void start(StartupSnapshot rdb) {
        Log persistenceLog = persistenceLog(log);
        // Closed here too (the load closes it when done) so that a failure before the load stops the parse.
        try (rdb) {
            engine = new Engine(config, groups);
            loadUsers();
            engine.attach(new HostedProcess());
            persistence = new Persistence(engine, persistenceLog);
            engine.attach(persistence);
            engine.attach(new DumpPayload(config, log::verbose));
            if (!executorLoop.lendToCurrentThread()) {
                return;
            }
            listen(engine.dispatcher());
            // Before the load, as Redis says where it runs before it loads: clients reach it from now on.
            log.notice("Postbox " + VERSION + " (Redis " + Engine.REDIS_VERSION + " compatible) port=" + port()
                    + " pid=" + ProcessHandle.current().pid() + " transport=" + (epoll ? "epoll" : "nio"));
            String pidPath = config.getString("pidfile");
            if (!pidPath.isEmpty()) {
                pidFile = new PidFile(config.resolve(pidPath), log);
                pidFile.write();
            }
            persistence.loadAtStartup(rdb, this::serveWhileLoading);
        } catch (IOException e) {
            throw loadFailed(e);
        } catch (CancellationException stoppedWhileLoading) {
            executorLoop.start();
            return;
        }
        executorLoop.start();
        scheduleCron(executor, pendingWrites);
        everyPeriod(new IdleClients(engine), IdleClients.PERIOD_MILLIS);
        everyPeriod(new OutputLimitSweep(engine), OutputLimitSweep.PERIOD_MILLIS);
        everyPeriod(() -> {
            engine.clientEviction().recountAll();
            engine.clientEviction().evictIfOver();
        }, CLIENT_MEMORY_RECOUNT_MILLIS);
        everyPeriod(() -> engine.stats().sampleRates(System.currentTimeMillis()), 100);
        everyPeriod(follower::cron, MasterFollower.PERIOD_MILLIS);
        String master = config.getString("replicaof");
        if (!master.isEmpty()) {
            String[] hostAndPort = master.split(" ");
            executor.execute(() -> follower.follow(hostAndPort[0], Integer.parseInt(hostAndPort[1]), null));
        }
        engine.heapReturn().start(log::log);
        engine.clientEviction().logTo(log::log);
        log.notice("Ready to accept connections tcp");
        if (unixSocketListener != null) {
            log.notice("The server is now ready to accept connections at " + config.getString("unixsocket"));
        }
        executor.execute(persistence::startRehearsal);
    }

    /**
     * The users of the config file's {@code user} lines, or of the ACL file, as Redis loads them at
     * startup; both at once is refused, as in Redis.
     */
    private void loadUsers() {
        Acl acl = engine.acl();
        boolean aclFile = !config.getString("aclfile").isEmpty();
        if (aclFile && !config.userDefinitions().isEmpty()) {
            throw new IllegalStateException("Configuring Redis with users defined in redis.conf and at the same "
                    + "setting an ACL file path is invalid. This setup is very likely to lead to configuration "
                    + "errors and security holes, please define either an ACL file or declare users directly in "
                    + "your redis.conf, but not both.");
        }
        config.userDefinitions().forEach((name, rules) -> {
            Acl.RuleFailure failure = acl.firstFailure(rules, false);
            if (failure != null) {
                throw new IllegalStateException("Error loading ACL rule '" + failure.rule() + "' for the user named '"
                        + name + "': " + failure.reason() + "\nCritical error while loading ACLs. Exiting.");
            }
            acl.define(name, rules);
        });
        if (aclFile) {
            try {
                new AclFile(config, log::warning).load(acl);
            } catch (AclRuleError e) {
                throw new IllegalStateException("Aborting Redis startup because of ACL errors: " + e.reason());
            }
        }
    }

    /** Binds the listeners, serving clients through {@code dispatcher}; on the thread the loop is lent to. */
    private void listen(Dispatcher dispatcher) {
        ReplyBarrier barrier = new ReplyBarrier(persistence::appendOnly, () -> busyScript.standingIn());
        persistence.onDurable(barrier::durable);
        // A busy script's standby thread flushes too, while the script may still be changing keys.
        pendingWrites = new PendingWrites(executor, barrier, () -> {
            if (!busyScript.standingIn()) {
                engine.tracking().broadcast();
            }
        });
        busyScript = new BusyScript(executorLoop, config.option("busy-reply-threshold"), dispatcher,
                engine.commands(), log, pendingWrites::flushAll);
        engine.attach(busyScript);
        ConnectionGate gate = new ConnectionGate(engine);
        TrafficCounter traffic = new TrafficCounter(engine.stats());
        RecurringFailureLog clientFailures = new RecurringFailureLog(log::warning, System::nanoTime);
        engine.scheduler(new ExecutorScheduler(executor, pendingWrites, busyScript));
        ChannelInitializer<Channel> clients = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                if (stopping || !gate.admit(channel)) {
                    return;
                }
                if (channel instanceof SocketChannel tcp) {
                    TcpKeepAlive.apply(tcp, config.getLong("tcp-keepalive"));
                }
                ClientConnection connection = new ClientConnection(channel, engine, dispatcher, pendingWrites,
                        busyScript, log, clientFailures);
                // While a script is busy the client is served (-BUSY, SCRIPT KILL: redis-cli connects
                // afresh to send it), but joins the client list, which the script may read, after it.
                busyScript.defer(() -> engine.clients().add(connection));
                channel.pipeline().addLast(traffic, connection.decoder(), connection.handler());
            }
        };
        follower = new MasterFollower(engine, persistence, executor, epoll, busyScript, log,
                channel -> new ClientConnection(channel, engine, dispatcher, pendingWrites, busyScript, log,
                        clientFailures), this::port, this::serveWhileSyncLoading);
        engine.attach(follower);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(executor)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, (int) config.getLong("tcp-backlog"))
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, OUTPUT_WATER_MARK)
                .childHandler(clients);
        listeners = new Listeners(bootstrap, log);
        listeners.bindAtStartup(config.bindAddresses(), (int) config.getLong("port"),
                bound -> executorLoop.standIn(bound::isDone));
        String unixSocket = config.getString("unixsocket");
        if (!unixSocket.isEmpty()) {
            listenOnUnixSocket(config.resolve(unixSocket), clients);
        }
        applyChanges();
    }

    /**
     * Serves what clients sent while the dataset loads (the load calls it every 2 MB); throws to end
     * the load once they stopped the server (SHUTDOWN, or a signal, while loading).
     */
    private void serveWhileLoading() {
        executorLoop.serveRound();
        cancelLoadIfStopping();
    }

    /**
     * Serves what clients sent while a replica's sync loads the master's snapshot in a task of the
     * executor (the load calls it every 2 MB): their I/O, then their replies; throws to end the load
     * once they stopped the server.
     */
    private void serveWhileSyncLoading() {
        executorLoop.serveIoFromTask();
        pendingWrites.flushAll();
        cancelLoadIfStopping();
    }

    private void cancelLoadIfStopping() {
        if (stopping) {
            throw new CancellationException("the server stopped while loading");
        }
    }

    /** Binds the {@code unixsocket} listener, whose clients {@code clients} sets up as TCP ones. */
    private void listenOnUnixSocket(Path path, ChannelInitializer<Channel> clients) {
        if (!epoll) {
            throw new IllegalStateException("Failed opening Unix socket: Postbox listens on a Unix socket only "
                    + "with its native transport (epoll, Linux)");
        }
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(executor)
                .channel(EpollServerDomainSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, (int) config.getLong("tcp-backlog"))
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, OUTPUT_WATER_MARK)
                .childHandler(clients);
        unixSocketListener = UnixSocketListener.open(bootstrap, path, config.getLong("unixsocketperm"), log,
                bound -> executorLoop.standIn(bound::isDone));
    }

    /** What CONFIG SET changes take effect through, beyond the values read on each use (the OOM score from now). */
    private void applyChanges() {
        config.onApply("loglevel", c -> log.level(c.getString("loglevel")));
        config.onApply("port", c -> listeners.rebind(c.bindAddresses(), (int) c.getLong("port"),
                "Unable to listen on this port. Check server logs."));
        config.onApply("bind", c -> listeners.rebind(c.bindAddresses(), (int) c.getLong("port"),
                "Failed to bind to specified addresses."));
        config.onApply("appendonly", c -> persistence.appendOnlyChanged());
        new OomScoreAdjustment(OomScoreAdjustment.PROC_FILE, log).install(config);
    }

    /** Runs {@code task} on the executor every period, but for those a busy script holds or DEBUG PAUSE-CRON skips. */
    private void everyPeriod(Runnable task, long periodMillis) {
        executor.scheduleAtFixedRate(() -> {
            if (!busyScript.standingIn() && !engine.cronPaused()) {
                task.run();
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs the engine's cron on the executor every period, rescheduling itself so hz can change. What
     * the cron writes to clients (keyspace events of keys it expires) is flushed when it ends. A cron
     * due while a script is busy runs after it, as Redis's cron waits for the script.
     */
    private void scheduleCron(EventLoop loop, PendingWrites pendingWrites) {
        loop.schedule(() -> busyScript.defer(() -> {
            try {
                if (!engine.cronPaused()) {
                    engine.cron();
                    persistence.cron();
                    engine.failover().check();
                    // Last: a shutdown that waited for replicas may go on now, and stop everything.
                    engine.shutdownWait().check();
                }
                pendingWrites.flushAll();
            } finally {
                if (!loop.isShuttingDown()) {
                    scheduleCron(loop, pendingWrites);
                }
            }
        }), engine.cronPeriodMillis(), TimeUnit.MILLISECONDS);
    }

    /** The port clients connect to (the one chosen with {@code --port 0}). */
    public int port() {
        return listeners.port();
    }

    public Engine engine() {
        return engine;
    }

    /**
     * Shuts down as the signal asks ({@code shutdown-on-sigterm}, {@code shutdown-on-sigint}); if the
     * server refuses (it could not save), it keeps running, as Redis does.
     *
     * <p>A SIGINT while a signal's shutdown is under way (Ctrl-C pressed again during a long final
     * save) ends the process at once, with status 1 and its temporary snapshot files removed, as Redis
     * ends: the executor, busy with that save, is not waited for.
     */
    public void shutdownOnSignal(String signal) {
        if (signalledShutdown && signal.equals("SIGINT")) {
            log.warning("You insist... exiting now.");
            if (persistence != null) {
                persistence.removeTemporaryFiles();
            }
            Runtime.getRuntime().halt(1);
        }
        signalledShutdown = true;
        executorLoop.start();
        try {
            executor.execute(() -> {
                log.warning("Received " + signal + " scheduling shutdown...");
                if (engine == null) {
                    stop();
                    return;
                }
                // Under a busy script (or one stopped by its debugger) the shutdown waits for the script
                // to end, as Redis's cron does, and then saves as configured; SCRIPT KILL ends it sooner,
                // SHUTDOWN NOSAVE at once.
                if (busyScript == null) {
                    shutDownAsSignalled(signal);
                } else {
                    busyScript.defer(() -> shutDownAsSignalled(signal));
                }
            });
        } catch (RejectedExecutionException alreadyStopping) {
            // Nothing left to stop.
        }
    }

    /** Executor: the shutdown {@code signal} asks for ({@code shutdown-on-sigterm}, {@code shutdown-on-sigint}). */
    private void shutDownAsSignalled(String signal) {
        Set<String> flags = Set.of(config.getString("shutdown-on-" + signal.toLowerCase()).split(" "));
        try {
            engine.shutdownWait().begin(new ServerProcess.ShutdownRequest(flags.contains("nosave"),
                    flags.contains("save"), flags.contains("now"), flags.contains("force")));
        } catch (ErrorReply refused) {
            signalledShutdown = false;
            log.warning(signal + " received but errors trying to shut down the server, "
                    + "check the logs for more information");
        }
    }

    /** Stops the server and waits until it has stopped. Call from any thread but the executor. */
    @Override
    public void close() {
        executorLoop.start();
        try {
            executor.execute(this::stop);
        } catch (RejectedExecutionException alreadyStopping) {
            // Stopping already.
        }
        awaitTermination();
    }

    /** Returns once the server has stopped (SHUTDOWN, a signal or {@link #close()}). */
    public void awaitTermination() {
        executor.terminationFuture().syncUninterruptibly();
    }

    /** Runs on the executor: no more clients, no more listeners, then the executor ends. */
    private void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        if (busyScript != null && busyScript.standingIn()) {
            // SHUTDOWN NOSAVE under a busy script: the script ends unfinished, and the append-only file,
            // which the script's thread is writing, is left as its writer last had it.
            busyScript.abandon();
        } else if (persistence != null) {
            persistence.close();
        }
        if (engine != null) {
            engine.heapReturn().close();
        }
        if (pidFile != null) {
            pidFile.remove();
        }
        if (listeners != null) {
            listeners.closeAll();
        }
        if (unixSocketListener != null) {
            unixSocketListener.close();
        }
        if (engine != null) {
            for (Client client : new ArrayList<>(engine.clients().all())) {
                client.close();
            }
        }
        executor.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }

    /** This server as the engine's commands see it. */
    private final class HostedProcess implements ServerProcess {

        @Override
        public String runId() {
            return runId;
        }

        @Override
        public int tcpPort() {
            return listeners.port();
        }

        @Override
        public String multiplexingApi() {
            return epoll ? "epoll" : "nio";
        }

        @Override
        public Path configFile() {
            return configFile;
        }

        @Override
        public String executable() {
            return ProcessHandle.current().info().command().orElse("");
        }

        @Override
        public void log(LogLevel level, String message) {
            log.log(level, message);
        }

        @Override
        public void shutdown(ShutdownRequest request) {
            if (stopping) {
                // A shutdown under way (a SIGTERM just after SHUTDOWN NOSAVE) ends as it was asked to.
                return;
            }
            log.warning("User requested shutdown...");
            // Nothing is saved while loading: the dataset is not all there (Redis turns SAVE into NOSAVE).
            if (!busyScript.standingIn() && !engine.persistence().loading) {
                saveBeforeExit(request);
            }
            stop();
        }
    }

    /**
     * Redis saves a final snapshot when asked to (SAVE) or when save points are configured, unless
     * NOSAVE; if that save fails, or the first append-only file is still being written, the server
     * refuses to stop unless FORCE.
     */
    private void saveBeforeExit(ServerProcess.ShutdownRequest request) {
        if (!persistence.saveBeforeExit(request.save(), request.noSave(), request.force()) && !request.force()) {
            log.warning("Errors trying to shut down the server. Check the logs for more information.");
            throw Errors.err("Errors trying to SHUTDOWN. Check logs.");
        }
    }
}
