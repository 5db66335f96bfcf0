package io.postbox.commands;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** Counters behind INFO stats, commandstats, errorstats and latencystats. Executor thread only. */
public final class Stats {

    /** Per command (by full name), as INFO commandstats shows it. */
    public static final class CommandStats {
        public long calls;
        public long micros;
        public long rejectedCalls;
        public long failedCalls;
        private LatencyHistogram latency;

        /** Call durations, for INFO latencystats; created on the first call that is tracked. */
        public LatencyHistogram latency() {
            if (latency == null) {
                latency = new LatencyHistogram();
            }
            return latency;
        }

        /** True once a call's latency was recorded. */
        public boolean hasLatency() {
            return latency != null && latency.count() > 0;
        }
    }

    private final Map<Command, CommandStats> commands = new HashMap<>();
    private final Map<String, Long> errors = new TreeMap<>();
    public long commandsProcessed;
    public long connectionsReceived;
    public long rejectedConnections;
    public long keyspaceHits;
    public long keyspaceMisses;
    public long expiredKeys;
    /** Active expiry: its time in all cycles, the cycles it cut short, and a running average of stale keys. */
    public long expireCycleMicros;
    public long expireCyclesCut;
    public double expiredStaleShare;
    public long evictedKeys;
    /** Clients disconnected by maxmemory-clients ({@link ClientEviction}). */
    public long evictedClients;
    public long totalErrorReplies;
    /** Bytes read from and written to client sockets. */
    public long netInputBytes;
    public long netOutputBytes;
    /** Socket reads and writes done for clients. */
    public long readsProcessed;
    public long writesProcessed;
    /**
     * Full syncs replicas got, PSYNCs continued from the backlog and those that could not be, and the
     * bytes sent to replicas, and those the master this server follows sent it.
     */
    public long fullSyncs;
    public long partialSyncsAccepted;
    public long partialSyncsRefused;
    public long netReplicationOutputBytes;
    public long netReplicationInputBytes;
    /** Errors the master's commands replied on this replica: its data may now differ from the master's. */
    public long unexpectedErrorReplies;
    /** The most memory seen in use, as INFO's used_memory_peak. */
    public long memoryPeak;
    public final InstantaneousMetric commandsPerSecond = new InstantaneousMetric();
    public final InstantaneousMetric inputBytesPerSecond = new InstantaneousMetric();
    public final InstantaneousMetric outputBytesPerSecond = new InstantaneousMetric();

    public CommandStats of(Command command) {
        return commands.computeIfAbsent(command, c -> new CommandStats());
    }

    /** The stats of {@code command}, or null if it has none yet. */
    public CommandStats peek(Command command) {
        return commands.get(command);
    }

    public Map<Command, CommandStats> commands() {
        return commands;
    }

    /** Counts an error reply by its code, as Redis's afterErrorReply does. */
    public void error(String code) {
        errors.merge(code, 1L, Long::sum);
        totalErrorReplies++;
    }

    public Map<String, Long> errors() {
        return errors;
    }

    /** Takes one sample of each instantaneous rate; the server calls it every 100 ms. */
    public void sampleRates(long nowMillis) {
        commandsPerSecond.sample(nowMillis, commandsProcessed);
        inputBytesPerSecond.sample(nowMillis, netInputBytes);
        outputBytesPerSecond.sample(nowMillis, netOutputBytes);
    }

    /** Notes memory in use now, for the peak. */
    public void noteMemoryUsed(long bytes) {
        memoryPeak = Math.max(memoryPeak, bytes);
    }

    /** CONFIG RESETSTAT: every counter, per-command and per-error stat, rate and the memory peak. */
    public void reset() {
        commands.clear();
        errors.clear();
        commandsProcessed = 0;
        connectionsReceived = 0;
        rejectedConnections = 0;
        keyspaceHits = 0;
        keyspaceMisses = 0;
        expiredKeys = 0;
        expireCycleMicros = 0;
        expireCyclesCut = 0;
        expiredStaleShare = 0;
        evictedKeys = 0;
        evictedClients = 0;
        totalErrorReplies = 0;
        netInputBytes = 0;
        netOutputBytes = 0;
        readsProcessed = 0;
        writesProcessed = 0;
        fullSyncs = 0;
        partialSyncsAccepted = 0;
        partialSyncsRefused = 0;
        netReplicationOutputBytes = 0;
        netReplicationInputBytes = 0;
        unexpectedErrorReplies = 0;
        memoryPeak = 0;
        long now = System.currentTimeMillis();
        commandsPerSecond.reset(now);
        inputBytesPerSecond.reset(now);
        outputBytesPerSecond.reset(now);
    }
}
