package io.postbox.commands.admin;

import java.util.List;

/**
 * LATENCY GRAPH's chart of one event's samples, character for character as Redis draws it: a title
 * with the highest and lowest sample and the worst ever, a rule, then the samples as columns four
 * rows high, each filled from the bottom with {@code |} and topped by {@code _}, {@code o} or
 * {@code #} for a third of a row, and under them, after a blank row, how long ago each was, written
 * downwards ({@code 4s}, {@code 12m}, {@code 3h}). The lowest sample is an empty column but for its
 * {@code _}; more than 80 samples make a second chart below the first.
 */
final class LatencyGraph {

    private static final int COLUMNS = 80;
    private static final int ROWS = 4;
    /** The tops of a column, by how much of a row it fills. */
    private static final char[] TOPS = {'_', 'o', '#'};
    private static final int STEPS = ROWS * TOPS.length;

    private LatencyGraph() {
    }

    /** The chart of {@code samples} (oldest first, at least one), {@code nowSeconds} being now. */
    static String of(String event, List<LatencyMonitor.Sample> samples, long allTimeMax, long nowSeconds) {
        long low = Long.MAX_VALUE;
        long high = Long.MIN_VALUE;
        for (LatencyMonitor.Sample sample : samples) {
            low = Math.min(low, sample.millis());
            high = Math.max(high, sample.millis());
        }
        StringBuilder out = new StringBuilder();
        out.append(event).append(" - high ").append(high).append(" ms, low ").append(low)
                .append(" ms (all time high ").append(allTimeMax).append(" ms)\n");
        out.append("-".repeat(COLUMNS)).append('\n');
        for (int from = 0; from < samples.size(); from += COLUMNS) {
            if (from > 0) {
                out.append('\n');
            }
            chart(out, samples.subList(from, Math.min(samples.size(), from + COLUMNS)), low, high, nowSeconds);
        }
        return out.toString();
    }

    private static void chart(StringBuilder out, List<LatencyMonitor.Sample> samples, long low, long high,
                              long nowSeconds) {
        int width = samples.size();
        double range = high == low ? 1 : high - low;
        int[] steps = new int[width];
        String[] labels = new String[width];
        int labelRows = 0;
        for (int i = 0; i < width; i++) {
            LatencyMonitor.Sample sample = samples.get(i);
            steps[i] = Math.min(STEPS - 1, (int) ((sample.millis() - low) * STEPS / range));
            labels[i] = ago(nowSeconds - sample.unixSeconds());
            labelRows = Math.max(labelRows, labels[i].length());
        }
        char[] line = new char[width];
        for (int row = 0; row < ROWS; row++) {
            int below = (ROWS - 1 - row) * TOPS.length;
            for (int i = 0; i < width; i++) {
                int step = steps[i] - below;
                line[i] = step < 0 ? ' ' : step < TOPS.length ? TOPS[step] : '|';
            }
            out.append(line).append('\n');
        }
        out.append(" ".repeat(width)).append('\n');
        for (int row = 0; row < labelRows; row++) {
            for (int i = 0; i < width; i++) {
                line[i] = row < labels[i].length() ? labels[i].charAt(row) : ' ';
            }
            out.append(line).append('\n');
        }
    }

    /** How long ago, in the largest unit that fits: seconds, minutes, hours or days. */
    private static String ago(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + "h";
        }
        return seconds / 86_400 + "d";
    }
}
