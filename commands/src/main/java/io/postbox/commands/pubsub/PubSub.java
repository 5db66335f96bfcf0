package io.postbox.commands.pubsub;

import io.postbox.commands.Client;
import io.postbox.commands.Glob;
import io.postbox.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The server's subscriptions: who listens on which channel, pattern and shard channel, and the
 * delivery of published messages. A message is written to each receiver's own reply buffer, as a
 * RESP3 push (an array in RESP2), and leaves with that client's next flush; publishing never waits
 * for a receiver. Receivers of a channel get messages in the order they subscribed; then every
 * matching pattern's subscribers get a {@code pmessage}.
 *
 * <p>Names are kept as ISO-8859-1 strings (one char per byte) with their bytes alongside.
 * Executor thread only.
 */
public final class PubSub {

    /** The three kinds of subscription, with the words of their replies and messages. */
    public enum Kind {
        CHANNEL("subscribe", "unsubscribe", "message"),
        PATTERN("psubscribe", "punsubscribe", "pmessage"),
        SHARD("ssubscribe", "sunsubscribe", "smessage");

        final byte[] subscribed;
        final byte[] unsubscribed;
        final byte[] message;

        Kind(String subscribed, String unsubscribed, String message) {
            this.subscribed = bytes(subscribed);
            this.unsubscribed = bytes(unsubscribed);
            this.message = bytes(message);
        }
    }

    /** The subscribers of one channel or pattern, in subscription order. */
    private record Subscribers(byte[] name, Set<Client> clients) {
    }

    private final Map<String, Subscribers> channels = new HashMap<>();
    private final Map<String, Subscribers> patterns = new LinkedHashMap<>();
    private final Map<String, Subscribers> shardChannels = new HashMap<>();

    /** The subscriptions of {@code client}, created on first use. */
    public static Subscriptions of(Client client) {
        Subscriptions subscriptions = client.subscriptions();
        if (subscriptions == null) {
            subscriptions = new Subscriptions();
            client.subscriptions(subscriptions);
        }
        return subscriptions;
    }

    /** Subscribes and confirms: {@code [subscribe, name, count]}, whether or not it was subscribed already. */
    void subscribe(Client client, Kind kind, byte[] name) {
        String key = string(name);
        if (setOf(of(client), kind).add(key)) {
            registry(kind).computeIfAbsent(key, k -> new Subscribers(name, new LinkedHashSet<>())).clients().add(client);
        }
        confirm(client, kind.subscribed, name, kind);
    }

    /** Unsubscribes and confirms, subscribed or not. */
    void unsubscribe(Client client, Kind kind, byte[] name) {
        remove(client, kind, string(name));
        confirm(client, kind.unsubscribed, name, kind);
    }

    /**
     * Unsubscribes from every {@code kind} subscription, confirming each; with none, confirms once
     * with a null name, as Redis does.
     */
    void unsubscribeAll(Client client, Kind kind) {
        Subscriptions subscriptions = of(client);
        List<String> names = new ArrayList<>(setOf(subscriptions, kind));
        for (String name : names) {
            remove(client, kind, name);
            confirm(client, kind.unsubscribed, bytes(name), kind);
        }
        if (names.isEmpty()) {
            confirm(client, kind.unsubscribed, null, kind);
        }
    }

    /** Ends every subscription of {@code client} without a word (RESET, disconnection). */
    public void forget(Client client) {
        Subscriptions subscriptions = client.subscriptions();
        if (subscriptions == null) {
            return;
        }
        for (Kind kind : Kind.values()) {
            for (String name : new ArrayList<>(setOf(subscriptions, kind))) {
                remove(client, kind, name);
            }
        }
    }

    /** PUBLISH: delivers to the channel's subscribers and to matching patterns'; returns the receivers. */
    public int publish(byte[] channel, byte[] message) {
        int receivers = 0;
        Subscribers direct = channels.isEmpty() ? null : channels.get(string(channel));
        if (direct != null) {
            for (Client client : direct.clients()) {
                Reply reply = client.pushOutput();
                reply.push(3);
                reply.bulk(Kind.CHANNEL.message);
                reply.bulk(channel);
                reply.bulk(message);
                receivers++;
            }
        }
        for (Subscribers pattern : patterns.values()) {
            if (Glob.matches(pattern.name(), channel, false)) {
                for (Client client : pattern.clients()) {
                    Reply reply = client.pushOutput();
                    reply.push(4);
                    reply.bulk(Kind.PATTERN.message);
                    reply.bulk(pattern.name());
                    reply.bulk(channel);
                    reply.bulk(message);
                    receivers++;
                }
            }
        }
        return receivers;
    }

    /** SPUBLISH: delivers to the shard channel's subscribers; returns how many. */
    int publishShard(byte[] channel, byte[] message) {
        Subscribers subscribers = shardChannels.isEmpty() ? null : shardChannels.get(string(channel));
        if (subscribers == null) {
            return 0;
        }
        for (Client client : subscribers.clients()) {
            Reply reply = client.pushOutput();
            reply.push(3);
            reply.bulk(Kind.SHARD.message);
            reply.bulk(channel);
            reply.bulk(message);
        }
        return subscribers.clients().size();
    }

    /** Channels (or shard channels) with subscribers whose names match {@code pattern} (null: all). */
    List<byte[]> active(Kind kind, byte[] pattern) {
        List<byte[]> names = new ArrayList<>();
        for (Subscribers subscribers : registry(kind).values()) {
            if (pattern == null || Glob.matches(pattern, subscribers.name(), false)) {
                names.add(subscribers.name());
            }
        }
        return names;
    }

    /** Subscribers of one channel, or shard channel; pattern subscriptions are not counted. */
    int subscriberCount(Kind kind, byte[] name) {
        Subscribers subscribers = registry(kind).get(string(name));
        return subscribers == null ? 0 : subscribers.clients().size();
    }

    /** Channels with subscribers (INFO's pubsub_channels). */
    public int channelCount() {
        return channels.size();
    }

    /** Distinct patterns subscribed to (PUBSUB NUMPAT, INFO's pubsub_patterns). */
    public int patternCount() {
        return patterns.size();
    }

    /** Shard channels with subscribers (INFO's pubsubshard_channels). */
    public int shardChannelCount() {
        return shardChannels.size();
    }

    private void remove(Client client, Kind kind, String name) {
        Subscriptions subscriptions = client.subscriptions();
        if (subscriptions == null || !setOf(subscriptions, kind).remove(name)) {
            return;
        }
        Map<String, Subscribers> registry = registry(kind);
        Subscribers subscribers = registry.get(name);
        subscribers.clients().remove(client);
        if (subscribers.clients().isEmpty()) {
            registry.remove(name);
        }
    }

    /**
     * {@code [word, name, count]}: the count is of channels and patterns together, or of shard
     * channels for the shard kind.
     */
    private static void confirm(Client client, byte[] word, byte[] name, Kind kind) {
        Subscriptions subscriptions = of(client);
        Reply reply = client.pushOutput();
        reply.push(3);
        reply.bulk(word);
        if (name == null) {
            reply.nullBulk();
        } else {
            reply.bulk(name);
        }
        reply.integer(kind == Kind.SHARD ? subscriptions.shardChannelCount()
                : subscriptions.channelCount() + subscriptions.patternCount());
    }

    private Map<String, Subscribers> registry(Kind kind) {
        return switch (kind) {
            case CHANNEL -> channels;
            case PATTERN -> patterns;
            case SHARD -> shardChannels;
        };
    }

    private static Set<String> setOf(Subscriptions subscriptions, Kind kind) {
        return switch (kind) {
            case CHANNEL -> subscriptions.channels;
            case PATTERN -> subscriptions.patterns;
            case SHARD -> subscriptions.shardChannels;
        };
    }

    private static String string(byte[] name) {
        return new String(name, StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(String name) {
        return name.getBytes(StandardCharsets.ISO_8859_1);
    }
}
