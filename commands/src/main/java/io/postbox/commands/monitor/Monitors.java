package io.postbox.commands.monitor;

import io.postbox.commands.Client;
import io.postbox.commands.Command;
import io.postbox.commands.CommandFlag;
import java.nio.charset.StandardCharsets;
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

    /**
     * Shows a command that runs a script (EVAL, FCALL...) as it starts, before the commands its script
     * runs, as Redis shows it; such commands are flagged {@code skip_monitor}, so {@link #feed} does not
     * show them again once they ran.
     */
    public void feedScriptCall(Client client, byte[][] args) {
        if (!monitors.isEmpty()) {
            show(client, args);
        }
    }

    /**
     * Shows {@code command}, run by {@code client} with {@code args} (redacted as the slow log sees them).
     * What the append-only file replays is not shown, as Redis feeds no monitor while it loads.
     */
    public void feed(Client client, Command command, byte[][] args) {
        if (monitors.isEmpty() || command.is(CommandFlag.ADMIN) || command.is(CommandFlag.SKIP_MONITOR)
                || client.replaysAppendOnlyFile()) {
            return;
        }
        show(client, args);
    }

    private void show(Client client, byte[][] args) {
        Instant now = Instant.now();
        byte[] line = MonitorLine.format(now.getEpochSecond() * 1_000_000 + now.getNano() / 1000,
                client.database().index(), client.monitorName(), args).getBytes(StandardCharsets.ISO_8859_1);
        for (Client monitor : monitors) {
            monitor.reply().simple(line);
        }
    }
}
