package io.postbox.commands;

import io.postbox.commands.acl.AclDenial;
import io.postbox.commands.acl.AclLog;
import io.postbox.commands.acl.AclUser;
import io.postbox.commands.admin.PersistenceStatus;
import io.postbox.commands.config.ConfigOption;
import io.postbox.commands.config.SavePoint;
import io.postbox.commands.connection.ClientInfo;
import io.postbox.commands.connection.Loopback;
import io.postbox.commands.pubsub.PubSubCommands;
import io.postbox.commands.replication.MasterLink;
import io.postbox.commands.replication.ReplicationFeed;
import io.postbox.commands.transactions.Transaction;
import io.postbox.commands.transactions.TransactionCommands;
import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs a client's command the way Redis's processCommand and call do. {@link #dispatch} decides
 * whether a request runs: it looks the command up and refuses it, in Redis's order, when it does not
 * exist, has the wrong arity, is protected and its setting does not allow the client
 * ({@link Command#protectingSetting}), needs authentication, is not allowed in a transaction, may add
 * data (or would grow a transaction) over maxmemory, is not allowed in RESP2 pub/sub mode or from a
 * monitor, or writes while saving fails; it holds it back during a pause,
 * queues it while MULTI is open, and else runs it, and then serves the clients blocked on keys the
 * command made ready. It judges a call by the call's own flags ({@link Command#flagsOf}: a script's
 * come from the script), and an EXEC by those of the calls it queued as well. {@link #call} runs a
 * command that passed those checks and accounts for it: statistics, the slow log and MONITOR. EXEC
 * runs its queued commands through {@link #call}, so what must happen once per client request (such
 * as serving blocked clients, once the whole transaction ran) belongs in {@link #dispatch} after it.
 *
 * <p>Every reply, error replies included, is written here or by the handler; errors are counted once,
 * where they are rendered. A refused command aborts an open transaction (EXECABORT), as Redis's
 * rejectCommand does.
 *
 * <p>While a script runs past busy-reply-threshold, another thread answers the other clients through
 * {@link #admitWhileBusy} and {@link #call}: there, every command but those flagged {@code allow_busy}
 * is refused with -BUSY, and what the refusal or the call would change beyond the client (statistics,
 * the slow log, MONITOR, watched keys) is deferred until the script ends ({@link ScriptWatch#defer}).
 */
public final class Dispatcher {

    private static final ErrorReply NOT_IN_TRANSACTION = Errors.err("Command not allowed inside a transaction");
    private static final ErrorReply MONITOR_KEYSPACE = Errors.err("Replica can't interact with the keyspace");
    private static final Set<String> ENDS_TRANSACTION = Set.of("exec", "discard", "quit", "reset");
    /** A call flagged with any of these touches keys, which a monitor may not. */
    private static final long TOUCHES_KEYS =
            CommandFlag.WRITE.bit() | CommandFlag.READONLY.bit() | CommandFlag.MAY_REPLICATE.bit();

    private final Engine engine;
    private final ConfigOption<Boolean> latencyTracking;
    private final ConfigOption<Boolean> stopWritesOnBgsaveError;
    private final ConfigOption<List<SavePoint>> savePoints;
    private final ConfigOption<Long> minReplicasToWrite;
    private final ConfigOption<Long> minReplicasMaxLag;
    private final ConfigOption<Boolean> replicaReadOnly;
    private final ConfigOption<Boolean> replicaServeStaleData;
    private boolean outOfMemoryAtCallStart;

    public Dispatcher(Engine engine) {
        this.engine = engine;
        this.latencyTracking = engine.config().option("latency-tracking");
        this.stopWritesOnBgsaveError = engine.config().option("stop-writes-on-bgsave-error");
        this.savePoints = engine.config().option("save");
        this.minReplicasToWrite = engine.config().option("min-replicas-to-write");
        this.minReplicasMaxLag = engine.config().option("min-replicas-max-lag");
        this.replicaReadOnly = engine.config().option("replica-read-only");
        this.replicaServeStaleData = engine.config().option("replica-serve-stale-data");
    }

    /**
     * Runs one request, or replies why it cannot run. Returns false, having done nothing else, when a
     * server-wide pause holds the command back: the caller keeps the request and offers it again
     * through {@link Client#resumePostponed()} when the pause ends.
     */
    public boolean dispatch(Client client, byte[][] args) {
        return dispatch(client, args, engine.commands().lookup(args[0]));
    }

    /** {@link #dispatch(Client, byte[][])} with the command already looked up: {@code base}, or null if unknown. */
    public boolean dispatch(Client client, byte[][] args, Command base) {
        engine.tick();
        engine.applyingMasterStream(client.master());
        try {
            Command command = resolve(client, args, base);
            if (command != null && !admitAndRun(client, command, args)) {
                return false;
            }
            engine.tracking().requestEnded(client, command);
            return true;
        } finally {
            engine.applyingMasterStream(false);
        }
    }

    /** The rest of {@link #dispatch} for a command that exists and takes these arguments. */
    private boolean admitAndRun(Client client, Command command, byte[][] args) {
        // As in Redis, a refused command is the client's last one too (CLIENT LIST, ACL LOG show it).
        client.lastCommand(command);
        long flags = command.flagsOf(args);
        long judged = flags | Transaction.flagsRunBy(client, command);
        if (refused(client, command, args, judged)) {
            return true;
        }
        // Monitors count as replicas, which a pause never holds back; nor is the replay of the
        // append-only file (DEBUG LOADAOF replays it while every client is frozen).
        if (!client.monitoring() && !client.replaysAppendOnlyFile() && engine.pause().postpones(judged)) {
            return false;
        }
        // As Redis's processCommand, before a command is queued too: what this evicts from the table
        // goes out ahead of the reply, even to this client.
        engine.tracking().limitTableSize();
        Transaction transaction = client.transaction();
        if (transaction != null && transaction.queues(command)) {
            transaction.queue(command, args, flags);
            client.reply().simple("QUEUED");
            return true;
        }
        engine.tracking().requestStarting(client);
        call(client, command, args);
        engine.blockedClients().serveReadyKeys();
        return true;
    }

    /**
     * The checks of {@link #dispatch} for a request that arrives while a script is busy, on the thread
     * standing in for the executor: the command to run, or null after replying why it cannot run
     * (-BUSY unless it is flagged {@code allow_busy}). Nothing else happens: the caller decides when
     * the command runs.
     */
    public Command admitWhileBusy(Client client, byte[][] args) {
        Command command = resolve(client, args, engine.commands().lookup(args[0]));
        if (command == null) {
            return null;
        }
        return refused(client, command, args, command.flagsOf(args) | Transaction.flagsRunBy(client, command))
                ? null : command;
    }

    /**
     * Runs {@code command}, which has passed every check, and accounts for it: its statistics, the
     * slow log, then the MONITOR feed (after the command, as Redis shows it; for a call that outlasts
     * its handler, once it ends: {@link Invocation#outlastHandler}). An error the handler
     * throws becomes the reply. Each call is a {@link CommandLog} unit; units nest, so everything a
     * top-level call and the calls nested in it write is one. A SCAN or RANDOMKEY opens none
     * ({@link Command#touchesArbitraryKeys}): run directly, the deletions of the keys it expires stand
     * alone, as Redis propagates them; inside EXEC or a script they join the outer unit.
     */
    public void call(Client client, Command command, byte[][] args) {
        ScriptWatch watch = engine.scriptWatch();
        boolean standingIn = watch.standingIn();
        if (standingIn) {
            // What the standby serves writes nothing, and the log's open unit is the busy script's.
            run(client, command, args, watch, true);
            return;
        }
        // The same log ends the unit it started, even if the command turned the append-only file off.
        CommandLog log = engine.commandLog();
        boolean unit = !command.touchesArbitraryKeys();
        ReplicationFeed feed = engine.replicationFeed();
        long streamed = feed.offset();
        if (unit) {
            log.unitStarted();
        }
        try {
            run(client, command, args, watch, false);
        } finally {
            if (unit) {
                log.unitEnded();
            }
            // As Redis's call() keeps it for WAIT: where the stream was after the client's last write.
            if (feed.offset() != streamed) {
                client.lastWriteOffset(feed.offset());
            }
        }
    }

    private void run(Client client, Command command, byte[][] args, ScriptWatch watch, boolean standingIn) {
        Invocation call = new Invocation(engine, client, command, args);
        boolean failed = false;
        // Logged if it changed the data, as Redis propagates a call that moved its dirty counter: a
        // write, or a command that may replicate (PFCOUNT, which fills an HLL's cache). A script is
        // logged by the writes it runs (those redis.set_repl leaves to the AOF), not itself. Nothing is
        // while the dataset loads (DEBUG LOADAOF replays the file), as Redis propagates nothing while it loads.
        boolean logged = (command.is(CommandFlag.WRITE) || command.is(CommandFlag.MAY_REPLICATE))
                && !command.runsScript() && engine.commandLog() != CommandLog.NONE && !engine.persistence().loading
                && client.propagatesTo() != 0;
        long changes = logged ? engine.changes() : 0;
        long started = System.nanoTime();
        boolean script = command.runsScript();
        if (script) {
            engine.tracking().scriptStarting(command, args);
        }
        try {
            command.handler().execute(call);
            failed = call.failed();
        } catch (ErrorReply error) {
            failed = true;
            replyError(client, error);
        } finally {
            if (script) {
                engine.tracking().scriptEnded();
            }
        }
        long nanos = System.nanoTime() - started;
        if (command.is(CommandFlag.READONLY) && !script && !standingIn) {
            engine.tracking().read(client, command, args);
        }
        if (logged && !failed) {
            int targets = client.propagatesTo() & (engine.changes() != changes
                    ? CommandLog.TO_AOF | CommandLog.TO_REPLICAS : call.forcedTargets());
            if (targets != 0) {
                call.propagateTo(targets);
                engine.commandLog().written(call);
            }
        }
        if (call.outlasting() && !failed) {
            call.whenEnded(failedLater -> account(client, command, call, failedLater, System.nanoTime() - started));
            return;
        }
        // Checked here rather than left to defer(), so the common path allocates nothing.
        if (standingIn) {
            boolean failedCall = failed;
            watch.defer(() -> account(client, command, call, failedCall, nanos));
        } else {
            account(client, command, call, failed, nanos);
        }
    }

    private void account(Client client, Command command, Invocation call, boolean failed, long nanos) {
        // Looked up after the call: CONFIG RESETSTAT starts counting again with itself.
        Stats.CommandStats stats = engine.stats().of(command);
        if (failed) {
            stats.failedCalls++;
        }
        stats.micros += nanos / 1000;
        stats.calls++;
        engine.stats().commandsProcessed++;
        BlockedOperation blocked = client.blockedOn();
        if (blocked != null) {
            blocked.ranBeforeBlocking(nanos);
        } else {
            recordDuration(client, command, call.loggedArgs(), nanos);
        }
        engine.latencyMonitor().sampleIfNeeded(command.is(CommandFlag.FAST) ? "fast-command" : "command",
                nanos / 1_000_000);
        engine.monitors().feed(client, command, call.loggedArgs());
    }

    /**
     * A call that blocked has ended, served or unblocked: its first run took {@code ranNanos}, and
     * serving it {@code servedNanos} (its waiting is left out). Into the latency histogram and the
     * slow log, as Redis's updateStatsOnUnblock; serving alone is the command-unblocking event.
     */
    public void blockedCallEnded(Client client, Command command, byte[][] loggedArgs, long ranNanos,
                                 long servedNanos) {
        recordDuration(client, command, loggedArgs, ranNanos + servedNanos);
        engine.latencyMonitor().sampleIfNeeded("command-unblocking", servedNanos / 1_000_000);
    }

    private void recordDuration(Client client, Command command, byte[][] loggedArgs, long nanos) {
        if (latencyTracking.value()) {
            engine.stats().of(command).latency().record(nanos);
        }
        engine.slowLog().record(client, command, loggedArgs, nanos / 1000);
    }

    /**
     * The command named ({@code base} or its subcommand) if it takes this many arguments, or null after
     * replying why not.
     */
    private Command resolve(Client client, byte[][] args, Command base) {
        if (base == null) {
            reject(client, null, args, unknownCommand(args));
            return null;
        }
        Command command = base;
        if (base.isContainer() && args.length > 1) {
            command = base.subcommands().get(new String(args[1], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT));
            if (command == null) {
                reject(client, null, args, Errors.err("unknown subcommand '" + truncate(args[1]) + "'. Try "
                        + new String(args[0], StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT) + " HELP."));
                return null;
            }
        }
        if (!command.arityAccepts(args.length)) {
            reject(client, command, args, Errors.wrongArity(command));
            return null;
        }
        return command;
    }

    /**
     * Whether the call cannot run now, in Redis's order of checks, having replied why. {@code flags} are
     * the call's flags together with those of the calls it runs (an EXEC's): they decide what a monitor
     * may run and what MISCONF refuses.
     */
    private boolean refused(Client client, Command command, byte[][] args, long flags) {
        ErrorReply rejection = null;
        AclDenial denial;
        String protectingSetting = command.protectingSetting();
        if (protectingSetting != null
                && !Loopback.allows(engine.config().getString(protectingSetting), client.local())) {
            rejection = notAllowed(command, protectingSetting);
        } else if (!command.is(CommandFlag.NO_AUTH) && engine.authRequired(client)) {
            rejection = Errors.NOAUTH;
        } else if (command.is(CommandFlag.NO_MULTI) && Transaction.isOpen(client)) {
            rejection = NOT_IN_TRANSACTION;
        } else if ((denial = aclDenial(client, command, args, AclLog.Context.of(client), client)) != null) {
            rejection = new ErrorReply(denial.topLevelError(command));
        } else if (outOfMemory(client) && (CommandFlag.DENYOOM.in(flags) || inTransactionNotEnding(client, command))) {
            rejection = Errors.OOM;
        } else if (client.subscribed() && client.protocol() == 2 && !PubSubCommands.allowedWhileSubscribed(command)) {
            rejection = PubSubCommands.notAllowedWhileSubscribed(command);
        } else if (client.monitoring() && (flags & TOUCHES_KEYS) != 0) {
            rejection = MONITOR_KEYSPACE;
        }
        // PING too, as in Redis. Not the master's stream nor the append-only file's replay, which Redis
        // applies without these checks.
        if (rejection == null && (CommandFlag.WRITE.in(flags) || command.fullName().equals("ping"))
                && !client.mustObey()) {
            rejection = diskErrorRefusal();
        }
        if (rejection == null && CommandFlag.WRITE.in(flags) && !client.mustObey()) {
            rejection = replicasRefusal();
            if (rejection == null) {
                rejection = readOnlyReplicaRefusal();
            }
        }
        // A script's flags say whether it may run on stale data (allow-stale), as its command's do; an
        // EXEC may if every call it runs may. Asked only on a stale replica: a script's flags take a lookup.
        if (rejection == null && staleDataRefused() && (!CommandFlag.STALE.in(command.flagsOf(args))
                || CommandFlag.STALE.in(Transaction.flagsLackedBy(client, command)))) {
            rejection = Errors.MASTERDOWN;
        }
        // An EXEC is refused if a call it would run is: one queued before a replica's sync began to load.
        if (rejection == null && engine.persistence().loading && (!command.is(CommandFlag.LOADING)
                || CommandFlag.LOADING.in(Transaction.flagsLackedBy(client, command)))
                && !client.replaysAppendOnlyFile()) {
            rejection = Errors.LOADING;
        }
        // Redis's order: a busy script is checked last, so its -BUSY aborts an open transaction.
        if (rejection == null && !command.is(CommandFlag.ALLOW_BUSY) && engine.scriptWatch().busy()) {
            rejection = Errors.busy(engine.scriptWatch());
        }
        if (rejection != null) {
            reject(client, command, args, rejection);
            return true;
        }
        return false;
    }

    /**
     * Why the client's user may not run {@code args}, recorded in ACL LOG as refused in {@code context}
     * (the entry describes {@code caller}, the script's caller for a script's call); null if it may, or
     * if the client has no user.
     */
    public AclDenial aclDenial(Client client, Command command, byte[][] args, AclLog.Context context, Client caller) {
        AclUser user = client.user();
        AclDenial denial = user == null ? null : user.check(command, args);
        if (denial != null) {
            engine.acl().record(denial, context, command, args, user, ClientInfo.line(caller, engine));
        }
        return denial;
    }

    /**
     * Whether the data is over maxmemory as this call starts; kept for the scripts it runs, which may
     * not begin writing then. Not asked while a script is busy, nor for the append-only file's replay.
     */
    private boolean outOfMemory(Client client) {
        if (engine.scriptWatch().busy() || client.mustObey()) {
            return false;
        }
        outOfMemoryAtCallStart = engine.memoryLimit().exceeded();
        return outOfMemoryAtCallStart;
    }

    /**
     * Whether {@code client} has a transaction open that {@code command} does not end: over maxmemory an
     * open transaction may not grow (its queue takes memory too), but it may end.
     */
    private static boolean inTransactionNotEnding(Client client, Command command) {
        return Transaction.isOpen(client) && !ENDS_TRANSACTION.contains(command.fullName());
    }

    /**
     * Whether the data was over maxmemory when the call running now was let in: a script may then not
     * run a denyoom command before it has written, as in Redis.
     */
    public boolean outOfMemoryAtCallStart() {
        return outOfMemoryAtCallStart;
    }

    private static ErrorReply notAllowed(Command command, String protectingSetting) {
        Command named = command.container() == null ? command : command.container();
        return Errors.err(named.name().toUpperCase(Locale.ROOT) + " command not allowed. If the " + protectingSetting
                + " option is set to \"local\", you can run it from a local connection, otherwise you need to set"
                + " this option in the configuration file, and then restart the server.");
    }

    /**
     * MISCONF: why writes are refused while saving fails, or null. Scripts ask it before each write,
     * as Redis's scripts do.
     */
    public ErrorReply diskErrorRefusal() {
        PersistenceStatus status = engine.persistence();
        return status.anyDiskError()
                ? status.writeRefusal(stopWritesOnBgsaveError.value(), !savePoints.value().isEmpty()) : null;
    }

    /**
     * NOREPLICAS: why writes are refused while min-replicas-to-write asks for more online replicas that
     * acknowledged within min-replicas-max-lag seconds than there are, or null. Scripts ask it before
     * each write, as Redis's scripts do.
     */
    public ErrorReply replicasRefusal() {
        long wanted = minReplicasToWrite.value();
        long maxLag = minReplicasMaxLag.value();
        if (wanted <= 0 || maxLag <= 0) {
            return null;
        }
        return engine.replicaAcks().good(engine.now(), maxLag) < wanted ? Errors.NOREPLICAS : null;
    }

    /**
     * READONLY: why a replica refuses writes that do not come from its master (replica-read-only), or
     * null. Scripts ask it before each write, as Redis's scripts do.
     */
    public ErrorReply readOnlyReplicaRefusal() {
        return engine.masterLink().following() && replicaReadOnly.value() ? Errors.READONLY_REPLICA : null;
    }

    /**
     * Whether a replica whose link is down refuses what may read stale data (replica-serve-stale-data no):
     * commands not flagged {@code stale}, from clients and from scripts.
     */
    public boolean staleDataRefused() {
        MasterLink link = engine.masterLink();
        return link.following() && link.state() != MasterLink.State.CONNECTED && !replicaServeStaleData.value();
    }

    /**
     * Refuses a request: counted as rejected (if the command is known), and an open transaction aborts.
     * A refused EXEC ends the transaction at once, says why in an EXECABORT error and is shown to
     * monitors, as Redis's execCommandAbort does.
     */
    private void reject(Client client, Command command, byte[][] args, ErrorReply error) {
        ScriptWatch watch = engine.scriptWatch();
        if (command != null) {
            watch.defer(() -> engine.stats().of(command).rejectedCalls++);
        }
        Transaction transaction = client.transaction();
        if (transaction != null) {
            transaction.abortIfOpen();
        }
        if (command != null && command.fullName().equals("exec")) {
            replyError(client, TransactionCommands.abortReason(error));
            watch.defer(() -> {
                TransactionCommands.abortExec(engine, client);
                engine.monitors().feed(client, command, args);
            });
            return;
        }
        replyError(client, error);
    }

    private void replyError(Client client, ErrorReply error) {
        if (!error.alreadyCounted()) {
            engine.scriptWatch().defer(() -> engine.stats().error(error.code()));
        }
        client.reply().error(error);
    }

    /** Redis's text: the name and then the first arguments, quoted, up to about 128 characters. */
    static ErrorReply unknownCommand(byte[][] args) {
        StringBuilder shown = new StringBuilder();
        for (int i = 1; i < args.length && shown.length() < 128; i++) {
            String arg = truncate(args[i], 128 - shown.length());
            shown.append('\'').append(arg).append("' ");
        }
        return Errors.err("unknown command '" + truncate(args[0]) + "', with args beginning with: " + shown);
    }

    private static String truncate(byte[] word) {
        return truncate(word, 128);
    }

    /** At most {@code max} bytes of {@code word}, cut at a NUL as Redis's %.*s formatting cuts it. */
    private static String truncate(byte[] word, int max) {
        int length = 0;
        while (length < word.length && length < max && word[length] != 0) {
            length++;
        }
        return new String(word, 0, length, StandardCharsets.ISO_8859_1);
    }
}
