package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.RawConnection;
import io.postbox.it.support.ReferenceRedis;
import io.postbox.it.support.ReplyShape;
import io.postbox.it.support.RespValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random commands on strings, bitmaps, hashes and sets, and on keys of every type (rename, copy,
 * expiry, OBJECT ENCODING), sent to Postbox and to the reference Redis, replies compared byte for byte,
 * with the encoding thresholds changed now and then (CONFIG SET), so that values convert between
 * encodings both ways as Redis converts them. The four keys take any type in turn: every command also
 * meets the other types' keys (WRONGTYPE), missing keys and values that are not numbers. Replies whose
 * order is a hash table's (SMEMBERS of a hashtable set, SINTER, HGETALL of a hashtable hash...) are
 * compared sorted; random picks (SRANDMEMBER, SPOP...) come only with a count of 0, and DUMP payloads
 * are left out (another LZF compressor makes other, equally valid bytes). {@code -Dkeys.seed=<seed>}
 * replays a failing run.
 */
class KeysRandomSideBySideTest {

    private static final int STEPS = 4000;
    /** The thresholds the test changes, and sets back as it found them. */
    private static final List<String> THRESHOLDS = List.of("hash-max-listpack-entries", "hash-max-listpack-value",
            "set-max-intset-entries", "zset-max-listpack-entries");
    private static final String[] THRESHOLD_VALUES = {"0", "1", "3", "64", "128", "512", "-1", "x"};
    private static final String[] ODD_NUMBERS = {"1.5", "-0", "1e3", "inf", "0x10", " 1", "3.0", "9223372036854775807",
            "-9223372036854775808", "1.7976931348623157e308", ""};
    private static final Set<String> HASH_TABLE_ORDER = Set.of("SMEMBERS", "HKEYS", "HVALS");
    private static final Set<String> ALWAYS_UNORDERED = Set.of("SINTER", "SUNION", "SDIFF");

    @Test
    void randomCommandsOnStringsHashesSetsAndKeysReplyAsRedisDoes() throws Exception {
        ReferenceRedis reference = ReferenceRedis.require();
        InJvmPostbox postbox = InJvmPostbox.shared();
        long seed = Long.getLong("keys.seed", new Random().nextLong());
        Random random = new Random(seed);
        String prefix = "random-keys:" + Long.toHexString(seed) + ":";
        String[] keys = {prefix + "a", prefix + "b", prefix + "c", prefix + "d"};
        try (RawConnection redis = new RawConnection(reference.port());
             RawConnection ours = new RawConnection(postbox.port())) {
            Map<String, byte[]> redisThresholds = thresholds(redis);
            Map<String, byte[]> ourThresholds = thresholds(ours);
            try {
                for (int step = 0; step < STEPS; step++) {
                    List<byte[]> command = randomCommand(random, keys);
                    String name = word(command.get(0));
                    List<byte[]> encodingOfKey = args("OBJECT", "ENCODING");
                    encodingOfKey.add(command.get(1));
                    byte[] encoding = redis.call(encodingOfKey);
                    byte[] expected = comparable(name, encoding, redis.call(command));
                    byte[] actual = comparable(name, encoding, ours.call(command));
                    int at = step;
                    assertEquals(ReplyShape.printable(expected), ReplyShape.printable(actual),
                            () -> "seed " + seed + " step " + at + ": " + RawConnection.describe(command)
                                    + "(encoding before: " + ReplyShape.printable(encoding) + " in Redis, "
                                    + encodingIn(ours, encodingOfKey) + " in Postbox after)");
                }
            } finally {
                restore(redis, redisThresholds);
                restore(ours, ourThresholds);
                List<byte[]> delete = args("DEL", keys);
                assertEquals(ReplyShape.printable(redis.call(delete)), ReplyShape.printable(ours.call(delete)));
            }
        }
    }

    private static Map<String, byte[]> thresholds(RawConnection server) throws IOException {
        Map<String, byte[]> values = new HashMap<>();
        for (String threshold : THRESHOLDS) {
            values.put(threshold, RespValue.parse(server.call("CONFIG", "GET", threshold)).element(1).data());
        }
        return values;
    }

    private static void restore(RawConnection server, Map<String, byte[]> thresholds) throws IOException {
        for (Map.Entry<String, byte[]> threshold : thresholds.entrySet()) {
            List<byte[]> set = args("CONFIG", "SET", threshold.getKey());
            set.add(threshold.getValue());
            assertEquals("+OK\r\n", new String(server.call(set), StandardCharsets.ISO_8859_1));
        }
    }

    private static String encodingIn(RawConnection server, List<byte[]> objectEncoding) {
        try {
            return ReplyShape.printable(server.call(objectEncoding));
        } catch (IOException e) {
            return "unknown (" + e + ")";
        }
    }

    /** The reply, its elements sorted where their order is a hash table's (pairs kept together for HGETALL). */
    private static byte[] comparable(String name, byte[] encoding, byte[] reply) {
        boolean hashTable = new String(encoding, StandardCharsets.ISO_8859_1).contains("hashtable");
        boolean unordered = ALWAYS_UNORDERED.contains(name) || hashTable && HASH_TABLE_ORDER.contains(name);
        if (reply[0] != '*' || !(unordered || hashTable && name.equals("HGETALL"))) {
            return reply;
        }
        RespValue array = RespValue.parse(reply);
        Comparator<RespValue> byBytes = (x, y) -> Arrays.compareUnsigned(x.data(), y.data());
        if (!name.equals("HGETALL")) {
            return array.withElements(array.elements().stream().sorted(byBytes).toList()).toBytes();
        }
        List<List<RespValue>> pairs = new ArrayList<>();
        for (int i = 0; i < array.elements().size(); i += 2) {
            pairs.add(array.elements().subList(i, i + 2));
        }
        pairs.sort((x, y) -> byBytes.compare(x.get(0), y.get(0)));
        return array.withElements(pairs.stream().flatMap(List::stream).toList()).toBytes();
    }

    static List<byte[]> randomCommand(Random random, String[] keys) {
        String k = keys[random.nextInt(keys.length)];
        String o = keys[random.nextInt(keys.length)];
        String p = keys[random.nextInt(keys.length)];
        int kind = random.nextInt(56);
        return switch (kind) {
            case 0, 1, 2 -> with(args("SET", k, value(random)), pick(random, List.of(), List.of("NX"), List.of("XX"),
                    List.of("GET"), List.of("KEEPTTL"), List.of("EX", "100"), List.of("PX", "100000"),
                    List.of("NX", "GET"), List.of("EX", "0"), List.of("EX", "-1")));
            case 3 -> args("GET", k);
            case 4 -> args("APPEND", k, value(random));
            case 5 -> args("SETRANGE", k, number(random), value(random));
            case 6 -> args(random.nextBoolean() ? "GETRANGE" : "SUBSTR", k, number(random), number(random));
            case 7 -> args(random.nextBoolean() ? "INCR" : "DECR", k);
            case 8 -> args(random.nextBoolean() ? "INCRBY" : "DECRBY", k,
                    random.nextBoolean() ? number(random) : value(random));
            case 9 -> args("INCRBYFLOAT", k,
                    random.nextBoolean() ? value(random) : pick(random, "0.1", "-1.5", "1e10", "3"));
            case 10 -> args(random.nextBoolean() ? "STRLEN" : "GETDEL", k);
            case 11 -> args(random.nextInt(3) == 0 ? "MSETNX" : "MSET", k, value(random), o, value(random));
            case 12 -> with(args("GETEX", k), pick(random, List.of(), List.of("PERSIST"), List.of("EX", "50")));
            case 13 -> with(args("LCS", k, o), pick(random, List.of(), List.of("LEN"), List.of("IDX"),
                    List.of("IDX", "MINMATCHLEN", "2", "WITHMATCHLEN")));
            case 14 -> args("SETBIT", k, Integer.toString(random.nextInt(300)), pick(random, "0", "1", "2"));
            case 15 -> args("GETBIT", k, number(random));
            case 16 -> with(args("BITCOUNT", k), pick(random, List.of(), List.of(number(random), number(random)),
                    List.of(number(random), number(random), pick(random, "BIT", "BYTE"))));
            case 17 -> with(args("BITPOS", k, pick(random, "0", "1")), pick(random, List.of(), List.of(number(random)),
                    List.of(number(random), number(random), pick(random, "BIT", "BYTE"))));
            case 18 -> args("BITOP", pick(random, "AND", "OR", "XOR", "NOT"), k, o, p);
            case 19 -> args("BITFIELD", k, pick(random, "GET", "INCRBY", "SET"), pick(random, "u8", "i5", "u63", "i64"),
                    pick(random, "0", "#1", "13"), number(random));
            case 20, 21, 22 -> {
                List<byte[]> command = args("HSET", k);
                for (int i = random.nextInt(8) == 0 ? 70 : 1 + random.nextInt(2); i > 0; i--) {
                    command.addAll(List.of(value(random).getBytes(StandardCharsets.ISO_8859_1),
                            value(random).getBytes(StandardCharsets.ISO_8859_1)));
                }
                yield command;
            }
            case 23 -> args(random.nextBoolean() ? "HSETNX" : "HINCRBYFLOAT", k, value(random), value(random));
            case 24 -> args(pick(random, "HGET", "HSTRLEN", "HEXISTS"), k, value(random));
            case 25 -> args(random.nextBoolean() ? "HMGET" : "HDEL", k, value(random), value(random));
            case 26, 27 -> args(pick(random, "HLEN", "HKEYS", "HVALS", "HGETALL"), k);
            case 28 -> args("HINCRBY", k, value(random), random.nextBoolean() ? number(random) : value(random));
            case 29, 30, 31 -> {
                List<byte[]> command = args("SADD", k);
                for (int i = random.nextInt(8) == 0 ? 600 : 1 + random.nextInt(3); i > 0; i--) {
                    command.add(value(random).getBytes(StandardCharsets.ISO_8859_1));
                }
                yield command;
            }
            case 32 -> args(random.nextBoolean() ? "SREM" : "SMISMEMBER", k, value(random), value(random));
            case 33 -> args("SISMEMBER", k, value(random));
            case 34, 35 -> args(pick(random, "SCARD", "SMEMBERS"), k);
            case 36 -> args(pick(random, "SINTER", "SUNION", "SDIFF"), k, o);
            case 37 -> args(pick(random, "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"), k, o, p);
            case 38 -> with(args("SINTERCARD", "2", k, o),
                    random.nextBoolean() ? List.of() : List.of("LIMIT", number(random)));
            case 39 -> args("SMOVE", k, o, value(random));
            case 40 -> args(random.nextBoolean() ? "DEL" : "UNLINK", k, o);
            case 41 -> args(pick(random, "EXISTS", "TYPE", "TOUCH", "PERSIST"), k);
            case 42 -> args("OBJECT", "ENCODING", k);
            case 43 -> args(random.nextBoolean() ? "RENAME" : "RENAMENX", k, o);
            case 44 -> with(args("COPY", k, o), random.nextBoolean() ? List.of() : List.of("REPLACE"));
            case 45 -> with(args(random.nextBoolean() ? "EXPIRE" : "PEXPIRE", k,
                            pick(random, "100000", "1000000", "-1", "0", "x", "9223372036854775807")),
                    pick(random, List.of(), List.of("NX"), List.of("XX"), List.of("GT"), List.of("LT"),
                            List.of("NX", "XX")));
            case 46 -> random.nextBoolean() ? args("SETNX", k, value(random))
                    : args("SETEX", k, pick(random, "10", "0", "-5", "x"), value(random));
            case 47 -> args("MGET", k, o, p);
            case 48 -> args("RPUSH", k, value(random));
            case 49 -> args("ZADD", k, Integer.toString(random.nextInt(5)), value(random));
            case 50 -> args(random.nextBoolean() ? "ZRANGE" : "LRANGE", k, "0", "-1");
            case 51 -> args("CONFIG", "SET", pick(random, THRESHOLDS.toArray(String[]::new)),
                    pick(random, THRESHOLD_VALUES));
            default -> args(pick(random, "HRANDFIELD", "SRANDMEMBER", "SPOP", "ZRANDMEMBER"), k, "0");
        };
    }

    /** Mostly short, often numbers of every kind, now and then long binary text. */
    private static String value(Random random) {
        int kind = random.nextInt(10);
        if (kind < 3) {
            return Integer.toString(random.nextInt(40) - 20);
        }
        if (kind < 4) {
            return pick(random, ODD_NUMBERS);
        }
        if (kind < 8) {
            return "v" + random.nextInt(8);
        }
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(80); i > 0; i--) {
            text.append("abcxyz\0\u00ff".charAt(random.nextInt(8)));
        }
        return text.toString();
    }

    private static String number(Random random) {
        return Integer.toString(switch (random.nextInt(3)) {
            case 0 -> random.nextInt(65) - 5;
            case 1 -> random.nextInt(2000) - 1000;
            default -> random.nextInt(3) - 1;
        });
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static List<byte[]> args(String... words) {
        return RawConnection.command(words);
    }

    private static List<byte[]> args(String first, String[] rest) {
        List<byte[]> command = args(first);
        command.addAll(args(rest));
        return command;
    }

    private static List<byte[]> with(List<byte[]> command, List<String> more) {
        command.addAll(args(more.toArray(String[]::new)));
        return command;
    }

    private static String word(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
    }
}
