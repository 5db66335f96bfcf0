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
                        .syntax("key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]")
                        .history("7.0.0", "Takes the ENTRIESADDED and MAXDELETEDID options.").build());
    }

    private static Command.Builder command(String name, int arity, String flags, CommandHandler handler) {
        return Command.builder(name).arity(arity).flags(flags).acl("@stream").group("stream").handler(handler);
    }

    /** The spec of a command whose only key is its first argument. */
    static KeySpec one(String flags) {
        return KeySpec.range(flags, 1, 0, 1);
    }
}
