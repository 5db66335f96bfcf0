package io.postbox.commands.config;

import java.util.List;

/**
 * {@code client-output-buffer-limit}: per client class, the output size that disconnects a client at
 * once (hard) and the size that disconnects it when exceeded for {@code softSeconds} (soft).
 * Classes in Redis's order: normal, replica (named slave in CONFIG GET), pubsub.
 */
public record OutputBufferLimits(List<Limit> byClass) {

    public static final int NORMAL = 0;
    public static final int REPLICA = 1;
    public static final int PUBSUB = 2;

    public record Limit(long hardBytes, long softBytes, long softSeconds) {
    }

    public static final OutputBufferLimits DEFAULTS = new OutputBufferLimits(List.of(
            new Limit(0, 0, 0),
            new Limit(256L << 20, 64L << 20, 60),
            new Limit(32L << 20, 8L << 20, 60)));

    public Limit of(int clientClass) {
        return byClass.get(clientClass);
    }
}
