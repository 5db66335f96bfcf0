package io.postbox.commands.pubsub;

import io.postbox.commands.Command;
import io.postbox.commands.Help;
import io.postbox.commands.Invocation;
import io.postbox.commands.pubsub.PubSub.Kind;
import io.postbox.resp.Reply;

/** PUBSUB CHANNELS | NUMSUB | NUMPAT | SHARDCHANNELS | SHARDNUMSUB | HELP: who listens to what. */
final class PubSubIntrospection {

    private static final String FLAGS = "pubsub loading stale";

    private PubSubIntrospection() {
    }

    static Command command() {
        return Command.builder("pubsub").arity(-2).group("pubsub")
                .summary("A container for commands that describe the server's subscriptions.").since("2.8.0")
                .complexity("Depends on subcommand.")
                .subcommand(Command.builder("channels").arity(-2).flags(FLAGS).group("pubsub")
                        .summary("Lists the channels that have subscribers, optionally those matching a pattern.")
                        .since("2.8.0")
                        .complexity("O(N) where N is the number of active channels, and assuming constant time"
                                + " pattern matching (relatively short channels and patterns)")
                        .syntax("[pattern]").handler(call -> channels(call, Kind.CHANNEL)))
                .subcommand(Command.builder("numsub").arity(-2).flags(FLAGS).group("pubsub")
                        .summary("Counts the subscribers of channels (pattern subscribers not included).")
                        .since("2.8.0")
                        .complexity("O(N) for the NUMSUB subcommand, where N is the number of requested channels")
                        .syntax("[channel [channel ...]]").handler(call -> numsub(call, Kind.CHANNEL)))
                .subcommand(Command.builder("numpat").arity(2).flags(FLAGS).group("pubsub")
                        .summary("Counts the distinct patterns subscribed to.").since("2.8.0").complexity("O(1)")
                        .syntax("").handler(call -> call.reply().integer(call.engine().pubsub().patternCount())))
                .subcommand(Command.builder("shardchannels").arity(-2).flags(FLAGS).group("pubsub")
                        .summary("Lists the shard channels that have subscribers, optionally those matching a"
                                + " pattern.")
                        .since("7.0.0")
                        .complexity("O(N) where N is the number of active shard channels, and assuming constant"
                                + " time pattern matching (relatively short shard channels).")
                        .syntax("[pattern]").handler(call -> channels(call, Kind.SHARD)))
                .subcommand(Command.builder("shardnumsub").arity(-2).flags(FLAGS).group("pubsub")
                        .summary("Counts the subscribers of shard channels.").since("7.0.0")
                        .complexity("O(N) for the SHARDNUMSUB subcommand, where N is the number of requested"
                                + " shard channels")
                        .syntax("[shardchannel [shardchannel ...]]").handler(call -> numsub(call, Kind.SHARD)))
                .subcommand(Command.builder("help").arity(2).flags("loading stale").group("pubsub")
                        .summary("Explains the PUBSUB subcommands.").since("6.2.0").complexity("O(1)")
                        .syntax("").handler(PubSubIntrospection::help))
                .build();
    }

    /** CHANNELS / SHARDCHANNELS [pattern]. */
    private static void channels(Invocation call, Kind kind) {
        if (call.argc() > 3) {
            throw Help.subcommandSyntaxError(call);
        }
        call.reply().bulks(call.engine().pubsub().active(kind, call.argc() == 3 ? call.arg(2) : null));
    }

    /** NUMSUB / SHARDNUMSUB [name ...]: each name and its subscriber count, in one flat array. */
    private static void numsub(Invocation call, Kind kind) {
        Reply reply = call.reply();
        reply.array(2 * (call.argc() - 2));
        for (int i = 2; i < call.argc(); i++) {
            reply.bulk(call.arg(i));
            reply.integer(call.engine().pubsub().subscriberCount(kind, call.arg(i)));
        }
    }

    private static void help(Invocation call) {
        Help.reply(call,
                "CHANNELS [<pattern>]",
                "    The channels that have subscribers, those matching <pattern> if given.",
                "NUMPAT",
                "    How many distinct patterns clients are subscribed to.",
                "NUMSUB [<channel> ...]",
                "    Each <channel> with its number of subscribers,",
                "    not counting the subscribers of patterns.",
                "SHARDCHANNELS [<pattern>]",
                "    The shard channels that have subscribers, those matching <pattern> if given.",
                "SHARDNUMSUB [<shardchannel> ...]",
                "    Each <shardchannel> with its number of subscribers.");
    }
}
