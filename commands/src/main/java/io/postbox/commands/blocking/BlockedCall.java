package io.postbox.commands.blocking;

import io.postbox.commands.BlockedOperation;
import io.postbox.commands.Client;
import io.postbox.commands.Command;
import io.postbox.commands.Invocation;
import io.postbox.commands.Scheduler;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;
import java.util.function.Consumer;

/**
 * One client's wait in a blocking command: its place in the queue of every key it named, the pop to run
 * when one of them has data, the reply a timeout gives, and its timer. WAIT names no key and has no pop.
 * Ended by {@link BlockedClients}: served, timed out, unblocked with CLIENT UNBLOCK, or abandoned by a
 * disconnect.
 */
final class BlockedCall implements BlockedOperation {

    final BlockedClients owner;
    final Client client;
    final Command command;
    /** What to run when a key has data; null for a wait on no key. */
    final PendingPop pop;
    /** Writes the reply of a timeout, or of CLIENT UNBLOCK without ERROR. */
    final Consumer<Reply> timedOut;
    final Waiter[] places;
    int placeCount;
    /** The timeout, or null when the client waits for ever. */
    Scheduler.Timer timer;
    /** The call's arguments as the slow log shows them, and how long its first run took. */
    final byte[][] loggedArgs;
    long ranNanos;

    BlockedCall(BlockedClients owner, Invocation call, PendingPop pop, Consumer<Reply> timedOut, int keys) {
        this.owner = owner;
        this.client = call.client();
        this.command = call.command();
        this.loggedArgs = call.loggedArgs();
        this.pop = pop;
        this.timedOut = timedOut;
        this.places = new Waiter[keys];
    }

    /** Whether this wait already has a place in {@code queue}: a key named twice waits once. */
    boolean isLastIn(KeyWaiters queue) {
        return queue.last != null && queue.last.wait == this;
    }

    void addPlace(Waiter waiter) {
        places[placeCount++] = waiter;
    }

    /** The timer's task; a timer that fires for a wait already ended finds nothing to do. */
    void timerFired() {
        if (client.blockedOn() == this) {
            owner.expire(this);
        }
    }

    @Override
    public void timeOut() {
        owner.unblock(this, null);
    }

    @Override
    public void fail(ErrorReply error) {
        owner.unblock(this, error);
    }

    @Override
    public void abandon() {
        owner.leave(this);
    }

    @Override
    public void ranBeforeBlocking(long nanos) {
        ranNanos = nanos;
    }

    @Override
    public long argumentBytes() {
        long bytes = 0;
        for (byte[] arg : loggedArgs) {
            bytes += arg.length;
        }
        return bytes;
    }
}
