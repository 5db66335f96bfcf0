package io.postbox.commands.monitor;

import io.postbox.commands.Client;
import io.postbox.commands.Command;
import io.postbox.commands.CommandFlag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The clients in MONITOR mode, and the feed they get: every command the server runs, once it has
 * run, as one line ({@link MonitorLine}) sent as a simple string to each monitor's own reply buffer.
 * Commands flagged {@code admin} or {@code skip_monitor} are not shown, as in Redis; refused commands
 * (unknown, wrong arity, queued by MULTI) are not shown because they do not run.
 *
 * <p>With no monitor attached, {@link #feed} costs one test. Executor thread only.
 */
public final class Monitors {

    private final List<Client> monitors = new ArrayList<>();

    void add(Client client) {
        monitors.add(client);
        client.monitoring(true);
    }

    /** Leaves MONITOR mode (RESET, disconnection); nothing if {@code client} is no monitor. */
    public void remove(Client client) {
        if (client.monitoring()) {
            monitors.remove(client);
            client.monitoring(false);
        }
    }

    /** Shows {@code command}, run by {@code client} with {@code args} (redacted as the slow log sees them). */
    public void feed(Client client, Command command, byte[][] args) {
        if (monitors.isEmpty() || command.is(CommandFlag.ADMIN) || command.is(CommandFlag.SKIP_MONITOR)) {
            return;
        }
        Instant now = Instant.now();
        String line = MonitorLine.format(now.getEpochSecond() * 1_000_000 + now.getNano() / 1000,
                client.database().index(), client.monitorName(), args);
        for (Client monitor : monitors) {
            monitor.reply().simple(line);
        }
    }
}
