package io.postbox.server;

import java.util.ArrayList;
import java.util.List;

/**
 * Connections with replies waiting to be sent, flushed together once the executor finishes a batch
 * of work: Redis's clients-pending-write list, handled in its beforeSleep (after the batch's writes are
 * handed to the append-only file, through the {@link ReplyBarrier}).
 * Executor thread only.
 */
final class PendingWrites {

    private final ReplyBarrier barrier;
    private List<ClientConnection> pending = new ArrayList<>();
    private List<ClientConnection> spare = new ArrayList<>();

    PendingWrites(ReplyBarrier barrier) {
        this.barrier = barrier;
    }

    /** Where flushed replies go: out, or held until the writes before them are durable. */
    ReplyBarrier barrier() {
        return barrier;
    }

    void add(ClientConnection connection) {
        pending.add(connection);
    }

    /** The end of a batch of work: its writes go to the append-only file, then the replies are flushed. */
    void flushAll() {
        barrier.submit();
        while (!pending.isEmpty()) {
            List<ClientConnection> batch = pending;
            pending = spare;
            for (ClientConnection connection : batch) {
                connection.flush();
            }
            batch.clear();
            spare = batch;
        }
    }
}
