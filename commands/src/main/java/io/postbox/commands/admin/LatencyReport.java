package io.postbox.commands.admin;

import java.util.List;
import java.util.Locale;

/**
 * LATENCY DOCTOR's report: whether the monitor is on, each event's spikes in the line Redis writes
 * for it (how many, their average and mean absolute deviation in whole milliseconds, the seconds
 * between them, the worst ever), and what to look at next. The sentences around those figures are
 * Postbox's own: they are for people, and they speak of what Postbox records (command calls).
 */
final class LatencyReport {

    private LatencyReport() {
    }

    /**
     * @param thresholdMillis    latency-monitor-threshold
     * @param slowLogMicros      slowlog-log-slower-than
     */
    static String of(LatencyMonitor monitor, long thresholdMillis, long slowLogMicros, long nowSeconds) {
        List<String> events = monitor.events();
        if (events.isEmpty()) {
            return thresholdMillis == 0
                    ? "The latency monitor is off (latency-monitor-threshold is 0), so there is nothing to report."
                            + " CONFIG SET latency-monitor-threshold <milliseconds> turns it on.\n"
                    : "No latency spike of " + thresholdMillis + " ms or more has been recorded. All is well.\n";
        }
        StringBuilder out = new StringBuilder("Latency spikes were recorded:\n\n");
        int number = 1;
        for (String event : events) {
            out.append(number++).append(". ").append(event).append(": ")
                    .append(spikes(monitor.history(event), monitor.max(event), nowSeconds)).append('\n');
        }
        out.append("\nWhat to look at:\n\n");
        if (slowLogMicros < 0 || slowLogMicros > thresholdMillis * 1000) {
            out.append("- The slow log keeps fewer commands than the monitor counts: CONFIG SET")
                    .append(" slowlog-log-slower-than ").append(thresholdMillis * 1000)
                    .append(" makes it keep every command this slow.\n");
        }
        out.append("- SLOWLOG GET names the slow commands and their arguments. Commands that go through many"
                + " elements (LRANGE or ZRANGE of a whole large value, SMEMBERS, KEYS, DEL of a large value)"
                + " and long scripts take long; LIMIT, SCAN and UNLINK do the same work in small steps.\n");
        if (events.contains("fast-command")) {
            out.append("- fast-command spikes are commands that take constant or logarithmic time running"
                    + " slowly: the machine, not the command, is the likely cause (another process taking the"
                    + " CPU, swapping, or the JVM collecting garbage: -Xlog:gc shows its pauses).\n");
        }
        return out.toString();
    }

    /**
     * Redis's line for an event's samples: the average and the mean absolute deviation from it in
     * whole milliseconds, and the seconds since the oldest sample per sample.
     */
    private static String spikes(List<LatencyMonitor.Sample> samples, long allTimeMax, long nowSeconds) {
        long sum = 0;
        long oldest = Long.MAX_VALUE;
        for (LatencyMonitor.Sample sample : samples) {
            sum += sample.millis();
            oldest = Math.min(oldest, sample.unixSeconds());
        }
        long average = sum / samples.size();
        long deviations = 0;
        for (LatencyMonitor.Sample sample : samples) {
            deviations += Math.abs(average - sample.millis());
        }
        long span = Math.max(1, nowSeconds - oldest);
        return String.format(Locale.ROOT,
                "%d latency spikes (average %dms, mean deviation %dms, period %.2f sec). Worst all time event %dms.",
                samples.size(), average, deviations / samples.size(), (double) span / samples.size(), allTimeMax);
    }
}
