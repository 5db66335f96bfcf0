package io.postbox.commands.strings;

import static io.postbox.commands.KeySpec.firstArgument;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.CommandHandler;
import io.postbox.commands.KeySpec;
import java.util.List;

/**
 * String commands: values that are plain byte strings, counters and locks. This is the table of the
 * family, with Redis 7.0's metadata for each command; the handlers live in {@link StringReads},
 * {@link StringWrites}, {@link Counters} and {@link Lcs}.
 *
 * <p>Values are stored as {@code byte[]} whatever they hold (Redis would pick int, embstr or raw):
 * there is no separate integer encoding.
 */
public final class StringCommands implements CommandGroup {

    private static final String GETRANGE_COMPLEXITY =
            "O(N), N being the length of the returned substring; copying a short substring costs next to nothing.";

    @Override
    public List<Command> commands() {
        return List.of(
                command("get", 2, "readonly fast", StringReads::get)
                        .keys(firstArgument("RO access"))
                        .summary("Returns the value of a string key, or nil if the key does not exist.")
                        .since("1.0.0").complexity("O(1)").syntax("key").build(),
                command("set", -3, "write denyoom", StringWrites::set)
                        .keys(firstArgument("RW access update variable_flags")
                                .withNotes("RW and ACCESS due to the optional `GET` argument"))
                        .summary("Stores a string value under a key, whatever the key held before, with optional"
                                + " conditions, expiry and return of the old value.")
                        .since("1.0.0").complexity("O(1)")
                        .syntax("key value [NX | XX] [GET] [EX seconds | PX milliseconds"
                                + " | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]")
                        .history("2.6.12", "The `EX`, `PX`, `NX` and `XX` options.")
                        .history("6.0.0", "The `KEEPTTL` option.")
                        .history("6.2.0", "The `GET`, `EXAT` and `PXAT` options.")
                        .history("7.0.0", "`NX` and `GET` may be combined.")
                        .build(),
                command("setnx", 3, "write denyoom fast", StringWrites::setnx)
                        .keys(firstArgument("OW insert"))
                        .summary("Stores a string value under a key only when the key is absent; replies 1 if it"
                                + " did, 0 if not.")
                        .since("1.0.0").complexity("O(1)").syntax("key value").build(),
                command("setex", 4, "write denyoom", StringWrites::setex)
                        .keys(firstArgument("OW update"))
                        .summary("Stores a string value under a key with a time to live in seconds.")
                        .since("2.0.0").complexity("O(1)").syntax("key seconds value").build(),
                command("psetex", 4, "write denyoom", StringWrites::psetex)
                        .keys(firstArgument("OW update"))
                        .summary("Stores a string value under a key with a time to live in milliseconds.")
                        .since("2.6.0").complexity("O(1)").syntax("key milliseconds value").build(),
                command("getset", 3, "write denyoom fast", StringWrites::getset)
                        .keys(firstArgument("RW access update"))
                        .summary("Stores a new string value under a key and replies the value it replaced.")
                        .since("1.0.0").complexity("O(1)").syntax("key value")
                        .deprecated("6.2.0", "`SET` with the `!GET` argument").build(),
                command("getdel", 2, "write fast", StringWrites::getdel)
                        .keys(firstArgument("RW access delete"))
                        .summary("Replies the string value of a key and deletes the key.")
                        .since("6.2.0").complexity("O(1)").syntax("key").build(),
                command("getex", -2, "write fast", StringWrites::getex)
                        .keys(firstArgument("RW access update").withNotes("RW and UPDATE because it changes the TTL"))
                        .summary("Replies the string value of a key and optionally sets or removes its expiry.")
                        .since("6.2.0").complexity("O(1)")
                        .syntax("key [EX seconds | PX milliseconds | EXAT unix-time-seconds"
                                + " | PXAT unix-time-milliseconds | PERSIST]")
                        .build(),
                command("mget", -2, "readonly fast", StringReads::mget)
                        .keys(KeySpec.range("RO access", 1, -1, 1))
                        .tips("request_policy:multi_shard")
                        .summary("Replies the string values of several keys, nil for each key that is missing or"
                                + " not a string.")
                        .since("1.0.0").complexity("O(N), N being the number of keys.")
                        .syntax("key [key ...]").build(),
                command("mset", -3, "write denyoom", StringWrites::mset)
                        .keys(KeySpec.range("OW update", 1, -1, 2))
                        .tips("request_policy:multi_shard", "response_policy:all_succeeded")
                        .summary("Stores several string values at once, replacing what the keys held.")
                        .since("1.0.1").complexity("O(N), N being the number of keys.")
                        .syntax("key value [key value ...]").build(),
                command("msetnx", -3, "write denyoom", StringWrites::msetnx)
                        .keys(KeySpec.range("OW insert", 1, -1, 2))
                        .tips("request_policy:multi_shard", "response_policy:agg_min")
                        .summary("Stores several string values at once, only if none of the keys exists.")
                        .since("1.0.1").complexity("O(N), N being the number of keys.")
                        .syntax("key value [key value ...]").build(),
                command("incr", 2, "write denyoom fast", Counters::incr)
                        .keys(firstArgument("RW access update"))
                        .summary("Adds one to the integer held by a key, counting a missing key as 0.")
                        .since("1.0.0").complexity("O(1)").syntax("key").build(),
                command("decr", 2, "write denyoom fast", Counters::decr)
                        .keys(firstArgument("RW access update"))
                        .summary("Subtracts one from the integer held by a key, counting a missing key as 0.")
                        .since("1.0.0").complexity("O(1)").syntax("key").build(),
                command("incrby", 3, "write denyoom fast", Counters::incrby)
                        .keys(firstArgument("RW access update"))
                        .summary("Adds an integer to the integer held by a key, counting a missing key as 0.")
                        .since("1.0.0").complexity("O(1)").syntax("key increment").build(),
                command("decrby", 3, "write denyoom fast", Counters::decrby)
                        .keys(firstArgument("RW access update"))
                        .summary("Subtracts an integer from the integer held by a key, counting a missing key"
                                + " as 0.")
                        .since("1.0.0").complexity("O(1)").syntax("key decrement").build(),
                command("incrbyfloat", 3, "write denyoom fast", Counters::incrbyfloat)
                        .keys(firstArgument("RW access update"))
                        .summary("Adds a floating-point number to the number held by a key, counting a missing"
                                + " key as 0.")
                        .since("2.6.0").complexity("O(1)").syntax("key increment").build(),
                command("append", 3, "write denyoom fast", StringWrites::append)
                        .keys(firstArgument("RW insert"))
                        .summary("Adds bytes to the end of a string, creating the key if needed; replies the new"
                                + " length.")
                        .since("2.0.0")
                        .complexity("O(1) amortized: the string keeps spare room, as Redis's does, and is"
                                + " copied only when it outgrows it.")
                        .syntax("key value").build(),
                command("strlen", 2, "readonly fast", StringReads::strlen)
                        .keys(firstArgument("RO"))
                        .summary("Replies the length in bytes of the string held by a key, 0 if it is missing.")
                        .since("2.2.0").complexity("O(1)").syntax("key").build(),
                command("getrange", 4, "readonly", StringReads::getrange)
                        .keys(firstArgument("RO access"))
                        .summary("Replies the bytes of a string between two inclusive offsets; negative offsets"
                                + " count from the end.")
                        .since("2.4.0").complexity(GETRANGE_COMPLEXITY).syntax("key start end").build(),
                command("substr", 4, "readonly", StringReads::getrange)
                        .keys(firstArgument("RO access"))
                        .summary("Replies the bytes of a string between two inclusive offsets: the old name of"
                                + " GETRANGE.")
                        .since("1.0.0").complexity(GETRANGE_COMPLEXITY).syntax("key start end")
                        .deprecated("2.0.0", "`GETRANGE`").build(),
                command("setrange", 4, "write denyoom", StringWrites::setrange)
                        .keys(firstArgument("RW update"))
                        .summary("Overwrites part of a string from an offset, padding with zero bytes when the"
                                + " string is shorter; replies the new length.")
                        .since("2.2.0")
                        .complexity("O(M), M being the length of the value written; growing the string"
                                + " costs O(1) amortized.")
                        .syntax("key offset value").build(),
                command("lcs", -3, "readonly", Lcs::lcs)
                        .keys(KeySpec.range("RO access", 1, 1, 1))
                        .summary("Finds the longest common subsequence of two strings: the subsequence, its"
                                + " length, or where its runs are in each string.")
                        .since("7.0.0").complexity("O(N*M), N and M being the lengths of the two strings.")
                        .syntax("key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]").build());
    }

    private static Command.Builder command(String name, int arity, String flags, CommandHandler handler) {
        return Command.builder(name).arity(arity).flags(flags).acl("@string").group("string").handler(handler);
    }
}
