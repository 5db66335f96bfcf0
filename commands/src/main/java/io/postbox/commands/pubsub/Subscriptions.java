package io.postbox.commands.pubsub;

import java.util.LinkedHashSet;
import java.util.Set;

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

    /** Whether the client is in pub/sub mode. */
    public boolean any() {
        return !channels.isEmpty() || !patterns.isEmpty() || !shardChannels.isEmpty();
    }
}
