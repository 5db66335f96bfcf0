package io.postbox.commands;

import io.postbox.commands.config.Config;
import io.postbox.commands.keyspace.AccessTracking;
import io.postbox.commands.keyspace.Clock;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.keyspace.DatabasesCron;
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
    private final Database[] databases;
    private final Clients clients = new Clients();
    private final Stats stats = new Stats();
    private final DatabasesCron databasesCron = new DatabasesCron();
    private final long startMillis = System.currentTimeMillis();
    private long now = startMillis;

    public Engine(Config config, List<CommandGroup> groups) {
        this.config = config;
        List<Command> all = new ArrayList<>();
        for (CommandGroup group : groups) {
            all.addAll(group.commands());
        }
        this.commands = new CommandTable(all);
        this.databases = new Database[(int) config.getLong("databases")];
        AccessTracking access = new AccessTracking(config);
        for (int i = 0; i < databases.length; i++) {
            databases[i] = new Database(i, this, stats, access);
        }
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

    /** Exchanges the contents of two databases (SWAPDB): clients keep their index, not their data. */
    public void swapDatabases(int a, int b) {
        databases[a].swapContents(databases[b]);
    }

    public Clients clients() {
        return clients;
    }

    public Stats stats() {
        return stats;
    }

    public long startMillis() {
        return startMillis;
    }

    /** Command time in Unix milliseconds; fixed while one command runs. */
    @Override
    public long now() {
        return now;
    }

    /** Advances command time; called by the dispatcher before each command. */
    public void tick() {
        now = System.currentTimeMillis();
    }

    /**
     * Periodic work, as Redis's serverCron: active expiry and incremental rehashing of the
     * databases. The server runs it on the executor every {@link #cronPeriodMillis()}.
     */
    public void cron() {
        tick();
        databasesCron.run(databases, cronPeriodMillis());
    }

    /** 1000 / hz milliseconds, with hz bounded to Redis's 1..500. */
    public long cronPeriodMillis() {
        long hz = Math.max(1, Math.min(500, config.getLong("hz")));
        return 1000 / hz;
    }
}
