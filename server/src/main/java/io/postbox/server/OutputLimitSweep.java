package io.postbox.server;

import io.postbox.commands.Client;
import io.postbox.commands.Engine;
import java.util.ArrayList;
import java.util.List;

/**
 * A periodic task on the executor that applies {@code client-output-buffer-limit} to output that no
 * longer moves: a client over the soft limit that nothing more is written to is closed once its soft
 * seconds are up, as Redis's clientsCron closes it, rather than kept until the next write. Like that
 * cron, it does not run while DEBUG SLEEP or SAVE has the server stopped.
 */
final class OutputLimitSweep implements Runnable {

    /** Redis checks each client about once a second; the soft limit counts whole seconds. */
    static final long PERIOD_MILLIS = 250;

    private final Engine engine;

    OutputLimitSweep(Engine engine) {
        this.engine = engine;
    }

    @Override
    public void run() {
        if (engine.pause().frozen()) {
            return;
        }
        List<Client> all = new ArrayList<>(engine.clients().all());
        for (Client client : all) {
            if (client instanceof ClientConnection connection && client.pendingOutputBytes() > 0) {
                connection.overOutputLimit(0);
            }
        }
    }
}
