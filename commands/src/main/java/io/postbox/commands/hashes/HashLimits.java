package io.postbox.commands.hashes;

import io.postbox.commands.config.Config;

/**
 * How far a hash stays packed: at most {@code maxEntries} fields (hash-max-listpack-entries) and no
 * field or value longer than {@code maxValue} bytes (hash-max-listpack-value). Read from the config
 * on each write, so CONFIG SET takes effect at once, as in Redis.
 */
public record HashLimits(long maxEntries, long maxValue) {

    public static HashLimits of(Config config) {
        return new HashLimits(config.getLong("hash-max-listpack-entries"), config.getLong("hash-max-listpack-value"));
    }
}
