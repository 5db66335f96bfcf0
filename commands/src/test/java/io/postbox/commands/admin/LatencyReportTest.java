package io.postbox.commands.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.config.Config;
import org.junit.jupiter.api.Test;

class LatencyReportTest {

    private final LatencyMonitor monitor = new LatencyMonitor(new Config());

    @Test
    void saysWhetherTheMonitorIsOnWhenNothingWasRecorded() {
        assertTrue(LatencyReport.of(monitor, 0, 10_000, 0).startsWith("The latency monitor is off"));
        assertEquals("No latency spike of 5 ms or more has been recorded. All is well.\n",
                LatencyReport.of(monitor, 5, 10_000, 0));
    }

    @Test
    void anEventsFiguresAreRedisLine() {
        // Redis 7.0.15's samples and DOCTOR line for them (see LatencyGraphTest).
        long[][] samples = {{1795438116, 30}, {1795438117, 7}, {1795438118, 121}, {1795438119, 118},
            {1795438121, 19}, {1795438122, 78}};
        for (long[] sample : samples) {
            monitor.add("command", sample[1], sample[0]);
        }
        String report = LatencyReport.of(monitor, 1, 10_000, 1795438123);
        assertTrue(report.contains("\n1. command: 6 latency spikes (average 62ms, mean deviation 43ms,"
                + " period 1.17 sec). Worst all time event 121ms.\n"), report);
        assertTrue(report.contains("CONFIG SET slowlog-log-slower-than 1000 "), report);
        assertFalse(report.contains("fast-command"), report);
    }

    @Test
    void aSlowLogThatKeepsEverySpikeIsNotMentioned() {
        monitor.add("fast-command", 20, 100);
        String report = LatencyReport.of(monitor, 10, 10_000, 101);
        assertTrue(report.contains("1. fast-command: 1 latency spikes (average 20ms, mean deviation 0ms,"
                + " period 1.00 sec). Worst all time event 20ms.\n"), report);
        assertFalse(report.contains("slowlog-log-slower-than"), report);
        assertTrue(report.contains("- fast-command spikes"), report);
    }
}
