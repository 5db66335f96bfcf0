package io.postbox.server;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;

/**
 * Connections with replies waiting to be sent, flushed together once the executor finishes a batch
 * of work: Redis's clients-pending-write list, handled in its beforeSleep (after the batch's writes are
 * handed to the append-only file, through the {@link ReplyBarrier}). What else beforeSleep sends before
 * the writes, the batch's broadcast invalidations, is {@code beforeFlush}'s.
 *
 * <p>After reads and script turns, the flush waits until the event loop has run the rest of its round
 * ({@link #flushAfterRound}): output that many clients' commands add to the same connection (PUBLISH
 * to a subscriber, MONITOR lines) then leaves in one write per round, not one per client that was
 * read, and the round's replies leave together. Executor thread only.
 */
final class PendingWrites {

    private final EventLoop executor;
    private final ReplyBarrier barrier;
    private final Runnable beforeFlush;
    private final Runnable scheduledFlush = () -> {
        flushScheduled = false;
        flushAll();
    };
    private List<ClientConnection> pending = new ArrayList<>();
    private List<ClientConnection> spare = new ArrayList<>();
    private boolean flushScheduled;

    PendingWrites(EventLoop executor, ReplyBarrier barrier, Runnable beforeFlush) {
        this.executor = executor;
        this.barrier = barrier;
        this.beforeFlush = beforeFlush;
    }

    /** Where flushed replies go: out, or held until the writes before them are durable. */
    ReplyBarrier barrier() {
        return barrier;
    }

    void add(ClientConnection connection) {
        pending.add(connection);
    }

    /**
     * Flushes once the event loop has run the rest of this round: its I/O, and the tasks queued before
     * this call, such as the script turns its reads queued (tasks run after the round's I/O, and those
     * queued meanwhile in the same round).
     */
    void flushAfterRound() {
        if (!flushScheduled && !pending.isEmpty()) {
            flushScheduled = true;
            executor.execute(scheduledFlush);
        }
    }

    /**
     * The end of a batch of work: its writes go to the append-only file, then every connection with
     * output is flushed, the most recently registered first, as Redis walks its list from the head: a
     * client's reply to its own command, registered after the pub/sub messages it fanned out to
     * subscribers, leaves before them, so the client can send its next command while the subscribers'
     * writes go on.
     */
    void flushAll() {
        beforeFlush.run();
        barrier.submit();
        while (!pending.isEmpty()) {
            List<ClientConnection> batch = pending;
            pending = spare;
            for (int i = batch.size() - 1; i >= 0; i--) {
                batch.get(i).flush();
            }
            batch.clear();
            spare = batch;
        }
    }
}
