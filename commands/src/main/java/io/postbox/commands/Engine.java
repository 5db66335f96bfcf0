package io.postbox.commands;

import io.postbox.commands.acl.Acl;
import io.postbox.commands.admin.DetachedProcess;
import io.postbox.commands.admin.Durability;
import io.postbox.commands.admin.LatencyMonitor;
import io.postbox.commands.admin.PersistenceStatus;
import io.postbox.commands.admin.ServerProcess;
import io.postbox.commands.admin.SlowLog;
import io.postbox.commands.blocking.BlockedClients;
import io.postbox.commands.blocking.ReadyKeys;
import io.postbox.commands.config.Config;
import io.postbox.commands.connection.ClientPause;
import io.postbox.commands.keyspace.AccessTracking;
import io.postbox.commands.keyspace.Clock;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.keyspace.DatabasesCron;
import io.postbox.commands.keyspace.ExpiryState;
import io.postbox.commands.keyspace.KeyWatchers;
import io.postbox.commands.keyspace.KeyspaceEvents;
import io.postbox.commands.keyspace.MigrationLinks;
import io.postbox.commands.keyspace.ReplicaExpiries;
import io.postbox.commands.monitor.Monitors;
import io.postbox.commands.pubsub.KeyspaceNotifications;
import io.postbox.commands.pubsub.PubSub;
import io.postbox.commands.replication.MasterLink;
import io.postbox.commands.replication.ReplicaAcks;
import io.postbox.commands.replication.ReplicationFeed;
import io.postbox.commands.replication.Failover;
import io.postbox.commands.replication.ShutdownWait;
import io.postbox.commands.tracking.KeyTracking;
import io.postbox.commands.transactions.Transaction;
import io.postbox.commands.transactions.TransactionCommands;
import io.postbox.commands.transactions.WatchedKeys;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a command can reach beyond its own client: the databases, the configuration, the
 * command table, the connected clients and the statistics. There is one per server, owned by the
 * executor thread.
 */
public final class Engine implements Clock {

    /** The Redis release whose behaviour we match, as INFO and HELLO report it. */
    public static final String REDIS_VERSION = "7.0.15";

    private final Config config;
    private final CommandTable commands;
    private final Acl acl;
    private final Database[] databases;
    private final Clients clients = new Clients();
    private final Stats stats = new Stats();
    private final DatabasesCron databasesCron = new DatabasesCron();
    private final long startMillis = System.currentTimeMillis();
    private final SlowLog slowLog;
    private final LatencyMonitor latencyMonitor;
    private final PersistenceStatus persistence = new PersistenceStatus(startMillis / 1000);
    private final WatchedKeys watches = new WatchedKeys();
    private final KeyTracking tracking;
    private final PubSub pubsub = new PubSub();
    private final Monitors monitors = new Monitors();
    private final Dispatcher dispatcher;
    private final MemoryLimit memoryLimit;
    private final HeapReturn heapReturn = new HeapReturn();
    private final ClientEviction clientEviction;
    private final MigrationLinks migrationLinks = new MigrationLinks();
    private ServerProcess process = new DetachedProcess();
    private Durability durability = Durability.NONE;
    private DumpPayloads dumpPayloads = DumpPayloads.NONE;
    private CommandLog commandLog = CommandLog.NONE;
    private ReplicationFeed replicationFeed = ReplicationFeed.none();
    private MasterLink masterLink = MasterLink.NONE;
    /** Whether the command running came from the master this server follows. */
    private boolean applyingMasterStream;
    private ScriptWatch scriptWatch = ScriptWatch.UNWATCHED;
    private ScriptingFigures scriptingFigures = ScriptingFigures.NONE;
    private FunctionStore functionStore = FunctionStore.NONE;
    private long now = startMillis;
    private long serverChanges;
    private boolean executingTransaction;
    private boolean scriptsMayRunNoscript;
    private boolean cronPaused;
    private Scheduler scheduler = (delayMillis, task) -> {
        throw new IllegalStateException("no scheduler: the server sets one before it accepts connections");
    };
    private final ClientPause pause =
            new ClientPause((delayMillis, task) -> scheduler.schedule(delayMillis, task), clients);
    private final ReadyKeys readyKeys = new ReadyKeys();
    private final BlockedClients blockedClients =
            new BlockedClients(clients, stats, () -> scheduler, () -> commandLog, this::dispatcher, this::tracking,
                    readyKeys);
    private final ReplicaAcks replicaAcks = new ReplicaAcks(clients, blockedClients, () -> replicationFeed);
    private final ShutdownWait shutdownWait = new ShutdownWait(this);
    private final Failover failover = new Failover(this);

    public Engine(Config config, List<CommandGroup> groups) {
        this.config = config;
        List<Command> all = new ArrayList<>();
        for (CommandGroup group : groups) {
            all.addAll(group.commands());
            if (group instanceof FunctionStore store) {
                functionStore = store;
            }
        }
        this.commands = new CommandTable(all, config.commandRenames());
        this.acl = new Acl(commands, config);
        acl.requirePass(config.getString("requirepass"));
        config.onApply("requirepass", c -> acl.requirePass(c.getString("requirepass")));
        this.slowLog = new SlowLog(config);
        this.latencyMonitor = new LatencyMonitor(config);
        this.databases = new Database[(int) config.getLong("databases")];
        AccessTracking access = new AccessTracking(config);
        KeyspaceEvents events = new ServerDeletions(this,
                new KeyspaceNotifications(config.option("notify-keyspace-events"), pubsub));
        ExpiryState expiryState = new ExpiryState() {
            @Override
            public boolean loading() {
                return persistence.loading || applyingMasterStream;
            }

            @Override
            public boolean paused() {
                return pause.active() || masterLink.following();
            }

            @Override
            public void expirySet(Database db, byte[] key) {
                if (masterLink.following() && !applyingMasterStream && !config.getBool("replica-read-only")) {
                    replicaExpiries().remember(db.index(), key);
                }
            }
        };
        this.tracking = new KeyTracking(clients, config.option("tracking-table-max-keys"));
        KeyWatchers watchers = watches.andThen(tracking);
        for (int i = 0; i < databases.length; i++) {
            databases[i] = new Database(i, this, stats, access, readyKeys, watchers, events, expiryState);
        }
        this.memoryLimit = new MemoryLimit(this);
        this.clientEviction = new ClientEviction(this);
        this.dispatcher = new Dispatcher(this);
    }

    /**
     * True while EXEC runs the commands it queued (Redis's {@code server.in_exec}). Background saves
     * and rewrites asked for then are scheduled for the cron, as Redis does not fork inside EXEC.
     */
    public boolean executingTransaction() {
        return executingTransaction;
    }

    public void executingTransaction(boolean executing) {
        executingTransaction = executing;
    }

    public Config config() {
        return config;
    }

    public CommandTable commands() {
        return commands;
    }

    public Database database(int index) {
        return databases[index];
    }

    public int databaseCount() {
        return databases.length;
    }

    /** Empties one database (FLUSHDB); clients tracking keys are told that everything changed. */
    public void clearDatabase(Database database) {
        database.clear();
        tracking.flushed();
    }

    /**
     * Empties every database (FLUSHALL, and a reload before it loads the dataset again); clients
     * tracking keys are told once that everything changed.
     */
    public void clearDatabases() {
        for (Database database : databases) {
            database.clear();
        }
        replicaExpiries().clear();
        tracking.flushed();
    }

    /** Exchanges the contents of two databases (SWAPDB): clients keep their index, not their data. */
    public void swapDatabases(int a, int b) {
        databases[a].swapContents(databases[b]);
        replicaExpiries().clear();
        // Clients blocked on either database may find data in the keys swapped in.
        databases[a].blockedKeys().signalAll();
        databases[b].blockedKeys().signalAll();
    }

    public Clients clients() {
        return clients;
    }

    public Stats stats() {
        return stats;
    }

    /** Runs clients' commands; EXEC runs its queue through {@link Dispatcher#call}. */
    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** The keys clients cache, and who to tell when they change (CLIENT TRACKING). */
    public KeyTracking tracking() {
        return tracking;
    }

    /** Every WATCHed key. */
    public WatchedKeys watches() {
        return watches;
    }

    /** Channels, patterns and their subscribers. */
    public PubSub pubsub() {
        return pubsub;
    }

    /** The clients in MONITOR mode. */
    public Monitors monitors() {
        return monitors;
    }

    /**
     * Ends what a client's session holds beyond the connection: its transaction and watched keys, its
     * subscriptions (silently), MONITOR mode and key tracking. RESET does this, and so does a disconnection.
     */
    public void releaseSession(Client client) {
        Transaction transaction = client.transaction();
        if (transaction != null) {
            TransactionCommands.end(this, transaction);
        }
        pubsub.forget(client);
        monitors.remove(client);
        tracking.disable(client);
    }

    public SlowLog slowLog() {
        return slowLog;
    }

    public LatencyMonitor latencyMonitor() {
        return latencyMonitor;
    }

    public PersistenceStatus persistence() {
        return persistence;
    }

    /** The process hosting this engine: what INFO reports about it, and SHUTDOWN. */
    public ServerProcess process() {
        return process;
    }

    /** Called by the server once, before it accepts clients. */
    public void attach(ServerProcess process) {
        this.process = process;
    }

    /** SAVE, BGSAVE and BGREWRITEAOF act through this. */
    public Durability durability() {
        return durability;
    }

    /** Called by the server once, before it accepts clients. */
    public void attach(Durability durability) {
        this.durability = durability;
    }

    /** DUMP, RESTORE, FUNCTION DUMP and FUNCTION RESTORE encode and decode through this. */
    public DumpPayloads dumpPayloads() {
        return dumpPayloads;
    }

    /** Called by the server once, before it accepts clients. */
    public void attach(DumpPayloads dumpPayloads) {
        this.dumpPayloads = dumpPayloads;
    }

    /** The stream of writes replicas are fed. */
    public ReplicationFeed replicationFeed() {
        return replicationFeed;
    }

    /** Called by the persistence module once, before it accepts clients. */
    public void attach(ReplicationFeed replicationFeed) {
        this.replicationFeed = replicationFeed;
    }

    /** The master this server follows, if any. */
    public MasterLink masterLink() {
        return masterLink;
    }

    /** Installed by the server. */
    public void attach(MasterLink masterLink) {
        this.masterLink = masterLink;
    }

    /**
     * Set by the dispatcher for each command: whether it came from the master this server follows. The
     * master's commands meet keys as the master had them, so none expires under them (Redis's
     * expireIfNeeded lets the master's client see expired keys); the master's DEL removes them.
     */
    public void applyingMasterStream(boolean applying) {
        applyingMasterStream = applying;
    }

    /** What replicas acknowledged, and the WAITs for it. */
    public ReplicaAcks replicaAcks() {
        return replicaAcks;
    }

    /** SHUTDOWN and the signals start a shutdown through this: it may wait for replicas first. */
    public ShutdownWait shutdownWait() {
        return shutdownWait;
    }

    /** The keys a writable replica's own clients gave an expiry time, which it expires itself. */
    public ReplicaExpiries replicaExpiries() {
        return databasesCron.replicaExpiries();
    }

    /** FAILOVER's state: whether this master hands its role to a replica. */
    public Failover failover() {
        return failover;
    }

    /** Where the dispatcher reports the writes that changed data (the append-only file, replicas' stream). */
    public CommandLog commandLog() {
        return commandLog;
    }

    public void attach(CommandLog commandLog) {
        this.commandLog = commandLog;
    }

    /** What a running script reports to, so the server can answer others -BUSY while it runs long. */
    public ScriptWatch scriptWatch() {
        return scriptWatch;
    }

    /** Called by the server once, before it accepts clients. */
    public void attach(ScriptWatch scriptWatch) {
        this.scriptWatch = scriptWatch;
    }

    /** maxmemory: whether commands that may add data are refused. */
    public MemoryLimit memoryLimit() {
        return memoryLimit;
    }

    /**
     * maxmemory-clients: what clients take, and the disconnection of the largest past the limit; also
     * what they hold outside the heap, for maxmemory.
     */
    public ClientEviction clientEviction() {
        return clientEviction;
    }

    /** MIGRATE's connections to its targets. */
    public MigrationLinks migrationLinks() {
        return migrationLinks;
    }

    /** Giving unneeded heap back to the system: started by the server, asked by MEMORY PURGE. */
    public HeapReturn heapReturn() {
        return heapReturn;
    }

    /** The function libraries, for snapshots. */
    public FunctionStore functionStore() {
        return functionStore;
    }

    /** What INFO memory shows of scripting. */
    public ScriptingFigures scriptingFigures() {
        return scriptingFigures;
    }

    /** Called by the scripting commands when they first run. */
    public void attach(ScriptingFigures scriptingFigures) {
        this.scriptingFigures = scriptingFigures;
    }

    /**
     * Counts a change to server state outside the keyspace that the append-only file must record (a
     * function library loaded or deleted), as Redis's dirty counter counts it.
     */
    public void changedOutsideKeyspace() {
        serverChanges++;
    }

    /**
     * Changes to keys in every database since the start ({@link Database#changes()} summed), plus those
     * outside the keyspace: the "dirty" count.
     */
    public long changes() {
        long changes = serverChanges;
        for (Database db : databases) {
            changes += db.changes();
        }
        return changes;
    }

    /**
     * {@link #changes()} plus the keys the server removed itself (expiry, eviction), which Redis's dirty
     * counter leaves out: whether the data changed at all since a given moment.
     */
    public long dataChanges() {
        long changes = changes();
        for (Database db : databases) {
            changes += db.removedByServer();
        }
        return changes;
    }

    /** Runs work later on the executor (timers); see {@link Scheduler}. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** Installed by the server before it accepts connections. */
    public void scheduler(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Clients blocked on keys (BLPOP and friends); see {@link BlockedClients#serveReadyKeys()}. */
    public BlockedClients blockedClients() {
        return blockedClients;
    }

    /** The server-wide command pause of CLIENT PAUSE and DEBUG SLEEP. */
    public ClientPause pause() {
        return pause;
    }

    /** The users and their permissions. */
    public Acl acl() {
        return acl;
    }

    /**
     * Whether the default user has a password ({@code requirepass}, or ACL SETUSER default): what
     * protected mode and AUTH's one-argument form ask. Read each time it matters, so changes apply at once.
     */
    public boolean passwordSet() {
        return !acl.defaultUser().nopass();
    }

    /** Whether a new connection must log in: the default user has a password or is off. */
    public boolean loginRequired() {
        return passwordSet() || !acl.defaultUser().enabled();
    }

    /** Whether {@code client} must authenticate before running commands: it has not, and login is required. */
    public boolean authRequired(Client client) {
        return !client.authenticated() && loginRequired();
    }

    public long startMillis() {
        return startMillis;
    }

    /** Command time in Unix milliseconds; fixed while one command runs. */
    @Override
    public long now() {
        return now;
    }

    /**
     * Whether an expiry time a command sets has passed already, so that the command deletes the key
     * instead (Redis's checkAlreadyExpired). Never while the dataset loads: a replayed command sets
     * the time, and the key goes once the load is over.
     */
    public boolean alreadyExpired(long when) {
        return when <= now && !persistence.loading && !masterLink.following();
    }

    /** Advances command time; called by the dispatcher before each command. */
    public void tick() {
        now = System.currentTimeMillis();
    }

    /**
     * Periodic work, as Redis's serverCron: active expiry and incremental rehashing of the
     * databases, and the tracking table's limit (a lowered one applies on an idle server too). The
     * server runs it on the executor every {@link #cronPeriodMillis()}.
     */
    public void cron() {
        tick();
        long expiryNanos = databasesCron.run(databases, cronPeriodMillis(), stats, masterLink.following(),
                pause.active());
        latencyMonitor.sampleIfNeeded("expire-cycle", expiryNanos / 1_000_000);
        tracking.limitTableSize();
    }

    /** DEBUG SET-ACTIVE-EXPIRE: whether the cron reclaims expired keys, or leaves them to lazy expiry. */
    public void activeExpire(boolean enabled) {
        databasesCron.activeExpire(enabled);
    }

    /**
     * Whether scripts may run commands flagged noscript: false but after DEBUG SET-DISABLE-DENY-SCRIPTS 1,
     * which Redis's own tests use to have a script watch CLIENT LIST.
     */
    public boolean scriptsMayRunNoscript() {
        return scriptsMayRunNoscript;
    }

    public void scriptsMayRunNoscript(boolean allowed) {
        scriptsMayRunNoscript = allowed;
    }

    /**
     * DEBUG PAUSE-CRON: whether the server's periodic work is skipped, all of it (this cron, the
     * persistence cron, the sweeps over clients, the rate samples), as Redis's serverCron is skipped.
     */
    public boolean cronPaused() {
        return cronPaused;
    }

    public void pauseCron(boolean paused) {
        cronPaused = paused;
    }

    /** 1000 / hz milliseconds, with hz bounded to Redis's 1..500. */
    public long cronPeriodMillis() {
        long hz = Math.max(1, Math.min(500, config.getLong("hz")));
        return 1000 / hz;
    }
}
