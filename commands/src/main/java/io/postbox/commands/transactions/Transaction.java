package io.postbox.commands.transactions;

import io.postbox.commands.Client;
import io.postbox.commands.ClientMemory;
import io.postbox.commands.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One client's transaction state: whether MULTI is open, the commands queued since, whether EXEC must
 * abort (an error while queuing) or fail (a watched key changed), and the keys it watches. Redis keeps
 * the same in a client's mstate, its MULTI / DIRTY_EXEC / DIRTY_CAS flags and its watched_keys.
 *
 * <p>A client has one from its first MULTI or WATCH on ({@link #of}). Executor thread only.
 */
public final class Transaction {

    /** A command queued by MULTI, run by EXEC. */
    public record Queued(Command command, byte[][] args) {
    }

    /** What runs at once even while MULTI is open: the transaction's own controls, QUIT and RESET. */
    private static final Set<String> RUN_AT_ONCE = Set.of("exec", "discard", "multi", "watch", "quit", "reset");

    private boolean open;
    private final List<Queued> queued = new ArrayList<>();
    /** The lengths of the queued commands' arguments together: Redis's mstate.argv_len_sums. */
    private long queuedBytes;
    /** The flags of the queued calls together, as bits: Redis's mstate.cmd_flags. */
    private long queuedFlags;
    /** The flags some queued call lacks, as bits: Redis's mstate.cmd_inv_flags. */
    private long queuedLacking;
    private boolean aborted;
    private boolean watchedKeyChanged;
    /** This client's watches; {@link WatchedKeys} keeps the same entries by key. */
    final List<WatchedKeys.Watch> watches = new ArrayList<>();

    /** The transaction state of {@code client}, created on first use. */
    public static Transaction of(Client client) {
        Transaction transaction = client.transaction();
        if (transaction == null) {
            transaction = new Transaction();
            client.transaction(transaction);
        }
        return transaction;
    }

    /** Whether {@code client} is between MULTI and EXEC (or DISCARD). */
    public static boolean isOpen(Client client) {
        return client.transaction() != null && client.transaction().open;
    }

    public boolean open() {
        return open;
    }

    void begin() {
        open = true;
    }

    /** Whether {@code command}, sent while MULTI is open, is queued rather than run. */
    public boolean queues(Command command) {
        return open && !RUN_AT_ONCE.contains(command.fullName());
    }

    /**
     * Queues a command with the flags of this call ({@link Command#flagsOf}); once the transaction is
     * aborted nothing more is kept, as in Redis.
     */
    public void queue(Command command, byte[][] args, long flags) {
        if (aborted) {
            return;
        }
        queued.add(new Queued(command, args));
        for (byte[] arg : args) {
            queuedBytes += arg.length;
        }
        queuedFlags |= flags;
        queuedLacking |= ~flags;
    }

    /** Called for every command refused while MULTI is open: EXEC will then abort with EXECABORT. */
    public void abortIfOpen() {
        if (open) {
            aborted = true;
        }
    }

    boolean aborted() {
        return aborted;
    }

    /** A watched key changed: the next EXEC fails. */
    void watchedKeyChanged() {
        watchedKeyChanged = true;
    }

    boolean watchedKeyHasChanged() {
        return watchedKeyChanged;
    }

    /** UNWATCH: a change seen so far no longer fails EXEC. */
    void forgetChanges() {
        watchedKeyChanged = false;
    }

    /**
     * The flags of the calls {@code command} would run if it is an EXEC, else none: Redis judges EXEC by
     * what it runs (a pause holds back an EXEC that writes).
     */
    public static long flagsRunBy(Client client, Command command) {
        Transaction transaction = client.transaction();
        if (transaction == null || !transaction.open || !command.fullName().equals("exec")) {
            return 0;
        }
        return transaction.queuedFlags;
    }

    /**
     * The flags that at least one of the calls {@code command} would run lacks, if it is an EXEC, else
     * none: an EXEC may run on stale data only if every call it runs may.
     */
    public static long flagsLackedBy(Client client, Command command) {
        Transaction transaction = client.transaction();
        if (transaction == null || !transaction.open || !command.fullName().equals("exec")) {
            return 0;
        }
        return transaction.queuedLacking;
    }

    /** Whether {@code command} is an EXEC whose queue holds a command that runs a script. */
    public static boolean execRunsScript(Client client, Command command) {
        Transaction transaction = client.transaction();
        if (transaction == null || !transaction.open || !command.fullName().equals("exec")) {
            return false;
        }
        for (Queued queued : transaction.queued) {
            if (queued.command().runsScript()) {
                return true;
            }
        }
        return false;
    }

    List<Queued> queued() {
        return queued;
    }

    /** CLIENT LIST's {@code multi}: commands queued, or -1 outside MULTI. */
    public int queuedCount() {
        return open ? queued.size() : -1;
    }

    /**
     * CLIENT LIST's {@code multi-mem}: the queued commands' arguments, plus an entry per queued command
     * and per watch; the watched keys themselves are shared by every client watching them.
     */
    public long memory() {
        return queuedBytes + (long) (queued.size() + watches.size()) * ClientMemory.ENTRY_BYTES;
    }

    /** CLIENT LIST's {@code d} flag: a watched key changed. */
    public boolean dirty() {
        return watchedKeyChanged;
    }

    /** Ends MULTI, dropping what was queued; the caller unwatches. */
    void close() {
        open = false;
        queued.clear();
        queuedBytes = 0;
        queuedFlags = 0;
        queuedLacking = 0;
        aborted = false;
        watchedKeyChanged = false;
    }
}
