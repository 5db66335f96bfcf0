package io.postbox.commands.zsets;

import io.postbox.commands.config.Config;

/**
 * How large a sorted set may grow and stay packed: {@code zset-max-listpack-entries} members, none
 * longer than {@code zset-max-listpack-value} bytes. Read from the configuration for each command, so
 * CONFIG SET takes effect at once (for sets that grow or are created afterwards, as in Redis).
 */
record PackedLimits(long maxEntries, long maxValue) {

    static PackedLimits of(Config config) {
        return new PackedLimits(config.getLong("zset-max-listpack-entries"), config.getLong("zset-max-listpack-value"));
    }

    /** True if a set of {@code size} members, the longest {@code longestMember} bytes, may be packed. */
    boolean fit(long size, long longestMember) {
        return size <= maxEntries && longestMember <= maxValue;
    }
}
