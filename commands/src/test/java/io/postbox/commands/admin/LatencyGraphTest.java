package io.postbox.commands.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyGraphTest {

    /** Six samples of redis-server 7.0.15's "command" event, taken with LATENCY HISTORY and TIME. */
    private static final long NOW = 1795438123;
    private static final List<LatencyMonitor.Sample> REDIS_SAMPLES = List.of(
            new LatencyMonitor.Sample(1795438116, 30), new LatencyMonitor.Sample(1795438117, 7),
            new LatencyMonitor.Sample(1795438118, 121), new LatencyMonitor.Sample(1795438119, 118),
            new LatencyMonitor.Sample(1795438121, 19), new LatencyMonitor.Sample(1795438122, 78));

    @Test
    void drawsTheSamplesAsRedisDid() {
        // LATENCY GRAPH command, in the same second, on that Redis.
        String redis = "command - high 121 ms, low 7 ms (all time high 121 ms)\n"
                + "-".repeat(80) + "\n"
                + "  ##  \n"
                + "  || o\n"
                + "  || |\n"
                + "#_||o|\n"
                + "      \n"
                + "765421\n"
                + "ssssss\n";
        assertEquals(redis, LatencyGraph.of("command", REDIS_SAMPLES, 121, NOW));
    }

    @Test
    void equalSamplesAreLowAndAgesTakeTheirLargestUnit() {
        List<LatencyMonitor.Sample> samples = List.of(new LatencyMonitor.Sample(NOW - 59, 40),
                new LatencyMonitor.Sample(NOW - 60, 40), new LatencyMonitor.Sample(NOW - 7_200, 40),
                new LatencyMonitor.Sample(NOW - 3 * 86_400, 40));
        String expected = "fast-command - high 40 ms, low 40 ms (all time high 250 ms)\n"
                + "-".repeat(80) + "\n"
                + "    \n"
                + "    \n"
                + "    \n"
                + "____\n"
                + "    \n"
                + "5123\n"
                + "9mhd\n"
                + "s   \n";
        assertEquals(expected, LatencyGraph.of("fast-command", samples, 250, NOW));
    }

    @Test
    void moreSamplesThanColumnsMakeASecondChart() {
        List<LatencyMonitor.Sample> samples = new ArrayList<>();
        for (int i = 0; i < 82; i++) {
            samples.add(new LatencyMonitor.Sample(NOW - 1, i == 81 ? 13 : 1));
        }
        String graph = LatencyGraph.of("command", samples, 13, NOW);
        String[] lines = graph.split("\n", -1);
        assertEquals(80, lines[2].length());
        assertEquals("_".repeat(80), lines[5]);
        assertEquals("", lines[9]);
        assertEquals(List.of(" #", " |", " |", "_|", "  ", "11", "ss", ""),
                List.of(lines).subList(10, lines.length));
    }
}
