package io.postbox.commands.streams;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.CommandHandler;
import io.postbox.commands.KeySpec;
import java.util.List;

/**
 * Stream commands: append-only logs of entries with IDs, read by range, by waiting for new entries,
 * or through consumer groups that hand each entry to one consumer and track it until acknowledged.
 * This is the table of the family, with Redis 7.0's metadata; the handlers live in
 * {@link StreamWrites}, {@link StreamRanges}, {@link StreamReads}, {@link GroupCommands},
 * {@link PendingCommands} and {@link StreamInfo}; the type in {@link StreamValue}.
 */
public final class StreamCommands implements CommandGroup {

    @Override
    public List<Command> commands() {
        return List.of(
                command("xadd", -5, "write denyoom fast", StreamWrites::xadd)
                        .keys(one("RW update").withNotes("UPDATE instead of INSERT because of the optional trimming feature"))
                        .tips("nondeterministic_output")
                        .summary("Appends an entry to a stream, creating the stream if needed, and replies its ID;"
                                + " may trim the stream in the same step.")
                        .since("5.0.0").complexity("O(1) to add; trimming is O(N), N being the entries removed.")
                        .syntax("key [NOMKSTREAM] [<MAXLEN | MINID> [= | ~] threshold [LIMIT count]] <* | id>"
                                + " field value [field value ...]")
                        .history("6.2.0", "Takes the NOMKSTREAM option, the MINID strategy and LIMIT.")
                        .history("7.0.0", "Takes an ID of the form `ms-*`.").build(),
                command("xlen", 2, "readonly fast", StreamRanges::xlen)
                        .keys(one("RO"))
                        .summary("Replies how many entries a stream holds.")
                        .since("5.0.0").complexity("O(1)").syntax("key").build(),
                command("xrange", -4, "readonly", StreamRanges::xrange)
                        .keys(one("RO access"))
                        .summary("Replies the entries of a stream whose IDs lie in a range, oldest first.")
                        .since("5.0.0").complexity("O(N), N being the entries replied; O(log N) to find the start.")
                        .syntax("key start end [COUNT count]")
                        .history("6.2.0", "Takes exclusive ranges.").build(),
                command("xrevrange", -4, "readonly", StreamRanges::xrevrange)
                        .keys(one("RO access"))
                        .summary("Replies the entries of a stream whose IDs lie in a range, newest first.")
                        .since("5.0.0").complexity("O(N), N being the entries replied; O(log N) to find the start.")
                        .syntax("key end start [COUNT count]")
                        .history("6.2.0", "Takes exclusive ranges.").build(),
                command("xdel", -3, "write fast", StreamWrites::xdel)
                        .keys(one("RW delete"))
                        .summary("Deletes entries from a stream by ID; replies how many existed.")
                        .since("5.0.0").complexity("O(1) per entry deleted.")
                        .syntax("key id [id ...]").build(),
                command("xtrim", -4, "write", StreamWrites::xtrim)
                        .keys(one("RW delete")).tips("nondeterministic_output")
                        .summary("Removes the oldest entries of a stream, down to a length or up to an ID.")
                        .since("5.0.0").complexity("O(N), N being the entries removed.")
                        .syntax("key <MAXLEN | MINID> [= | ~] threshold [LIMIT count]")
                        .history("6.2.0", "Takes the MINID strategy and LIMIT.").build(),
                command("xsetid", -3, "write denyoom fast", StreamWrites::xsetid)
                        .keys(one("RW update"))
                        .summary("Sets a stream's last ID, and optionally its added-entries count and largest"
                                + " deleted ID.")
                        .since("5.0.0").complexity("O(1)")
                        .syntax("key last-id [ENTRIESADDED entries_added] [MAXDELETEDID max_deleted_entry_id]")
                        .history("7.0.0", "Takes the ENTRIESADDED and MAXDELETEDID options.").build(),
                command("xread", -4, "readonly blocking movablekeys", StreamReads::xread)
                        .keys(KeySpec.keyword("RO access", "STREAMS", 1, -1, 1, 2))
                        .summary("Replies the entries after given IDs of one or more streams, optionally waiting"
                                + " for new ones.")
                        .since("5.0.0").complexity("O(N) for N entries replied; O(log N) to find each start.")
                        .syntax("[COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]").build(),
                command("xreadgroup", -7, "write blocking movablekeys", StreamReads::xreadgroup)
                        .keys(KeySpec.keyword("RO access", "STREAMS", 4, -1, 1, 2))
                        .summary("Reads entries through a consumer group: new ones, each handed to one consumer"
                                + " and kept pending until acknowledged, or the consumer's pending ones.")
                        .since("5.0.0").complexity("O(M) for M entries replied; O(log N) to find each start.")
                        .syntax("GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key"
                                + " [key ...] id [id ...]").build(),
                command("xack", -4, "write fast", GroupCommands::xack)
                        .keys(one("RW update"))
                        .summary("Acknowledges entries pending in a consumer group; replies how many were"
                                + " pending.")
                        .since("5.0.0").complexity("O(1) per ID.").syntax("key group id [id ...]").build(),
                command("xpending", -3, "readonly", PendingCommands::xpending)
                        .keys(one("RO access")).tips("nondeterministic_output")
                        .summary("Describes the entries pending in a consumer group: a summary, or the entries"
                                + " in a range with their owners, idle times and delivery counts.")
                        .since("5.0.0").complexity("O(N) for N entries replied; O(log N) to find the start.")
                        .syntax("key group [[IDLE min-idle-time] start end count [consumer]]")
                        .history("6.2.0", "Takes the IDLE option and exclusive ranges.").build(),
                command("xclaim", -6, "write fast", PendingCommands::xclaim)
                        .keys(one("RW update")).tips("nondeterministic_output")
                        .summary("Hands pending entries idle long enough to another consumer of the group.")
                        .since("5.0.0").complexity("O(log N) per ID, N being the group's pending entries.")
                        .syntax("key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds]"
                                + " [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID id]").build(),
                command("xautoclaim", -6, "write fast", PendingCommands::xautoclaim)
                        .keys(one("RW delete")).tips("nondeterministic_output")
                        .summary("Hands pending entries idle long enough to another consumer, scanning the"
                                + " group's pending entries from an ID; replies a cursor to continue from.")
                        .since("6.2.0").complexity("O(1) per entry looked at; O(log N) to find the start.")
                        .syntax("key group consumer min-idle-time start [COUNT count] [JUSTID]")
                        .history("7.0.0", "Replies the IDs of deleted entries it dropped from the pending list.")
                        .build(),
                Command.builder("xgroup").arity(-2).group("stream")
                        .summary("Manages consumer groups.").since("5.0.0").complexity("Depends on subcommand.")
                        .subcommand(sub("create", -5, "write denyoom", GroupCommands::create)
                                .keys(sub("RW insert"))
                                .summary("Creates a consumer group at an ID of a stream.").since("5.0.0")
                                .complexity("O(1)")
                                .syntax("key groupname <id | $> [MKSTREAM] [ENTRIESREAD entries_read]")
                                .history("7.0.0", "Takes the ENTRIESREAD option."))
                        .subcommand(sub("createconsumer", 5, "write denyoom", GroupCommands::createConsumer)
                                .keys(sub("RW insert"))
                                .summary("Creates a consumer in a consumer group.").since("6.2.0")
                                .complexity("O(1)").syntax("key groupname consumername"))
                        .subcommand(sub("delconsumer", 5, "write", GroupCommands::delConsumer)
                                .keys(sub("RW delete"))
                                .summary("Removes a consumer and its pending entries from a consumer group.")
                                .since("5.0.0").complexity("O(N), N being the consumer's pending entries.")
                                .syntax("key groupname consumername"))
                        .subcommand(sub("destroy", 4, "write", GroupCommands::destroy)
                                .keys(sub("RW delete"))
                                .summary("Removes a consumer group.").since("5.0.0")
                                .complexity("O(N), N being the group's pending entries.").syntax("key groupname"))
                        .subcommand(sub("setid", -5, "write", GroupCommands::setid)
                                .keys(sub("RW update"))
                                .summary("Sets the last delivered ID of a consumer group.").since("5.0.0")
                                .complexity("O(1)").syntax("key groupname <id | $> [ENTRIESREAD entries_read]")
                                .history("7.0.0", "Takes the ENTRIESREAD option."))
                        .subcommand(sub("help", 2, "loading stale", GroupCommands::help)
                                .summary("Describes the XGROUP subcommands.").since("5.0.0").complexity("O(1)"))
                        .build(),
                Command.builder("xinfo").arity(-2).group("stream")
                        .summary("Describes streams, their consumer groups and consumers.").since("5.0.0")
                        .complexity("Depends on subcommand.")
                        .subcommand(sub("consumers", 4, "readonly", StreamInfo::consumers)
                                .keys(sub("RO access")).tips("nondeterministic_output")
                                .summary("Lists the consumers of a consumer group.").since("5.0.0")
                                .complexity("O(1)").syntax("key groupname"))
                        .subcommand(sub("groups", 3, "readonly", StreamInfo::groups)
                                .keys(sub("RO access"))
                                .summary("Lists the consumer groups of a stream.").since("5.0.0")
                                .complexity("O(1)").syntax("key")
                                .history("7.0.0", "Adds the entries-read and lag fields."))
                        .subcommand(sub("stream", -3, "readonly", StreamInfo::stream)
                                .keys(sub("RO access"))
                                .summary("Describes a stream; with FULL, its entries, groups and consumers too.")
                                .since("5.0.0").complexity("O(log N) without FULL; O(N) with it, N being COUNT.")
                                .syntax("key [FULL [COUNT count]]")
                                .history("6.0.0", "Takes the FULL option.")
                                .history("7.0.0", "Adds the max-deleted-entry-id, entries-added,"
                                        + " recorded-first-entry-id, entries-read and lag fields."))
                        .subcommand(sub("help", 2, "loading stale", StreamInfo::help)
                                .summary("Describes the XINFO subcommands.").since("5.0.0").complexity("O(1)"))
                        .build());
    }

    private static Command.Builder command(String name, int arity, String flags, CommandHandler handler) {
        return Command.builder(name).arity(arity).flags(flags).acl("@stream").group("stream").handler(handler);
    }

    private static Command.Builder sub(String name, int arity, String flags, CommandHandler handler) {
        return command(name, arity, flags, handler);
    }

    /** The spec of a subcommand whose only key is its second argument (after the subcommand's name). */
    private static KeySpec sub(String flags) {
        return KeySpec.range(flags, 2, 0, 1);
    }

    /** The spec of a command whose only key is its first argument. */
    static KeySpec one(String flags) {
        return KeySpec.range(flags, 1, 0, 1);
    }
}
