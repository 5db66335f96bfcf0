package io.postbox.commands.admin.info;

import io.postbox.commands.Command;
import io.postbox.commands.Engine;
import io.postbox.commands.LatencyHistogram;
import io.postbox.commands.Stats;
import io.postbox.commands.config.PercentilesType;
import java.util.List;
import java.util.Locale;

/**
 * INFO latencystats: per command, the latency percentiles of {@code latency-tracking-info-percentiles}
 * in microseconds, e.g. {@code latency_percentiles_usec_get:p50=4.015,p99=6.015,p99.9=6.015}.
 */
final class LatencyStatsSection implements InfoSection {

    @Override
    public String title() {
        return "Latencystats";
    }

    @Override
    public void write(InfoLines out, Engine engine) {
        List<Double> percentiles = engine.config().<List<Double>>option("latency-tracking-info-percentiles").value();
        for (Command command : engine.commands().withSubcommands()) {
            Stats.CommandStats stats = engine.stats().peek(command);
            if (stats == null || !stats.hasLatency()) {
                continue;
            }
            LatencyHistogram histogram = stats.latency();
            StringBuilder value = new StringBuilder();
            for (double percentile : percentiles) {
                if (value.length() > 0) {
                    value.append(',');
                }
                value.append('p').append(PercentilesType.trimmed(percentile)).append('=').append(String.format(Locale.ROOT, "%.3f",
                        histogram.valueAtPercentile(percentile) / 1000.0));
            }
            out.field("latency_percentiles_usec_" + command.fullName(), value);
        }
    }
}
