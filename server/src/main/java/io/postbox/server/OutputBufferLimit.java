package io.postbox.server;

import io.postbox.commands.config.Config;
import io.postbox.commands.config.ConfigOption;
import io.postbox.commands.config.OutputBufferLimits;

/**
 * {@code client-output-buffer-limit} for one connection, as Redis's checkClientOutputBufferLimits
 * judges it: over the hard limit the client goes at once; over the soft limit it goes once it has
 * stayed over for more than the soft seconds (counted in whole seconds), and dropping under resets
 * that clock. A limit of 0 is no limit. A replica's hard limit is never under {@code repl-backlog-size},
 * as Redis ignores a lower one: a replica would be dropped right after a partial sync that sent it
 * more than that limit of the backlog, and would sync again, round after round.
 *
 * <p>It bounds all output, replies and pushed messages (pub/sub, MONITOR lines) alike: a client that
 * stops reading is still served, as in Redis, and this is what keeps its output from growing without
 * end (with {@code maxmemory-clients}).
 */
final class OutputBufferLimit {

    private final ConfigOption<OutputBufferLimits> limits;
    private final ConfigOption<Long> backlogSize;
    /** Unix second at which the output was first seen over the soft limit, or -1 when under it. */
    private long softSince = -1;

    OutputBufferLimit(Config config) {
        this.limits = config.option("client-output-buffer-limit");
        this.backlogSize = config.option("repl-backlog-size");
    }

    /** Whether {@code pendingBytes} of output reach the hard limit of {@code clientClass}; no clock is started. */
    boolean pastHard(int clientClass, long pendingBytes) {
        long hard = limits.value().of(clientClass).hardBytes();
        if (clientClass == OutputBufferLimits.REPLICA && hard != 0) {
            hard = Math.max(hard, backlogSize.value());
        }
        return hard != 0 && pendingBytes >= hard;
    }

    /** Whether a client of {@code clientClass} with {@code pendingBytes} of output must be disconnected. */
    boolean exceeded(int clientClass, long pendingBytes, long nowMillis) {
        if (pastHard(clientClass, pendingBytes)) {
            return true;
        }
        OutputBufferLimits.Limit limit = limits.value().of(clientClass);
        if (limit.softBytes() == 0 || pendingBytes < limit.softBytes()) {
            softSince = -1;
            return false;
        }
        long now = nowMillis / 1000;
        if (softSince < 0) {
            softSince = now;
            return false;
        }
        return now - softSince > limit.softSeconds();
    }
}
