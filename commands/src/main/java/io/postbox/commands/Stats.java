package io.postbox.commands;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** Counters behind INFO stats, commandstats and errorstats. Executor thread only. */
public final class Stats {

    /** Per command (by full name), as INFO commandstats shows it. */
    public static final class CommandStats {
        public long calls;
        public long micros;
        public long rejectedCalls;
        public long failedCalls;
    }

    private final Map<Command, CommandStats> commands = new HashMap<>();
    private final Map<String, Long> errors = new TreeMap<>();
    public long commandsProcessed;
    public long connectionsReceived;
    public long rejectedConnections;
    public long keyspaceHits;
    public long keyspaceMisses;
    public long expiredKeys;
    public long totalErrorReplies;

    public CommandStats of(Command command) {
        return commands.computeIfAbsent(command, c -> new CommandStats());
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

    public void reset() {
        commands.clear();
        errors.clear();
        commandsProcessed = 0;
        connectionsReceived = 0;
        rejectedConnections = 0;
        keyspaceHits = 0;
        keyspaceMisses = 0;
        expiredKeys = 0;
        totalErrorReplies = 0;
    }
}
