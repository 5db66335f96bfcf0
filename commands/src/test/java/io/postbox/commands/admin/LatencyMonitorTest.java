package io.postbox.commands.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.config.Config;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyMonitorTest {

    private final Config config = new Config();
    private final LatencyMonitor monitor = new LatencyMonitor(config);

    @Test
    void samplesNothingUntilAThresholdIsSet() {
        monitor.sampleIfNeeded("command", 500);
        assertTrue(monitor.events().isEmpty());
        config.set("latency-monitor-threshold", "100");
        monitor.sampleIfNeeded("command", 99);
        assertTrue(monitor.events().isEmpty());
        monitor.sampleIfNeeded("command", 100);
        assertEquals(List.of("command"), monitor.events());
        assertEquals(100, monitor.max("command"));
    }

    @Test
    void keepsTheWorstOfEachSecondAndTheWorstEver() {
        monitor.add("command", 5, 1000);
        monitor.add("command", 9, 1000);
        monitor.add("command", 7, 1000);
        monitor.add("command", 3, 1001);
        assertEquals(List.of(new LatencyMonitor.Sample(1000, 9), new LatencyMonitor.Sample(1001, 3)),
                monitor.history("command"));
        assertEquals(new LatencyMonitor.Sample(1001, 3), monitor.latest("command"));
        assertEquals(9, monitor.max("command"));
    }

    @Test
    void keepsTheLast160SecondsThatHadSamples() {
        for (int second = 0; second < 200; second++) {
            monitor.add("fast-command", second, 1000 + second);
        }
        List<LatencyMonitor.Sample> history = monitor.history("fast-command");
        assertEquals(LatencyMonitor.SAMPLES, history.size());
        assertEquals(1040, history.get(0).unixSeconds());
        assertEquals(1199, history.get(history.size() - 1).unixSeconds());
        assertEquals(199, monitor.max("fast-command"));
    }

    @Test
    void resetForgetsEventsAndCountsThoseThatHadSamples() {
        monitor.add("command", 5, 1000);
        monitor.add("fast-command", 5, 1000);
        assertTrue(monitor.reset("command"));
        assertFalse(monitor.reset("command"));
        assertTrue(monitor.history("command").isEmpty());
        assertEquals(1, monitor.resetAll());
        assertTrue(monitor.events().isEmpty());
    }
}
