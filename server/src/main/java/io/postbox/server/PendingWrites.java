package io.postbox.server;

import java.util.ArrayList;
import java.util.List;

/**
 * Connections with replies waiting to be sent, flushed together once the executor finishes a batch
 * of work: Redis's clients-pending-write list, handled in its beforeSleep.
 * Executor thread only.
 */
final class PendingWrites {

    private List<ClientConnection> pending = new ArrayList<>();
    private List<ClientConnection> spare = new ArrayList<>();

    void add(ClientConnection connection) {
        pending.add(connection);
    }

    void flushAll() {
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
