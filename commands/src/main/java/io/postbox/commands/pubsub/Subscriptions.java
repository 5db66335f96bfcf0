package io.postbox.commands.pubsub;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * What one client is subscribed to: channels, patterns and shard channels, each in the order of
 * subscription (names are ISO-8859-1 strings, one char per byte). A client with any subscription is
 * in Redis's pub/sub mode: over RESP2 it may then only (un)subscribe, PING, QUIT and RESET.
 */
public final class Subscriptions {

    final Set<String> channels = new LinkedHashSet<>();
    final Set<String> patterns = new LinkedHashSet<>();
    final Set<String> shardChannels = new LinkedHashSet<>();

    public int channelCount() {
        return channels.size();
    }

    public int patternCount() {
        return patterns.size();
    }

    public int shardChannelCount() {
        return shardChannels.size();
    }

    /**
     * Whether {@code allowed} holds for every subscription: each channel and shard channel (false:
     * not a pattern), then each pattern (true).
     */
    public boolean allAllowed(BiPredicate<String, Boolean> allowed) {
        return channels.stream().allMatch(channel -> allowed.test(channel, false))
                && shardChannels.stream().allMatch(channel -> allowed.test(channel, false))
                && patterns.stream().allMatch(pattern -> allowed.test(pattern, true));
    }

    /** Whether the client is in pub/sub mode. */
    public boolean any() {
        return !channels.isEmpty() || !patterns.isEmpty() || !shardChannels.isEmpty();
    }
}
