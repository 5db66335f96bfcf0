package io.postbox.commands.zsets;

import static io.postbox.commands.KeySpec.firstArgument;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.CommandHandler;
import io.postbox.commands.KeySpec;
import java.util.List;

/**
 * Sorted-set commands: the delayed queue's type. This is the table of the family, with Redis 7.0's
 * metadata for each command; the handlers live in {@link SortedSetWrites}, {@link SortedSetReads},
 * {@link RangeCommands}, {@link PopCommands} and {@link SetOperations}, and the type itself is
 * {@link SortedSet}. The blocking pops (BZPOPMIN, BZPOPMAX, BZMPOP) run {@link SortedSetPop} on the
 * shared blocking machinery.
 */
public final class SortedSetCommands implements CommandGroup {

    private static final String RANGE_COMPLEXITY = "O(log(N)+M), N being the size of the set and M the number of"
            + " members replied.";
    private static final String LIMITED_RANGE_COMPLEXITY = "O(log(N)+M), N being the size of the set and M the number"
            + " of members replied; with a small constant LIMIT, O(log(N)).";
    private static final String REMOVE_RANGE_COMPLEXITY = "O(log(N)+M), N being the size of the set and M the"
            + " number of members removed.";
    private static final String POP_COMPLEXITY = "O(log(N)*M), N being the size of the set and M the number of"
            + " members popped.";
    private static final String BLOCKING_POP_COMPLEXITY =
            "O(log(N)), N being the size of the set the member is popped from.";
    private static final String COUNT_COMPLEXITY = "O(log(N)), N being the size of the set.";
    private static final String UNION_COMPLEXITY = "O(N)+O(M*log(M)), N being the total size of the inputs and M"
            + " the size of the result.";
    private static final String INTER_COMPLEXITY = "O(N*K)+O(M*log(M)) at worst, N being the size of the smallest"
            + " input, K the number of inputs and M the size of the result.";
    private static final String DIFF_COMPLEXITY = "O(L + (N-K)log(N)) at worst, L being the total size of the"
            + " inputs, N the size of the first input and K the size of the result.";
    private static final String COMBINE_SYNTAX = "numkeys key [key ...] [WEIGHTS weight [weight ...]]"
            + " [AGGREGATE <SUM | MIN | MAX>]";

    @Override
    public List<Command> commands() {
        return List.of(
                command("zadd", -4, "write denyoom fast", SortedSetWrites::zadd)
                        .keys(firstArgument("RW update"))
                        .summary("Adds members with scores to a sorted set, or changes the scores of members it"
                                + " has; options restrict which members change and how.")
                        .since("1.2.0")
                        .complexity("O(log(N)) for each member added or updated, N being the size of the set.")
                        .syntax("key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]")
                        .history("2.4.0", "Several members at once.")
                        .history("3.0.2", "The `XX`, `NX`, `CH` and `INCR` options.")
                        .history("6.2.0", "The `GT` and `LT` options.")
                        .build(),
                command("zincrby", 4, "write denyoom fast", SortedSetWrites::zincrby)
                        .keys(firstArgument("RW access update"))
                        .summary("Adds a number to the score of a member, adding the member with that score if it"
                                + " is missing; replies the new score.")
                        .since("1.2.0").complexity("O(log(N)), N being the size of the set.")
                        .syntax("key increment member").build(),
                command("zrem", -3, "write fast", SortedSetWrites::zrem)
                        .keys(firstArgument("RW delete"))
                        .summary("Removes members from a sorted set; replies how many were there.")
                        .since("1.2.0")
                        .complexity("O(M*log(N)), N being the size of the set and M the number of members named.")
                        .syntax("key member [member ...]")
                        .history("2.4.0", "Several members at once.")
                        .build(),
                command("zcard", 2, "readonly fast", SortedSetReads::zcard)
                        .keys(firstArgument("RO"))
                        .summary("Replies the number of members of a sorted set, 0 if the key is missing.")
                        .since("1.2.0").complexity("O(1)").syntax("key").build(),
                command("zscore", 3, "readonly fast", SortedSetReads::zscore)
                        .keys(firstArgument("RO access"))
                        .summary("Replies the score of a member of a sorted set, or nil.")
                        .since("1.2.0").complexity("O(1)").syntax("key member").build(),
                command("zmscore", -3, "readonly fast", SortedSetReads::zmscore)
                        .keys(firstArgument("RO access"))
                        .summary("Replies the scores of several members of a sorted set, nil for each one missing.")
                        .since("6.2.0").complexity("O(N), N being the number of members named.")
                        .syntax("key member [member ...]").build(),
                command("zrank", 3, "readonly fast", SortedSetReads::zrank)
                        .keys(firstArgument("RO access"))
                        .summary("Replies the position of a member in a sorted set, counted from the lowest score"
                                + " (0), or nil.")
                        .since("2.0.0").complexity("O(log(N))").syntax("key member").build(),
                command("zrevrank", 3, "readonly fast", SortedSetReads::zrevrank)
                        .keys(firstArgument("RO access"))
                        .summary("Replies the position of a member in a sorted set, counted from the highest score"
                                + " (0), or nil.")
                        .since("2.0.0").complexity("O(log(N))").syntax("key member").build(),
                command("zcount", 4, "readonly fast", SortedSetReads::zcount)
                        .keys(firstArgument("RO access"))
                        .summary("Counts the members of a sorted set whose scores lie in a range.")
                        .since("2.0.0").complexity(COUNT_COMPLEXITY).syntax("key min:double max:double").build(),
                command("zlexcount", 4, "readonly fast", SortedSetReads::zlexcount)
                        .keys(firstArgument("RO access"))
                        .summary("Counts the members of a sorted set that lie in a range of member names, for sets"
                                + " whose members share one score.")
                        .since("2.8.9").complexity(COUNT_COMPLEXITY).syntax("key min max").build(),
                command("zrange", -4, "readonly", RangeCommands::zrange)
                        .keys(firstArgument("RO access"))
                        .summary("Replies the members of a sorted set in a range of positions, scores or member"
                                + " names, in either order, optionally with their scores.")
                        .since("1.2.0").complexity(RANGE_COMPLEXITY)
                        .syntax("key start:string stop:string [BYSCORE | BYLEX] [REV] [LIMIT offset count]"
                                + " [WITHSCORES]")
                        .history("6.2.0", "The `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options.")
                        .build(),
                command("zrangestore", -5, "write denyoom", RangeCommands::zrangestore)
                        .keys(firstArgument("OW update"))
                        .keys(KeySpec.range("RO access", 2, 0, 1))
                        .summary("Stores a range of a sorted set, as ZRANGE selects it, in another key; replies"
                                + " its size.")
                        .since("6.2.0")
                        .complexity("O(log(N)+M), N being the size of the source and M the number of members"
                                + " stored.")
                        .syntax("dst:key src:key min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]").build(),
                command("zrangebyscore", -4, "readonly", RangeCommands::zrangebyscore)
                        .keys(firstArgument("RO access"))
                        .summary("Replies the members of a sorted set whose scores lie in a range, lowest first.")
                        .since("1.0.5").complexity(LIMITED_RANGE_COMPLEXITY)
                        .syntax("key min:double max:double [WITHSCORES] [LIMIT offset count]")
                        .history("2.0.0", "The `WITHSCORES` modifier.")
                        .deprecated("6.2.0", "`ZRANGE` with the `BYSCORE` argument").build(),
                command("zrevrangebyscore", -4, "readonly", RangeCommands::zrevrangebyscore)
                        .keys(firstArgument("RO access"))
                        .summary("Replies the members of a sorted set whose scores lie in a range, highest first.")
                        .since("2.2.0").complexity(LIMITED_RANGE_COMPLEXITY)
                        .syntax("key max:double min:double [WITHSCORES] [LIMIT offset count]")
                        .history("2.1.6", "Exclusive `min` and `max`.")
                        .deprecated("6.2.0", "`ZRANGE` with the `REV` and `BYSCORE` arguments").build(),
                command("zrangebylex", -4, "readonly", RangeCommands::zrangebylex)
                        .keys(firstArgument("RO access"))
                        .summary("Replies the members of a sorted set that lie in a range of member names, in"
                                + " ascending byte order.")
                        .since("2.8.9").complexity(LIMITED_RANGE_COMPLEXITY)
                        .syntax("key min max [LIMIT offset count]")
                        .deprecated("6.2.0", "`ZRANGE` with the `BYLEX` argument").build(),
                command("zrevrangebylex", -4, "readonly", RangeCommands::zrevrangebylex)
                        .keys(firstArgument("RO access"))
                        .summary("Replies the members of a sorted set that lie in a range of member names, in"
                                + " descending byte order.")
                        .since("2.8.9").complexity(LIMITED_RANGE_COMPLEXITY)
                        .syntax("key max min [LIMIT offset count]")
                        .deprecated("6.2.0", "`ZRANGE` with the `REV` and `BYLEX` arguments").build(),
                command("zrevrange", -4, "readonly", RangeCommands::zrevrange)
                        .keys(firstArgument("RO access"))
                        .summary("Replies the members of a sorted set in a range of positions counted from the"
                                + " highest score.")
                        .since("1.2.0").complexity(RANGE_COMPLEXITY)
                        .syntax("key start stop [WITHSCORES]")
                        .deprecated("6.2.0", "`ZRANGE` with the `REV` argument").build(),
                command("zpopmin", -2, "write fast", PopCommands::zpopmin)
                        .keys(firstArgument("RW access delete"))
                        .summary("Removes and replies the members with the lowest scores of a sorted set.")
                        .since("5.0.0").complexity(POP_COMPLEXITY).syntax("key [count]").build(),
                command("zpopmax", -2, "write fast", PopCommands::zpopmax)
                        .keys(firstArgument("RW access delete"))
                        .summary("Removes and replies the members with the highest scores of a sorted set.")
                        .since("5.0.0").complexity(POP_COMPLEXITY).syntax("key [count]").build(),
                command("zmpop", -4, "write", PopCommands::zmpop)
                        .keys(KeySpec.keyNum("RW access delete", 1, 0, 1, 1))
                        .summary("Removes and replies members from one end of the first non-empty sorted set"
                                + " among several keys.")
                        .since("7.0.0")
                        .complexity("O(K) + O(M*log(N)), K being the number of keys named, N the size of the set"
                                + " and M the number of members popped.")
                        .syntax("numkeys key [key ...] <MIN | MAX> [COUNT count]").build(),
                command("bzpopmin", -3, "write noscript blocking fast", PopCommands::bzpopmin)
                        .keys(KeySpec.range("RW access delete", 1, -2, 1))
                        .summary("Removes and replies the member with the lowest score of the first non-empty"
                                + " sorted set among several keys, waiting for one when all are empty.")
                        .since("5.0.0").complexity(BLOCKING_POP_COMPLEXITY).syntax("key [key ...] timeout")
                        .history("6.0.0", "The timeout is a double, no longer an integer.").build(),
                command("bzpopmax", -3, "write noscript blocking fast", PopCommands::bzpopmax)
                        .keys(KeySpec.range("RW access delete", 1, -2, 1))
                        .summary("Removes and replies the member with the highest score of the first non-empty"
                                + " sorted set among several keys, waiting for one when all are empty.")
                        .since("5.0.0").complexity(BLOCKING_POP_COMPLEXITY).syntax("key [key ...] timeout")
                        .history("6.0.0", "The timeout is a double, no longer an integer.").build(),
                command("bzmpop", -5, "write blocking movablekeys", PopCommands::bzmpop)
                        .keys(KeySpec.keyNum("RW access delete", 2, 0, 1, 1))
                        .summary("Removes and replies members from one end of the first non-empty sorted set"
                                + " among several keys, waiting for one when all are empty.")
                        .since("7.0.0")
                        .complexity("O(K) + O(M*log(N)), K being the number of keys named, N the size of the set"
                                + " and M the number of members popped.")
                        .syntax("timeout numkeys key [key ...] <MIN | MAX> [COUNT count]").build(),
                command("zremrangebyscore", 4, "write", SortedSetWrites::zremrangebyscore)
                        .keys(firstArgument("RW delete"))
                        .summary("Removes the members of a sorted set whose scores lie in a range.")
                        .since("1.2.0").complexity(REMOVE_RANGE_COMPLEXITY).syntax("key min:double max:double")
                        .build(),
                command("zremrangebyrank", 4, "write", SortedSetWrites::zremrangebyrank)
                        .keys(firstArgument("RW delete"))
                        .summary("Removes the members of a sorted set in a range of positions.")
                        .since("2.0.0").complexity(REMOVE_RANGE_COMPLEXITY).syntax("key start stop").build(),
                command("zremrangebylex", 4, "write", SortedSetWrites::zremrangebylex)
                        .keys(firstArgument("RW delete"))
                        .summary("Removes the members of a sorted set that lie in a range of member names.")
                        .since("2.8.9").complexity(REMOVE_RANGE_COMPLEXITY).syntax("key min max").build(),
                command("zunion", -3, "readonly", SetOperations::zunion)
                        .keys(inputs(1))
                        .summary("Replies the members of any of several sorted sets, with scores combined.")
                        .since("6.2.0").complexity(UNION_COMPLEXITY)
                        .syntax(COMBINE_SYNTAX + " [WITHSCORES]").build(),
                command("zinter", -3, "readonly", SetOperations::zinter)
                        .keys(inputs(1))
                        .summary("Replies the members common to several sorted sets, with scores combined.")
                        .since("6.2.0").complexity(INTER_COMPLEXITY)
                        .syntax(COMBINE_SYNTAX + " [WITHSCORES]").build(),
                command("zdiff", -3, "readonly", SetOperations::zdiff)
                        .keys(inputs(1))
                        .summary("Replies the members of the first sorted set that none of the others has.")
                        .since("6.2.0").complexity(DIFF_COMPLEXITY)
                        .syntax("numkeys key [key ...] [WITHSCORES]").build(),
                command("zunionstore", -4, "write denyoom", SetOperations::zunionstore)
                        .keys(firstArgument("OW update"))
                        .keys(inputs(2))
                        .summary("Stores the union of several sorted sets, with scores combined, in a key.")
                        .since("2.0.0").complexity(UNION_COMPLEXITY)
                        .syntax("destination " + COMBINE_SYNTAX).build(),
                command("zinterstore", -4, "write denyoom", SetOperations::zinterstore)
                        .keys(firstArgument("OW update"))
                        .keys(inputs(2))
                        .summary("Stores the intersection of several sorted sets, with scores combined, in a key.")
                        .since("2.0.0").complexity(INTER_COMPLEXITY)
                        .syntax("destination " + COMBINE_SYNTAX).build(),
                command("zdiffstore", -4, "write denyoom", SetOperations::zdiffstore)
                        .keys(firstArgument("OW update"))
                        .keys(inputs(2))
                        .summary("Stores the members of the first sorted set that none of the others has in a key.")
                        .since("6.2.0").complexity(DIFF_COMPLEXITY)
                        .syntax("destination numkeys key [key ...]").build(),
                command("zintercard", -3, "readonly", SetOperations::zintercard)
                        .keys(inputs(1))
                        .summary("Counts the members common to several sorted sets, stopping at an optional limit.")
                        .since("7.0.0")
                        .complexity("O(N*K) at worst, N being the size of the smallest input and K the number of"
                                + " inputs.")
                        .syntax("numkeys key [key ...] [LIMIT limit:integer]").build(),
                command("zrandmember", -2, "readonly", SortedSetReads::zrandmember)
                        .keys(firstArgument("RO access"))
                        .tips("nondeterministic_output")
                        .summary("Replies random members of a sorted set: one, several distinct ones, or (with a"
                                + " negative count) several that may repeat.")
                        .since("6.2.0").complexity("O(N), N being the number of members replied.")
                        .syntax("key [count [WITHSCORES]]").build(),
                command("zscan", -3, "readonly", SortedSetReads::zscan)
                        .keys(firstArgument("RO access"))
                        .tips("nondeterministic_output")
                        .summary("Walks the members and scores of a sorted set a few at a time with a cursor.")
                        .since("2.8.0")
                        .complexity("O(1) for every call. O(N) for a complete iteration, including enough command"
                                + " calls for the cursor to return back to 0. N is the number of elements inside the"
                                + " collection.")
                        .syntax("key cursor:integer [MATCH pattern] [COUNT count]").build());
    }

    private static Command.Builder command(String name, int arity, String flags, CommandHandler handler) {
        return Command.builder(name).arity(arity).flags(flags).acl("@sortedset").group("sorted-set")
                .handler(handler);
    }


    /** The input keys of the set operations: a count at {@code index}, then that many keys. */
    private static KeySpec inputs(int index) {
        return KeySpec.keyNum("RO access", index, 0, 1, 1);
    }
}
