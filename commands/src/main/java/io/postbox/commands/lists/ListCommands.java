package io.postbox.commands.lists;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.CommandHandler;
import io.postbox.commands.KeySpec;
import java.util.List;

/**
 * List commands: the FIFO queue (LPUSH + RPOP) and the reliable queue (LMOVE to a processing list,
 * LREM to acknowledge). Metadata matches Redis 7.0's COMMAND INFO; handlers live in
 * {@link ListEnds} (push, pop, move) and {@link ListPositions} (by index or value).
 */
public final class ListCommands implements CommandGroup {

    private static final String PUSH_COMPLEXITY = "O(1) per element pushed, so O(N) for N elements.";
    private static final String TIMEOUT_DOUBLE = "The timeout is a double, no longer an integer.";
    private static final String WALK_COMPLEXITY =
            "O(N) for the N elements walked to reach the index; O(1) at either end of the list.";

    @Override
    public List<Command> commands() {
        return List.of(
                push("lpush", "Prepends one or more elements to a list, creating the list if it is missing.")
                        .since("1.0.0").history("2.4.0", "Takes several elements.")
                        .handler(ListEnds::lpush).build(),
                push("rpush", "Appends one or more elements to a list, creating the list if it is missing.")
                        .since("1.0.0").history("2.4.0", "Takes several elements.")
                        .handler(ListEnds::rpush).build(),
                push("lpushx", "Prepends one or more elements to a list, only if the list exists.")
                        .since("2.2.0").history("4.0.0", "Takes several elements.")
                        .handler(ListEnds::lpushx).build(),
                push("rpushx", "Appends one or more elements to a list, only if the list exists.")
                        .since("2.2.0").history("4.0.0", "Takes several elements.")
                        .handler(ListEnds::rpushx).build(),
                pop("lpop", "Removes and returns the first elements of a list; an emptied list is deleted.",
                        ListEnds::lpop),
                pop("rpop", "Removes and returns the last elements of a list; an emptied list is deleted.",
                        ListEnds::rpop),
                list("llen", 2, "readonly fast", "RO")
                        .summary("Returns the number of elements in a list.").since("1.0.0").complexity("O(1)")
                        .syntax("key").handler(ListPositions::llen).build(),
                list("lindex", 3, "readonly", "RO access")
                        .summary("Returns the element at a given index of a list.").since("1.0.0")
                        .complexity(WALK_COMPLEXITY).syntax("key index").handler(ListPositions::lindex).build(),
                list("lset", 4, "write denyoom", "RW update")
                        .summary("Replaces the element at a given index of a list.").since("1.0.0")
                        .complexity(WALK_COMPLEXITY).syntax("key index element").handler(ListPositions::lset).build(),
                list("lrange", 4, "readonly", "RO access")
                        .summary("Returns the elements of a list between two indexes, both included.").since("1.0.0")
                        .complexity("O(S+N): S elements walked to the start index, N elements returned.")
                        .syntax("key start stop").handler(ListPositions::lrange).build(),
                list("linsert", 5, "write denyoom", "RW insert")
                        .summary("Inserts an element just before or just after the first occurrence of another.")
                        .since("2.2.0").complexity("O(N) for the N elements scanned from the head to the pivot.")
                        .syntax("key <BEFORE | AFTER> pivot element").handler(ListPositions::linsert).build(),
                list("lrem", 4, "write", "RW delete")
                        .summary("Removes elements equal to a value from a list; an emptied list is deleted.")
                        .since("1.0.0").complexity("O(N+M): N elements scanned, M elements removed.")
                        .syntax("key count element").handler(ListPositions::lrem).build(),
                list("ltrim", 4, "write", "RW delete")
                        .summary("Keeps only the elements of a list between two indexes and drops the others.")
                        .since("1.0.0").complexity("O(N) for the N elements dropped.")
                        .syntax("key start stop").handler(ListPositions::ltrim).build(),
                list("lpos", -3, "readonly", "RO access")
                        .summary("Returns the indexes of the elements of a list that equal a value.").since("6.0.6")
                        .complexity("O(N) for the N elements compared; MAXLEN bounds N, and matches near"
                                + " the scanned end are found in constant time.")
                        .syntax("key element [RANK rank] [COUNT num-matches] [MAXLEN len]")
                        .handler(ListPositions::lpos).build(),
                move("lmove", 5)
                        .summary("Pops an element from one end of a list and pushes it at an end of another"
                                + " list, or of the same one.")
                        .since("6.2.0").syntax("source destination <LEFT | RIGHT> <LEFT | RIGHT>")
                        .handler(ListEnds::lmove).build(),
                move("rpoplpush", 3)
                        .summary("Pops the last element of a list and pushes it at the head of another list,"
                                + " or of the same one.")
                        .since("1.2.0").syntax("source destination")
                        .deprecated("6.2.0", "`LMOVE` with the `RIGHT` and `LEFT` arguments")
                        .handler(ListEnds::rpoplpush).build(),
                Command.builder("lmpop").arity(-4).flags("write movablekeys").acl("@list").group("list")
                        .keys(KeySpec.keyNum("RW access delete", 1, 0, 1, 1))
                        .summary("Pops elements from one end of the first non-empty list among several keys.")
                        .since("7.0.0").complexity("O(N+M): N keys looked at, M elements popped.")
                        .syntax("numkeys key [key ...] <LEFT | RIGHT> [COUNT count]")
                        .handler(ListEnds::lmpop).build(),
                blockingPop("blpop", "Removes and returns the first element of the first non-empty list among"
                        + " several keys, waiting for one when all are empty.", BlockingPops::blpop),
                blockingPop("brpop", "Removes and returns the last element of the first non-empty list among"
                        + " several keys, waiting for one when all are empty.", BlockingPops::brpop),
                blockingMove("blmove", 6)
                        .summary("Pops an element from one end of a list and pushes it at an end of another"
                                + " list, waiting for an element when the source is empty.")
                        .since("6.2.0").syntax("source destination <LEFT | RIGHT> <LEFT | RIGHT> timeout")
                        .handler(BlockingPops::blmove).build(),
                blockingMove("brpoplpush", 4)
                        .summary("Pops the last element of a list and pushes it at the head of another list,"
                                + " waiting for an element when the source is empty.")
                        .since("2.2.0").syntax("source destination timeout").history("6.0.0", TIMEOUT_DOUBLE)
                        .deprecated("6.2.0", "`BLMOVE` with the `RIGHT` and `LEFT` arguments")
                        .handler(BlockingPops::brpoplpush).build(),
                Command.builder("blmpop").arity(-5).flags("write blocking movablekeys").acl("@list").group("list")
                        .keys(KeySpec.keyNum("RW access delete", 2, 0, 1, 1))
                        .summary("Pops elements from one end of the first non-empty list among several keys,"
                                + " waiting for one when all are empty.")
                        .since("7.0.0").complexity("O(N+M): N keys looked at, M elements popped.")
                        .syntax("timeout numkeys key [key ...] <LEFT | RIGHT> [COUNT count]")
                        .handler(BlockingPops::blmpop).build());
    }

    private static Command.Builder list(String name, int arity, String flags, String keyFlags) {
        return Command.builder(name).arity(arity).flags(flags).acl("@list").group("list")
                .keys(KeySpec.range(keyFlags, 1, 0, 1));
    }

    private static Command.Builder push(String name, String summary) {
        return list(name, -3, "write denyoom fast", "RW insert").summary(summary)
                .complexity(PUSH_COMPLEXITY).syntax("key element [element ...]");
    }

    private static Command pop(String name, String summary, CommandHandler handler) {
        return list(name, -2, "write fast", "RW access delete").summary(summary).since("1.0.0")
                .complexity("O(N) for the N elements popped.").syntax("key [count]")
                .history("6.2.0", "Added the optional count.").handler(handler).build();
    }

    /** BLPOP and BRPOP. */
    private static Command blockingPop(String name, String summary, CommandHandler handler) {
        return Command.builder(name).arity(-3).flags("write noscript blocking").acl("@list").group("list")
                .keys(KeySpec.range("RW access delete", 1, -2, 1))
                .summary(summary).since("2.0.0")
                .complexity("O(N) for the N keys looked at.").syntax("key [key ...] timeout")
                .history("6.0.0", TIMEOUT_DOUBLE).handler(handler).build();
    }

    /** BLMOVE and BRPOPLPUSH: wait on the source; the destination is written when an element moves. */
    private static Command.Builder blockingMove(String name, int arity) {
        return Command.builder(name).arity(arity).flags("write denyoom noscript blocking").acl("@list").group("list")
                .keys(KeySpec.range("RW access delete", 1, 0, 1))
                .keys(KeySpec.range("RW insert", 2, 0, 1))
                .complexity("O(1)");
    }

    /** LMOVE and RPOPLPUSH: the source is read and emptied, the destination written. */
    private static Command.Builder move(String name, int arity) {
        return Command.builder(name).arity(arity).flags("write denyoom").acl("@list").group("list")
                .keys(KeySpec.range("RW access delete", 1, 0, 1))
                .keys(KeySpec.range("RW insert", 2, 0, 1))
                .complexity("O(1)");
    }
}
