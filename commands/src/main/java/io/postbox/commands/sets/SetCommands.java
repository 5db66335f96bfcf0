package io.postbox.commands.sets;

import static io.postbox.commands.KeySpec.firstArgument;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.CommandHandler;
import io.postbox.commands.KeySpec;
import java.util.List;

/**
 * Set commands: a key holding distinct members, such as the queues a worker listens on or the ids of
 * finished jobs. This is the table of the family, with Redis 7.0's metadata for each command; the
 * handlers live in {@link SetReads}, {@link SetWrites}, {@link SetRandom} and {@link SetAlgebra}, the
 * type in {@link SetValue}.
 */
public final class SetCommands implements CommandGroup {

    private static final String INTER_COMPLEXITY =
            "O(N*M) at worst, N being the size of the smallest set and M the number of sets.";
    private static final String UNION_COMPLEXITY = "O(N), N being the number of members of all the sets together.";

    @Override
    public List<Command> commands() {
        return List.of(
                command("sadd", -3, "write denyoom fast", SetWrites::sadd)
                        .keys(firstArgument("RW insert"))
                        .summary("Adds members to a set, creating the set if needed; replies how many were not"
                                + " there yet.")
                        .since("1.0.0").complexity("O(1) per member given, so O(N) for N members.")
                        .syntax("key member [member ...]")
                        .history("2.4.0", "Takes several `member` arguments.").build(),
                command("srem", -3, "write fast", SetWrites::srem)
                        .keys(firstArgument("RW delete"))
                        .summary("Removes members from a set, and the key with its last member; replies how many"
                                + " were removed.")
                        .since("1.0.0").complexity("O(N), N being the number of members to remove.")
                        .syntax("key member [member ...]")
                        .history("2.4.0", "Takes several `member` arguments.").build(),
                command("smembers", 2, "readonly", SetAlgebra::smembers)
                        .keys(firstArgument("RO access")).tips("nondeterministic_output_order")
                        .summary("Replies every member of a set.")
                        .since("1.0.0").complexity("O(N), N being the number of members.").syntax("key").build(),
                command("sismember", 3, "readonly fast", SetReads::sismember)
                        .keys(firstArgument("RO"))
                        .summary("Replies 1 if a value is a member of a set, 0 if not.")
                        .since("1.0.0").complexity("O(1)").syntax("key member").build(),
                command("smismember", -3, "readonly fast", SetReads::smismember)
                        .keys(firstArgument("RO access"))
                        .summary("Replies, for each value given, 1 if it is a member of a set and 0 if not.")
                        .since("6.2.0").complexity("O(N), N being the number of values asked about.")
                        .syntax("key member [member ...]").build(),
                command("scard", 2, "readonly fast", SetReads::scard)
                        .keys(firstArgument("RO"))
                        .summary("Replies how many members a set has.")
                        .since("1.0.0").complexity("O(1)").syntax("key").build(),
                command("spop", -2, "write fast", SetRandom::spop)
                        .keys(firstArgument("RW access delete")).tips("nondeterministic_output")
                        .summary("Removes members picked at random from a set and replies them: one, or up to a"
                                + " count.")
                        .since("1.0.0")
                        .complexity("O(1) without a count, otherwise O(N), N being the count.")
                        .syntax("key [count]")
                        .history("3.2.0", "The `count` argument.").build(),
                command("srandmember", -2, "readonly", SetRandom::srandmember)
                        .keys(firstArgument("RO access")).tips("nondeterministic_output")
                        .summary("Replies members picked at random from a set, leaving the set as it is; a"
                                + " negative count may pick a member more than once.")
                        .since("1.0.0")
                        .complexity("O(1) without a count, otherwise O(N), N being the absolute value of the"
                                + " count.")
                        .syntax("key [count]")
                        .history("2.6.0", "The optional `count` argument.").build(),
                command("smove", 4, "write fast", SetWrites::smove)
                        .keys(firstArgument("RW access delete"))
                        .keys(KeySpec.range("RW insert", 2, 0, 1))
                        .summary("Moves a member from one set to another; replies 1 if it was moved, 0 if the"
                                + " source did not have it.")
                        .since("1.0.0").complexity("O(1)").syntax("source destination member").build(),
                command("sinter", -2, "readonly", SetAlgebra::sinter)
                        .keys(KeySpec.range("RO access", 1, -1, 1)).tips("nondeterministic_output_order")
                        .summary("Replies the members that every one of the given sets has.")
                        .since("1.0.0").complexity(INTER_COMPLEXITY).syntax("key [key ...]").build(),
                command("sinterstore", -3, "write denyoom", SetAlgebra::sinterstore)
                        .keys(firstArgument("RW update"))
                        .keys(KeySpec.range("RO access", 2, -1, 1))
                        .summary("Stores the members that every one of the given sets has in a key; replies how"
                                + " many there are.")
                        .since("1.0.0").complexity(INTER_COMPLEXITY).syntax("destination key [key ...]").build(),
                command("sunion", -2, "readonly", SetAlgebra::sunion)
                        .keys(KeySpec.range("RO access", 1, -1, 1)).tips("nondeterministic_output_order")
                        .summary("Replies the members that any of the given sets has.")
                        .since("1.0.0").complexity(UNION_COMPLEXITY).syntax("key [key ...]").build(),
                command("sunionstore", -3, "write denyoom", SetAlgebra::sunionstore)
                        .keys(firstArgument("OW update"))
                        .keys(KeySpec.range("RO access", 2, -1, 1))
                        .summary("Stores the members that any of the given sets has in a key; replies how many"
                                + " there are.")
                        .since("1.0.0").complexity(UNION_COMPLEXITY).syntax("destination key [key ...]").build(),
                command("sdiff", -2, "readonly", SetAlgebra::sdiff)
                        .keys(KeySpec.range("RO access", 1, -1, 1)).tips("nondeterministic_output_order")
                        .summary("Replies the members of the first set that none of the other sets has.")
                        .since("1.0.0").complexity(UNION_COMPLEXITY).syntax("key [key ...]").build(),
                command("sdiffstore", -3, "write denyoom", SetAlgebra::sdiffstore)
                        .keys(firstArgument("OW update"))
                        .keys(KeySpec.range("RO access", 2, -1, 1))
                        .summary("Stores the members of the first set that none of the other sets has in a key;"
                                + " replies how many there are.")
                        .since("1.0.0").complexity(UNION_COMPLEXITY).syntax("destination key [key ...]").build(),
                command("sintercard", -3, "readonly movablekeys", SetAlgebra::sintercard)
                        .keys(KeySpec.keyNum("RO access", 1, 0, 1, 1))
                        .summary("Counts the members that every one of the given sets has, stopping early at an"
                                + " optional limit.")
                        .since("7.0.0").complexity(INTER_COMPLEXITY)
                        .syntax("numkeys key [key ...] [LIMIT limit:integer]").build(),
                command("sscan", -3, "readonly", SetReads::sscan)
                        .keys(firstArgument("RO access")).tips("nondeterministic_output")
                        .summary("Walks the members of a set a few at a time with a cursor.")
                        .since("2.8.0")
                        .complexity("O(1) per call; O(N) for a whole iteration, calls until the cursor is 0 again,"
                                + " N being the number of members.")
                        .syntax("key cursor:integer [MATCH pattern] [COUNT count]").build());
    }

    private static Command.Builder command(String name, int arity, String flags, CommandHandler handler) {
        return Command.builder(name).arity(arity).flags(flags).acl("@set").group("set").handler(handler);
    }
}
