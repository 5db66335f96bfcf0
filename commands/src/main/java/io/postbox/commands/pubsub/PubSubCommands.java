package io.postbox.commands.pubsub;

import io.postbox.commands.Client;
import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.CommandLog;
import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.KeySpec;
import io.postbox.commands.pubsub.PubSub.Kind;
import io.postbox.commands.transactions.Transaction;
import io.postbox.resp.ErrorReply;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Publish/subscribe: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE, SUNSUBSCRIBE,
 * PUBLISH, SPUBLISH and PUBSUB. Shard channels are separate from channels, as in Redis, and are
 * counted apart in the confirmations.
 */
public final class PubSubCommands implements CommandGroup {

    /** What a RESP2 client in pub/sub mode may still run: Redis's list. */
    private static final Set<String> ALLOWED_WHILE_SUBSCRIBED = Set.of("ping", "subscribe", "ssubscribe",
            "unsubscribe", "sunsubscribe", "psubscribe", "punsubscribe", "quit", "reset");

    private static final String SUBSCRIBING = "pubsub noscript loading stale";
    private static final String SHARD_CHANNEL_KEYS = "not_key";

    @Override
    public List<Command> commands() {
        return List.of(
                Command.builder("subscribe").arity(-2).flags(SUBSCRIBING).group("pubsub")
                        .summary("Listens for messages published to channels.").since("2.0.0")
                        .complexity("O(N) where N is the number of channels to subscribe to.")
                        .syntax("channel [channel ...]")
                        .handler(call -> subscribe(call, Kind.CHANNEL, true)).build(),
                Command.builder("unsubscribe").arity(-1).flags(SUBSCRIBING).group("pubsub")
                        .summary("Stops listening on channels, or on every channel.").since("2.0.0")
                        .complexity("O(N) where N is the number of clients already subscribed to a channel.")
                        .syntax("[channel [channel ...]]")
                        .handler(call -> unsubscribe(call, Kind.CHANNEL)).build(),
                Command.builder("psubscribe").arity(-2).flags(SUBSCRIBING).group("pubsub")
                        .summary("Listens for messages published to channels whose names match patterns.")
                        .since("2.0.0")
                        .complexity("O(N) where N is the number of patterns the client is already subscribed to.")
                        .syntax("pattern [pattern ...]")
                        .handler(call -> subscribe(call, Kind.PATTERN, true)).build(),
                Command.builder("punsubscribe").arity(-1).flags(SUBSCRIBING).group("pubsub")
                        .summary("Stops listening on patterns, or on every pattern.").since("2.0.0")
                        .complexity("O(N+M) where N is the number of patterns the client is already subscribed"
                                + " and M is the number of total patterns subscribed in the system (by any client).")
                        .syntax("[pattern [pattern ...]]")
                        .handler(call -> unsubscribe(call, Kind.PATTERN)).build(),
                Command.builder("ssubscribe").arity(-2).flags(SUBSCRIBING).group("pubsub")
                        .keys(KeySpec.range(SHARD_CHANNEL_KEYS, 1, -1, 1))
                        .summary("Listens for messages published to shard channels.").since("7.0.0")
                        .complexity("O(N) where N is the number of shard channels to subscribe to.")
                        .syntax("shardchannel [shardchannel ...]")
                        .handler(call -> subscribe(call, Kind.SHARD, false)).build(),
                Command.builder("sunsubscribe").arity(-1).flags(SUBSCRIBING).group("pubsub")
                        .keys(KeySpec.range(SHARD_CHANNEL_KEYS, 1, -1, 1))
                        .summary("Stops listening on shard channels, or on every shard channel.").since("7.0.0")
                        .complexity("O(N) where N is the number of clients already subscribed to a shard channel.")
                        .syntax("[shardchannel [shardchannel ...]]")
                        .handler(call -> unsubscribe(call, Kind.SHARD)).build(),
                Command.builder("publish").arity(3).flags("pubsub loading stale fast may_replicate").group("pubsub")
                        .summary("Sends a message to a channel's subscribers and to matching patterns'.")
                        .since("2.0.0")
                        .complexity("O(N+M) where N is the number of clients subscribed to the receiving channel"
                                + " and M is the total number of subscribed patterns (by any client).")
                        .syntax("channel message")
                        .handler(call -> {
                            call.reply().integer(call.engine().pubsub().publish(call.arg(1), call.arg(2)));
                            replicate(call);
                        }).build(),
                Command.builder("spublish").arity(3).flags("pubsub loading stale fast may_replicate")
                        .group("pubsub").keys(KeySpec.range(SHARD_CHANNEL_KEYS, 1, 0, 1))
                        .summary("Sends a message to a shard channel's subscribers.").since("7.0.0")
                        .complexity("O(N) where N is the number of clients subscribed to the receiving shard channel.")
                        .syntax("shardchannel message")
                        .handler(call -> {
                            call.reply().integer(call.engine().pubsub().publishShard(call.arg(1), call.arg(2)));
                            replicate(call);
                        }).build(),
                PubSubIntrospection.command());
    }

    /** A message goes to the replicas too, for their subscribers, and not to the AOF: as Redis propagates it. */
    private static void replicate(Invocation call) {
        call.forcePropagation(CommandLog.TO_REPLICAS);
    }

    /**
     * Whether {@code command} may run on a RESP2 connection in pub/sub mode; the dispatcher refuses
     * the others with {@link #notAllowedWhileSubscribed}.
     */
    public static boolean allowedWhileSubscribed(Command command) {
        return ALLOWED_WHILE_SUBSCRIBED.contains(command.fullName());
    }

    public static ErrorReply notAllowedWhileSubscribed(Command command) {
        return Errors.err("Can't execute '" + command.fullName() + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE"
                + " / PING / QUIT / RESET are allowed in this context");
    }

    /**
     * A client that must get one reply per command (a script's, or EXEC's for SSUBSCRIBE) cannot
     * subscribe; EXEC may run SUBSCRIBE and PSUBSCRIBE, as Redis lets it for compatibility.
     */
    private static void subscribe(Invocation call, Kind kind, boolean allowedInTransaction) {
        Client client = call.client();
        if (client.denyBlocking() && !(allowedInTransaction && Transaction.isOpen(client))) {
            throw Errors.err(call.command().name().toUpperCase(Locale.ROOT)
                    + " isn't allowed for a DENY BLOCKING client");
        }
        for (int i = 1; i < call.argc(); i++) {
            call.engine().pubsub().subscribe(client, kind, call.arg(i));
        }
    }

    private static void unsubscribe(Invocation call, Kind kind) {
        PubSub pubsub = call.engine().pubsub();
        if (call.argc() == 1) {
            pubsub.unsubscribeAll(call.client(), kind);
            return;
        }
        for (int i = 1; i < call.argc(); i++) {
            pubsub.unsubscribe(call.client(), kind, call.arg(i));
        }
    }
}
