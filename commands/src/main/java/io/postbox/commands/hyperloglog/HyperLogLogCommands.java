package io.postbox.commands.hyperloglog;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.CommandHandler;
import io.postbox.commands.KeySpec;
import java.util.List;

/**
 * HyperLogLog commands: cardinality estimates of sets too large to keep, in 12 KB at most, kept in
 * string values in Redis's own format ({@link Hll}), so DUMP, GET and the files carry them between
 * servers. This is the table of the family, with Redis 7.0's metadata; the handlers live in
 * {@link PfCommands}.
 */
public final class HyperLogLogCommands implements CommandGroup {

    @Override
    public List<Command> commands() {
        return List.of(
                command("pfadd", -2, "write denyoom fast", PfCommands::pfadd)
                        .keys(KeySpec.firstArgument("RW insert"))
                        .summary("Adds elements to a HyperLogLog, creating it if needed; replies 1 if its"
                                + " estimate may have changed.")
                        .since("2.8.9").complexity("O(1) to add every element.")
                        .syntax("key [element [element ...]]").build(),
                command("pfcount", -2, "readonly may_replicate", PfCommands::pfcount)
                        .keys(KeySpec.range("RW access", 1, -1, 1).withNotes(
                                "RW because it may change the internal representation of the key, and propagate to"
                                        + " replicas"))
                        .summary("Replies the estimated number of distinct elements added to a HyperLogLog, or"
                                + " to any of several.")
                        .since("2.8.9")
                        .complexity("O(1) with a very small average constant time when called with a single key."
                                + " O(N) with N being the number of keys, and much bigger constant times, when"
                                + " called with multiple keys.")
                        .syntax("key [key ...]").build(),
                command("pfmerge", -2, "write denyoom", PfCommands::pfmerge)
                        .keys(KeySpec.range("RW access insert", 1, 0, 1))
                        .keys(KeySpec.range("RO access", 2, -1, 1))
                        .summary("Stores the union of HyperLogLogs in the destination, which keeps its own"
                                + " registers.")
                        .since("2.8.9").complexity("O(N) to merge N HyperLogLogs, but with high constant times.")
                        .syntax("destkey sourcekey [sourcekey ...]").build(),
                command("pfdebug", 3, "write denyoom admin", PfCommands::pfdebug)
                        .keys(KeySpec.range("RW access", 2, 0, 1))
                        .summary("Shows a HyperLogLog's registers, runs and encoding, or makes it dense.")
                        .since("2.8.9").complexity("N/A").docFlags("syscmd").syntax("subcommand key").build(),
                command("pfselftest", 1, "admin", PfCommands::pfselftest)
                        .summary("Checks the HyperLogLog implementation: its registers, and its estimates against"
                                + " known cardinalities.")
                        .since("2.8.9").complexity("N/A").docFlags("syscmd").build());
    }

    private static Command.Builder command(String name, int arity, String flags, CommandHandler handler) {
        return Command.builder(name).arity(arity).flags(flags).acl("@hyperloglog").group("hyperloglog")
                .handler(handler);
    }
}
