package io.postbox.server;

import io.postbox.commands.Client;
import io.postbox.commands.Engine;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code timeout} option: a periodic task on the executor that closes clients idle for more than
 * that many seconds (0 disables it; CONFIG SET applies at the next run). As in Redis, idleness is
 * counted in whole seconds, and clients waiting in a blocking command or held by a pause are spared,
 * and so are subscribers, monitors and replicas, which wait for output by design; nothing is closed
 * while DEBUG SLEEP has the server stopped.
 */
final class IdleClients implements Runnable {

    /** How often the check runs; the timeout itself has a resolution of one second. */
    static final long PERIOD_MILLIS = 250;

    private final Engine engine;

    IdleClients(Engine engine) {
        this.engine = engine;
    }

    @Override
    public void run() {
        long timeout = engine.config().getLong("timeout");
        if (timeout <= 0 || engine.pause().frozen()) {
            return;
        }
        long nowSeconds = System.currentTimeMillis() / 1000;
        List<Client> idle = new ArrayList<>();
        for (Client client : engine.clients().all()) {
            if (client.blockedOn() == null && !engine.pause().isWaiting(client) && !client.subscribed()
                    && !client.monitoring() && !client.replica() && !client.master()
                    && nowSeconds - client.lastInteractionMillis() / 1000 > timeout) {
                idle.add(client);
            }
        }
        for (Client client : idle) {
            client.close();
        }
    }
}
