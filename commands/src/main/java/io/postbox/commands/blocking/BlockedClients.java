package io.postbox.commands.blocking;

import io.postbox.commands.Client;
import io.postbox.commands.Clients;
import io.postbox.commands.CommandLog;
import io.postbox.commands.Dispatcher;
import io.postbox.commands.Invocation;
import io.postbox.commands.Scheduler;
import io.postbox.commands.Stats;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.tracking.KeyTracking;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Clients blocked on keys (BLPOP, BRPOP, BLMOVE, BLMPOP...), with Redis 7.0's semantics, and clients
 * blocked on no key until their timeout (WAIT).
 *
 * <p>A blocking command first tries its pop on its keys in argument order; the first key with data
 * wins. When none has any, the client joins the queue of each key ({@link BlockedKeys}, per database)
 * and its later pipelined requests wait. A change to a key with waiters lists it in {@link ReadyKeys};
 * {@link #serveReadyKeys()} then serves its waiters longest-waiting first, each with its own pop, until
 * the key is gone. A served client leaves the queues of all its keys. A BLMOVE that is served writes its
 * destination, which may make that key ready in turn: it is served in the same call (chains).
 *
 * <p>Costs: nothing for a command on a database nobody waits on; one dict lookup per changed key where
 * someone does; serving or removing a waiter is O(keys it waits on), plus cancelling its timeout.
 *
 * <p>A wait ends in exactly one of four ways, each leaving no trace in the queues: served, timed out
 * (the engine's {@link Scheduler}; no scans), CLIENT UNBLOCK, or the client disconnecting. The client's
 * held requests run once the current work is done, as Redis's unblocked clients do in beforeSleep.
 *
 * <p>Executor thread only.
 */
public final class BlockedClients {

    private final Clients clients;
    private final Supplier<KeyTracking> tracking;
    private final Stats stats;
    private final Supplier<Scheduler> scheduler;
    private final Supplier<CommandLog> commandLog;
    private final Supplier<Dispatcher> dispatcher;
    private final ReadyKeys ready;
    private final List<Client> resuming = new ArrayList<>();
    private int withTimeout;

    /**
     * {@code commandLog} records the pops served to waiting clients, which no command of theirs logs;
     * {@code dispatcher} accounts for a blocked call when it ends; {@code tracking} holds a served
     * client's invalidations until its reply is written.
     */
    public BlockedClients(Clients clients, Stats stats, Supplier<Scheduler> scheduler,
                          Supplier<CommandLog> commandLog, Supplier<Dispatcher> dispatcher,
                          Supplier<KeyTracking> tracking, ReadyKeys ready) {
        this.clients = clients;
        this.stats = stats;
        this.scheduler = scheduler;
        this.commandLog = commandLog;
        this.dispatcher = dispatcher;
        this.tracking = tracking;
        this.ready = ready;
    }

    /**
     * Runs a blocking pop: pops from the first of {@code keys} (in the client's database) that has data;
     * a key of another type is WRONGTYPE. When none has data, a client that may not block (inside EXEC
     * or a script) gets the non-blocking twin's reply; any other client blocks until a key gets data,
     * {@code timeoutMillis} pass (0: for ever; see {@link BlockingTimeout}), CLIENT UNBLOCK, or it leaves.
     */
    public void popOrBlock(Invocation call, List<byte[]> keys, long timeoutMillis, PendingPop pop) {
        Database db = call.db();
        byte[] popped = pop.popFirst(db, keys, call.reply());
        if (popped != null) {
            call.propagateAs(pop.effect(popped));
            return;
        }
        block(call, keys, timeoutMillis, pop);
    }

    /**
     * The waiting half of {@link #popOrBlock}, for a command that tried its keys itself (XREAD replies
     * for every stream with data, not the first): blocks the client on {@code keys}, or gives a client
     * that may not block the non-blocking twin's reply.
     */
    public void block(Invocation call, List<byte[]> keys, long timeoutMillis, PendingPop pop) {
        Database db = call.db();
        Client client = call.client();
        if (client.denyBlocking()) {
            pop.replyEmpty(call.reply());
            return;
        }
        // A timeout gets a null array from every blocking pop, BLMOVE included, as in Redis 7.0.
        BlockedCall wait = new BlockedCall(this, call, pop, Reply::nullArray, keys.size());
        BlockedKeys blocked = db.blockedKeys();
        for (int i = 0; i < keys.size(); i++) {
            KeyWaiters queue = blocked.queueOf(keys.get(i));
            if (!wait.isLastIn(queue)) {
                wait.addPlace(queue.append(wait));
            }
        }
        start(wait, timeoutMillis);
    }

    /**
     * Blocks the client on no key, until {@code timeoutMillis} pass (0: for ever), CLIENT UNBLOCK, or it
     * leaves; {@code timedOut} writes the reply of the first two. Only its timeout ends a WAIT for
     * replicas on a server that has none, as in Redis. The caller answers a client that may not block.
     */
    public void blockUntilTimeout(Invocation call, long timeoutMillis, Consumer<Reply> timedOut) {
        start(new BlockedCall(this, call, null, timedOut, 0), timeoutMillis);
    }

    private void start(BlockedCall wait, long timeoutMillis) {
        if (timeoutMillis > 0) {
            wait.timer = scheduler.get().timer(timeoutMillis, wait::timerFired);
            withTimeout++;
        }
        wait.client.blockedOn(wait);
        clients.countBlocked(1);
    }

    /**
     * Serves the clients blocked on keys that changed since the last call, and on keys those servings
     * change in turn, until no listed key has a waiter it can serve.
     *
     * <p>This is the "after the command" point: it must run once after each whole top-level command, so
     * that waiters see only the final state of what a command wrote. The {@link io.postbox.commands.Dispatcher}
     * calls it after every command it runs from a client, and not for commands run inside another
     * (EXEC's queued commands, a script's calls), so EXEC and scripts are served once, when they end.
     * Anything else that runs commands outside the dispatcher must call it once afterwards. Cheap when
     * nothing is ready.
     */
    public void serveReadyKeys() {
        if (ready.isEmpty()) {
            return;
        }
        // Keys made ready while serving (a BLMOVE's destination) are appended, and served in this loop.
        for (int i = 0; i < ready.size(); i++) {
            KeyWaiters queue = ready.get(i);
            queue.ready = false;
            serve(queue);
        }
        ready.clear();
    }

    /** Clients waiting with a timeout: INFO's clients_in_timeout_table. */
    public int withTimeout() {
        return withTimeout;
    }

    /** Serves the waiters of one key, longest-waiting first, while the key holds data for them. */
    private void serve(KeyWaiters queue) {
        Database db = queue.keys.db();
        byte[] key = queue.key();
        Waiter next;
        for (Waiter waiter = queue.first; waiter != null; waiter = next) {
            next = waiter.next;
            Object value = db.getForWrite(key);
            BlockedCall wait = waiter.wait;
            if (value == null || !wait.pop.accepts(key, value)) {
                ErrorReply refusal = wait.pop.refusal(value);
                if (refusal != null) {
                    release(wait);
                    replyError(wait, refusal);
                    ended(wait, 0);
                }
                continue;
            }
            release(wait);
            long started = System.nanoTime();
            KeyTracking.Serving serving = tracking.get().serving(wait.client);
            try {
                wait.pop.serve(db, key, value, wait.client.reply(), true);
                for (byte[][] effect : wait.pop.effects(key)) {
                    commandLog.get().written(db, effect);
                }
            } catch (ErrorReply error) {
                replyError(wait, error);
            }
            tracking.get().served(serving);
            ended(wait, System.nanoTime() - started);
        }
    }

    /** The timeout came: the wait's timeout reply. */
    void expire(BlockedCall wait) {
        release(wait);
        wait.timedOut.accept(wait.client.reply());
    }

    /**
     * CLIENT UNBLOCK: the timeout's reply, or {@code error}; Redis counts either as a failed call, and
     * logs the call as ended (a timeout it does not).
     */
    void unblock(BlockedCall wait, ErrorReply error) {
        release(wait);
        if (error == null) {
            wait.timedOut.accept(wait.client.reply());
            stats.of(wait.command).failedCalls++;
        } else {
            replyError(wait, error);
        }
        ended(wait, 0);
    }

    private void ended(BlockedCall wait, long servedNanos) {
        dispatcher.get().blockedCallEnded(wait.client, wait.command, wait.loggedArgs, wait.ranNanos, servedNanos);
    }

    /** Takes {@code wait} out of every queue and cancels its timer: the client is no longer blocked. */
    void leave(BlockedCall wait) {
        for (int i = 0; i < wait.placeCount; i++) {
            Waiter place = wait.places[i];
            place.queue.unlink(place);
        }
        if (wait.timer != null) {
            wait.timer.cancel();
            withTimeout--;
        }
        wait.client.blockedOn(null);
        clients.countBlocked(-1);
    }

    /** Ends a wait whose client is still there: its held requests run once the current work is done. */
    private void release(BlockedCall wait) {
        leave(wait);
        if (resuming.isEmpty()) {
            scheduler.get().schedule(0, this::resume);
        }
        resuming.add(wait.client);
    }

    private void replyError(BlockedCall wait, ErrorReply error) {
        stats.error(error.code());
        stats.of(wait.command).failedCalls++;
        wait.client.reply().error(error);
    }

    private void resume() {
        List<Client> resumed = new ArrayList<>(resuming);
        resuming.clear();
        for (Client client : resumed) {
            client.resumePostponed();
        }
    }
}
