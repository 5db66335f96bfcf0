package io.postbox.commands.hashes;

import static io.postbox.commands.KeySpec.firstArgument;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.CommandHandler;
import java.util.List;

/**
 * Hash commands: a key holding fields and their values, such as a job's data or a registry of
 * workers. This is the table of the family, with Redis 7.0's metadata for each command; the handlers
 * live in {@link HashReads}, {@link HashWrites} and {@link HashRandomFields}, the type in
 * {@link HashValue}.
 */
public final class HashCommands implements CommandGroup {

    @Override
    public List<Command> commands() {
        return List.of(
                command("hset", -4, "write denyoom fast", HashWrites::hset)
                        .keys(firstArgument("RW update"))
                        .summary("Sets one or more fields of a hash to values, creating the hash if needed; replies"
                                + " how many fields were new.")
                        .since("2.0.0")
                        .complexity("O(1) per field and value given, so O(N) for N pairs.")
                        .syntax("key field value [field value ...]")
                        .history("4.0.0", "Takes several `field` and `value` pairs.").build(),
                command("hsetnx", 4, "write denyoom fast", HashWrites::hsetnx)
                        .keys(firstArgument("RW insert"))
                        .summary("Sets a field of a hash only if the field is absent; replies 1 if it did, 0 if"
                                + " not.")
                        .since("2.0.0").complexity("O(1)").syntax("key field value").build(),
                command("hget", 3, "readonly fast", HashReads::hget)
                        .keys(firstArgument("RO access"))
                        .summary("Replies the value of one field of a hash, or nil.")
                        .since("2.0.0").complexity("O(1)").syntax("key field").build(),
                command("hmget", -3, "readonly fast", HashReads::hmget)
                        .keys(firstArgument("RO access"))
                        .summary("Replies the values of several fields of a hash, nil for each missing field.")
                        .since("2.0.0").complexity("O(N), N being the number of fields asked for.")
                        .syntax("key field [field ...]").build(),
                command("hmset", -4, "write denyoom fast", HashWrites::hmset)
                        .keys(firstArgument("RW update"))
                        .summary("Sets one or more fields of a hash to values and replies OK: the old form of"
                                + " HSET.")
                        .since("2.0.0").complexity("O(N), N being the number of fields set.")
                        .syntax("key field value [field value ...]")
                        .deprecated("4.0.0", "`HSET` with multiple field-value pairs").build(),
                command("hgetall", 2, "readonly", HashReads::hgetall)
                        .keys(firstArgument("RO access")).tips("nondeterministic_output_order")
                        .summary("Replies every field of a hash with its value.")
                        .since("2.0.0").complexity("O(N), N being the number of fields in the hash.")
                        .syntax("key").build(),
                command("hdel", -3, "write fast", HashWrites::hdel)
                        .keys(firstArgument("RW delete"))
                        .summary("Removes fields from a hash, and the key with its last field; replies how many"
                                + " were removed.")
                        .since("2.0.0").complexity("O(N), N being the number of fields to remove.")
                        .syntax("key field [field ...]")
                        .history("2.4.0", "Takes several `field` arguments.").build(),
                command("hexists", 3, "readonly fast", HashReads::hexists)
                        .keys(firstArgument("RO"))
                        .summary("Replies 1 if a hash has a field, 0 if not.")
                        .since("2.0.0").complexity("O(1)").syntax("key field").build(),
                command("hlen", 2, "readonly fast", HashReads::hlen)
                        .keys(firstArgument("RO"))
                        .summary("Replies how many fields a hash has.")
                        .since("2.0.0").complexity("O(1)").syntax("key").build(),
                command("hkeys", 2, "readonly", HashReads::hkeys)
                        .keys(firstArgument("RO access")).tips("nondeterministic_output_order")
                        .summary("Replies the names of every field of a hash.")
                        .since("2.0.0").complexity("O(N), N being the number of fields in the hash.")
                        .syntax("key").build(),
                command("hvals", 2, "readonly", HashReads::hvals)
                        .keys(firstArgument("RO access")).tips("nondeterministic_output_order")
                        .summary("Replies the values of every field of a hash.")
                        .since("2.0.0").complexity("O(N), N being the number of fields in the hash.")
                        .syntax("key").build(),
                command("hincrby", 4, "write denyoom fast", HashWrites::hincrby)
                        .keys(firstArgument("RW access update"))
                        .summary("Adds an integer to the integer in a field of a hash, counting a missing field"
                                + " as 0.")
                        .since("2.0.0").complexity("O(1)").syntax("key field increment").build(),
                command("hincrbyfloat", 4, "write denyoom fast", HashWrites::hincrbyfloat)
                        .keys(firstArgument("RW access update"))
                        .summary("Adds a floating-point number to the number in a field of a hash, counting a"
                                + " missing field as 0.")
                        .since("2.6.0").complexity("O(1)").syntax("key field increment:double").build(),
                command("hstrlen", 3, "readonly fast", HashReads::hstrlen)
                        .keys(firstArgument("RO"))
                        .summary("Replies the length in bytes of the value of a field of a hash, 0 if it is"
                                + " missing.")
                        .since("3.2.0").complexity("O(1)").syntax("key field").build(),
                command("hrandfield", -2, "readonly", HashRandomFields::hrandfield)
                        .keys(firstArgument("RO access")).tips("nondeterministic_output")
                        .summary("Replies one or more fields of a hash picked at random, with their values if"
                                + " asked; a negative count may pick a field more than once.")
                        .since("6.2.0").complexity("O(N), N being the number of fields replied.")
                        .syntax("key [count [WITHVALUES]]").build(),
                command("hscan", -3, "readonly", HashReads::hscan)
                        .keys(firstArgument("RO access")).tips("nondeterministic_output")
                        .summary("Walks the fields and values of a hash a few at a time with a cursor.")
                        .since("2.8.0")
                        .complexity("O(1) per call; O(N) for a whole iteration, calls until the cursor is 0 again,"
                                + " N being the number of fields.")
                        .syntax("key cursor:integer [MATCH pattern] [COUNT count]").build());
    }

    private static Command.Builder command(String name, int arity, String flags, CommandHandler handler) {
        return Command.builder(name).arity(arity).flags(flags).acl("@hash").group("hash").handler(handler);
    }
}
