package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.RawConnection;
import io.postbox.it.support.ReferenceRedis;
import io.postbox.it.support.ReplyShape;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random values crossing the border between scripts and replies, and through Redis's Lua libraries,
 * sent to Postbox and to the reference Redis, replies compared byte for byte, over connections on each
 * protocol (HELLO 2 and 3). The case files have each rule once; this nests them: tables in tables, nil
 * holes, status, error, double, map, set and big-number tables among array items, numbers with
 * fractions and beyond 2^53, command replies of every kind turned into Lua values and back, and data
 * that cjson, cmsgpack, bit and struct encode, refuse or round-trip.
 */
class ScriptConversionsRandomSideBySideTest {

    private static final int STEPS = 250;
    /** Values cjson prints specially or refuses (infinities), and numbers a double holds inexactly. */
    private static final String[] SPECIAL_DATA = {"cjson.null", "math.huge", "-math.huge", "-0", "2^53 + 1", "1/3"};

    /** Scripts that return a random Lua value. */
    @Test
    void randomScriptValuesBecomeRepliesAsInRedis() throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        forEachProtocol((redis, ours, protocol) -> {
            for (int step = 0; step < STEPS; step++) {
                int resp = 2 + random.nextInt(2);
                String script = "redis.setresp(" + resp + ") return " + value(random, 0);
                compare(redis, ours, RawConnection.command("EVAL", script, "0"),
                        "seed " + seed + ", HELLO " + protocol + ", step " + step + ": " + script);
            }
        });
    }

    /**
     * Scripts that run a random command and return its reply: as it is, inside a table (with
     * redis.pcall, so an error is a table too), and as cjson prints the Lua value it became.
     */
    @Test
    void randomCommandRepliesPassThroughScriptsAsInRedis() throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        String prefix = "script-conversions:" + Long.toHexString(seed) + ":";
        forEachProtocol((redis, ours, protocol) -> {
            for (List<byte[]> setup : fill(prefix, random)) {
                compare(redis, ours, setup, "seed " + seed + ", setup");
            }
            for (int step = 0; step < STEPS; step++) {
                int resp = 2 + random.nextInt(2);
                String body = switch (random.nextInt(3)) {
                    case 0 -> "return redis.call(unpack(ARGV))";
                    case 1 -> "return {redis.pcall(unpack(ARGV))}";
                    default -> "local r = redis.pcall(unpack(ARGV)) "
                            + "if type(r) == 'table' then return cjson.encode(r) end return r";
                };
                List<byte[]> eval = RawConnection.command("EVAL", "redis.setresp(" + resp + ") " + body, "0");
                List<String> command = command(prefix, random);
                eval.addAll(RawConnection.command(command.toArray(String[]::new)));
                compare(redis, ours, eval, "seed " + seed + ", HELLO " + protocol + ", step " + step
                        + ": resp " + resp + ", " + body + " with " + String.join(" ", command));
            }
        });
    }

    /**
     * Scripts that run Redis's Lua libraries on random data: cjson and cmsgpack encodings and their round
     * trips (nested arrays and objects, sparse and mixed tables, escapes, fractions, huge and tiny
     * numbers, infinities cjson refuses), bit operations and struct packing on random numbers.
     */
    @Test
    void randomDataThroughTheLuaLibrariesAsInRedis() throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        forEachProtocol((redis, ours, protocol) -> {
            for (int step = 0; step < STEPS; step++) {
                String data = data(random, 0);
                String script = switch (random.nextInt(6)) {
                    case 0 -> "return cjson.encode(" + data + ")";
                    case 1 -> "return cmsgpack.pack(" + data + ")";
                    case 2 -> "return cjson.encode(cmsgpack.unpack(cmsgpack.pack(" + data + ")))";
                    case 3 -> "return cjson.encode(cjson.decode(cjson.encode(" + data + ")))";
                    case 4 -> bitOperations(random);
                    default -> structPacking(random);
                };
                compare(redis, ours, RawConnection.command("EVAL", script, "0"),
                        "seed " + seed + ", HELLO " + protocol + ", step " + step + ": " + script);
            }
        });
    }

    private interface Session {
        void run(RawConnection redis, RawConnection ours, int protocol) throws IOException;
    }

    private static void forEachProtocol(Session session) throws IOException {
        ReferenceRedis reference = ReferenceRedis.require();
        InJvmPostbox postbox = InJvmPostbox.shared();
        for (int protocol = 2; protocol <= 3; protocol++) {
            try (RawConnection redis = new RawConnection(reference.port());
                 RawConnection ours = new RawConnection(postbox.port())) {
                // The HELLO replies name the servers, so they differ; only the protocol they switch to matters.
                redis.call("HELLO", Integer.toString(protocol));
                ours.call("HELLO", Integer.toString(protocol));
                session.run(redis, ours, protocol);
            }
        }
    }

    private static void compare(RawConnection redis, RawConnection ours, List<byte[]> command, String what)
            throws IOException {
        assertEquals(ReplyShape.printable(redis.call(command)), ReplyShape.printable(ours.call(command)), what);
    }

    /** A Lua expression of a random value, tables nested up to three deep. */
    private static String value(Random random, int depth) {
        int kinds = depth < 3 ? 12 : 5;
        return switch (random.nextInt(kinds)) {
            case 0 -> number(random);
            case 1 -> string(random);
            case 2 -> random.nextBoolean() ? "true" : "false";
            case 3 -> "nil";
            case 4 -> "'" + random.nextInt(100) + "'";
            case 5, 6 -> array(random, depth);
            case 7 -> "{" + (random.nextBoolean() ? "ok" : "err") + "=" + string(random) + "}";
            case 8 -> "{double=" + number(random) + "}";
            case 9 -> "{big_number='" + (random.nextBoolean() ? "-" : "") + random.nextLong() + "12345678901234'}";
            case 10 -> "{map={" + pairs(random, depth) + "}}";
            default -> "{set={" + pairs(random, depth) + "}}";
        };
    }

    private static String array(Random random, int depth) {
        List<String> items = new ArrayList<>();
        for (int i = random.nextInt(5); i > 0; i--) {
            items.add(value(random, depth + 1));
        }
        return "{" + String.join(", ", items) + "}";
    }

    /** Up to three entries of a Lua table with string keys: a map's, or a set's (whose values only count as true). */
    private static String pairs(Random random, int depth) {
        List<String> entries = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            entries.add("['k" + random.nextInt(6) + "']=" + value(random, depth + 1));
        }
        return String.join(", ", entries);
    }

    /** Small integers, fractions (dropped on the way out), and magnitudes past a double's exact integers. */
    private static String number(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> Integer.toString(random.nextInt(2001) - 1000);
            case 1 -> (random.nextInt(2001) - 1000) + "." + random.nextInt(100);
            case 2 -> Long.toString(random.nextLong() >> random.nextInt(40));
            default -> (random.nextBoolean() ? "-" : "") + "0." + random.nextInt(1000) + "e" + random.nextInt(25);
        };
    }

    private static String string(Random random) {
        String[] words = {"", "job", "a b", "x\\0y", "line\\nbreak", "ERR custom", "é", "OK"};
        return "'" + words[random.nextInt(words.length)] + "'";
    }

    /** A Lua expression of random data, as scripts hand to the libraries: nested up to four deep. */
    private static String data(Random random, int depth) {
        int kinds = depth < 4 ? 10 : 5;
        return switch (random.nextInt(kinds)) {
            case 0 -> number(random);
            case 1 -> string(random);
            case 2 -> random.nextBoolean() ? "true" : "false";
            case 3 -> SPECIAL_DATA[random.nextInt(SPECIAL_DATA.length)];
            case 4 -> "'\\\"/\\1\\31\\127 \\200" + random.nextInt(10) + "'";
            case 5, 6 -> {
                List<String> items = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    items.add(data(random, depth + 1));
                }
                yield "{" + String.join(", ", items) + "}";
            }
            case 7 -> "{[1]=" + data(random, depth + 1) + ", [" + (2 + random.nextInt(30)) + "]="
                    + data(random, depth + 1) + "}";
            default -> {
                List<String> entries = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    String key = random.nextInt(4) == 0 ? "[" + random.nextInt(3) + "]"
                            : "['k" + random.nextInt(6) + "']";
                    entries.add(key + "=" + data(random, depth + 1));
                }
                yield "{" + String.join(", ", entries) + "}";
            }
        };
    }

    private static String bitOperations(Random random) {
        String a = Long.toString(random.nextLong() >> random.nextInt(40));
        String b = Integer.toString(random.nextInt());
        String shift = Integer.toString(random.nextInt(40));
        return "local a, b, n = " + a + ", " + b + ", " + shift + " return {bit.tobit(a), bit.band(a, b), "
                + "bit.bor(a, b), bit.bxor(a, b), bit.bnot(a), bit.lshift(a, n), bit.rshift(a, n), bit.arshift(a, n), "
                + "bit.rol(a, n), bit.ror(a, n), bit.bswap(b), bit.tohex(a), bit.tohex(b, -" + (1 + random.nextInt(8))
                + ")}";
    }

    private static String structPacking(Random random) {
        String[] formats = {"<i4", ">I2", "bBhH", "<d", ">f", "s", "c5", "<i8", "!4 b i"};
        String[] arguments = {"-123456", "65000", "-1, 255, -300, 7", "1/3", "2.5", "'hello'", "'abcdefg'",
            Long.toString(random.nextLong() >> 12), "1, 2"};
        int i = random.nextInt(formats.length);
        String pack = "struct.pack('" + formats[i] + "', " + arguments[i] + ")";
        if (random.nextBoolean()) {
            return "return " + pack;
        }
        // struct.size takes no variable-length item.
        String fixed = formats[i].replace("s", "");
        return "return {struct.size('" + fixed + "'), struct.unpack('" + formats[i] + "', " + pack + ")}";
    }

    /** Keys of each type, small enough that both servers keep them in the order given (or sorted). */
    private static List<List<byte[]>> fill(String prefix, Random random) {
        List<List<byte[]>> setup = new ArrayList<>();
        setup.add(RawConnection.command("SET", prefix + "string", Integer.toString(random.nextInt(1000))));
        setup.add(RawConnection.command("SET", prefix + "text", "hello"));
        setup.add(RawConnection.command("RPUSH", prefix + "list", "a", "", "17", "-3.5", "c"));
        setup.add(RawConnection.command("HSET", prefix + "hash", "f1", "v1", "f2", "2", "f3", ""));
        setup.add(RawConnection.command("ZADD", prefix + "zset", "1", "a", "2.5", "b", "-inf", "c", "1e20", "d"));
        setup.add(RawConnection.command("SADD", prefix + "ints", "3", "1", "2", "-7"));
        return setup;
    }

    /** A random command on those keys (and a missing one): every kind of reply, errors included. */
    private static List<String> command(String prefix, Random random) {
        String missing = prefix + "missing";
        return switch (random.nextInt(22)) {
            case 0 -> List.of("GET", prefix + "string");
            case 1 -> List.of("GET", missing);
            case 2 -> List.of("INCRBYFLOAT", prefix + "string", "1.5");
            case 3 -> List.of("INCR", prefix + "text");
            case 4 -> List.of("LRANGE", prefix + "list", "0", "-1");
            case 5 -> List.of("LPOS", prefix + "list", "zzz");
            case 6 -> List.of("HGETALL", prefix + "hash");
            case 7 -> List.of("HGETALL", missing);
            case 8 -> List.of("HMGET", prefix + "hash", "f1", "nope", "f3");
            case 9 -> List.of("ZRANGE", prefix + "zset", "0", "-1", "WITHSCORES");
            case 10 -> List.of("ZSCORE", prefix + "zset", random.nextBoolean() ? "b" : "nope");
            case 11 -> List.of("ZRANGEBYSCORE", prefix + "zset", "-inf", "+inf", "WITHSCORES", "LIMIT", "1", "2");
            case 12 -> List.of("ZMSCORE", prefix + "zset", "a", "nope", "c");
            case 13 -> List.of("SMEMBERS", prefix + "ints");
            case 14 -> List.of("SISMEMBER", prefix + "ints", "2");
            case 15 -> List.of("TYPE", prefix + "hash");
            case 16 -> List.of("PING");
            case 17 -> List.of("EXISTS", prefix + "list", missing);
            case 18 -> List.of("HGET", prefix + "list", "f1");
            case 19 -> List.of("ZRANDMEMBER", missing, "2", "WITHSCORES");
            case 20 -> List.of("OBJECT", "ENCODING", prefix + "zset");
            default -> List.of("NOSUCHCOMMAND", "x");
        };
    }
}
