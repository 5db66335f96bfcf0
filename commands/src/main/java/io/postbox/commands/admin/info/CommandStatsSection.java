package io.postbox.commands.admin.info;

import io.postbox.commands.Command;
import io.postbox.commands.Engine;
import io.postbox.commands.Stats;
import java.util.Locale;

/** INFO commandstats: every command called, rejected or failed since the last CONFIG RESETSTAT. */
final class CommandStatsSection implements InfoSection {

    @Override
    public String title() {
        return "Commandstats";
    }

    @Override
    public void write(InfoLines out, Engine engine) {
        for (Command command : engine.commands().withSubcommands()) {
            Stats.CommandStats stats = engine.stats().peek(command);
            if (stats == null || (stats.calls == 0 && stats.failedCalls == 0 && stats.rejectedCalls == 0)) {
                continue;
            }
            // Redis divides in single precision.
            float perCall = stats.calls == 0 ? 0 : (float) stats.micros / stats.calls;
            out.field("cmdstat_" + command.fullName(), "calls=" + stats.calls + ",usec=" + stats.micros
                    + ",usec_per_call=" + String.format(Locale.ROOT, "%.2f", perCall)
                    + ",rejected_calls=" + stats.rejectedCalls + ",failed_calls=" + stats.failedCalls);
        }
    }
}
