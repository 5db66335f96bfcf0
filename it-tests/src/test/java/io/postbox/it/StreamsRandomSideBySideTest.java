package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.RawConnection;
import io.postbox.it.support.ReferenceRedis;
import io.postbox.it.support.ReplyShape;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random stream and consumer-group commands, sent to Postbox and to the reference Redis, replies
 * compared byte for byte, in RESP2 and RESP3. Streams are how some frameworks hand out work (a group
 * reads, acknowledges, claims what a dead consumer left); the case files cover each rule once, this
 * covers long mixed chains of them: explicit and partial IDs colliding with the last one, trims by
 * length and by ID, deletions under a group's pending entries, claims of deleted entries, groups
 * created, moved and destroyed midway, and one key of the wrong type.
 *
 * <p>IDs are explicit (or {@code ms-*}), never {@code *}: the clocks of two servers differ. Left out
 * because they are not a function of the commands: idle times (XPENDING's extended form, XINFO
 * CONSUMERS) and XINFO STREAM's {@code radix-tree-nodes}, the node count of Redis's radix tree.
 */
class StreamsRandomSideBySideTest {

    private static final String[] SPECIAL_IDS = {"-", "+", "$", ">", "0", "0-0", "(3-1", "3-*", "abc", "1-",
            "-1", "18446744073709551615-18446744073709551615", "1-18446744073709551616"};
    /** Steps per millisecond of the IDs XADD is given: the streams' time runs with the steps. */
    private static final int IDS_PER_MILLISECOND = 6;
    private static final String[] GROUPS = {"g1", "g2"};
    private static final String[] CONSUMERS = {"c1", "c2"};

    /**
     * Fixed seeds, so a run in CI is the same every time (a new seed each run would fail CI on
     * differences nobody has seen yet). Seeds 12, 23, 43, 52, 77 and 80 each found range walks taking
     * deleted entries for the end of the range after an XSETID back (XRANGE, XREVRANGE, XDEL,
     * XAUTOCLAIM and XREADGROUP replies); seeds 1 to 80 all passed once that was fixed.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 12, 23, 43, 52, 77, 80})
    void randomStreamCommandsReplyAsRedisDoes(long seed) throws Exception {
        ReferenceRedis reference = ReferenceRedis.require();
        InJvmPostbox postbox = InJvmPostbox.shared();
        Random random = new Random(seed);
        String prefix = "random-streams:" + Long.toHexString(seed) + ":";
        String[] keys = {prefix + "a", prefix + "b", prefix + "string"};
        try (RawConnection redis = new RawConnection(reference.port());
             RawConnection ours = new RawConnection(postbox.port())) {
            List<byte[]> setString = args("SET", keys[2], "not a stream");
            assertEquals(ReplyShape.printable(redis.call(setString)), ReplyShape.printable(ours.call(setString)));
            for (int step = 0; step < 4000; step++) {
                boolean switchProtocol = random.nextInt(50) == 0;
                List<byte[]> command = switchProtocol
                        ? args("HELLO", random.nextBoolean() ? "2" : "3")
                        : randomCommand(random, keys, step / IDS_PER_MILLISECOND);
                byte[] expected = redis.call(command);
                byte[] actual = ours.call(command);
                if (switchProtocol) {
                    continue; // HELLO's reply names the connection's id, which differs between the servers.
                }
                assertEquals(ReplyShape.printable(expected), ReplyShape.printable(actual),
                        "seed " + seed + " step " + step + ": " + String.join(" ", text(command)));
            }
            List<byte[]> cleanUp = args("DEL", keys[0], keys[1], keys[2]);
            assertEquals(ReplyShape.printable(redis.call(cleanUp)), ReplyShape.printable(ours.call(cleanUp)));
        }
    }

    static List<byte[]> randomCommand(Random random, String[] keys, int now) {
        String key = keys[random.nextInt(10) == 0 ? 2 : random.nextInt(2)];
        String group = GROUPS[random.nextInt(GROUPS.length)];
        String consumer = CONSUMERS[random.nextInt(CONSUMERS.length)];
        switch (random.nextInt(24)) {
            case 0, 1, 2, 3, 4, 5 -> {
                List<byte[]> command = args("XADD", key);
                if (random.nextInt(12) == 0) {
                    command.addAll(args("NOMKSTREAM"));
                }
                if (random.nextInt(6) == 0) {
                    command.addAll(trim(random, now));
                }
                command.addAll(args(random.nextInt(8) == 0 ? id(random, now) : newId(random, now)));
                for (int i = 0, n = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(3); i < n; i++) {
                    command.addAll(args("f" + random.nextInt(3), "v" + random.nextInt(100)));
                }
                return command;
            }
            case 6, 7 -> {
                List<byte[]> command = args(random.nextBoolean() ? "XRANGE" : "XREVRANGE", key, id(random, now), id(random, now));
                return random.nextBoolean() ? command : with(command, "COUNT", count(random));
            }
            case 8 -> {
                return args("XLEN", key);
            }
            case 9 -> {
                return args("XDEL", key, id(random, now), id(random, now));
            }
            case 10 -> {
                List<byte[]> command = args("XTRIM", key);
                command.addAll(trim(random, now));
                return command;
            }
            case 11 -> {
                List<byte[]> command = random.nextBoolean() ? args("XREAD") : args("XREAD", "COUNT", count(random));
                return with(command, "STREAMS", keys[0], keys[1], id(random, now), id(random, now));
            }
            case 12 -> {
                // Back as well as forward: back on an emptied stream, later IDs follow higher deleted
                // entries in a node, where range walks must find them as Redis's do.
                List<byte[]> command = args("XSETID", key, Math.max(0, now + random.nextInt(40) - 30) + "-" + random.nextInt(4));
                return random.nextInt(4) == 0 ? with(command, "ENTRIESADDED", count(random), "MAXDELETEDID", id(random, now)) : command;
            }
            case 13, 14 -> {
                return group(random, key, group, consumer, now);
            }
            case 15, 16, 17 -> {
                List<byte[]> command = args("XREADGROUP", "GROUP", group, consumer);
                if (random.nextBoolean()) {
                    command.addAll(args("COUNT", count(random)));
                }
                if (random.nextInt(6) == 0) {
                    command.addAll(args("NOACK"));
                }
                return with(command, "STREAMS", key, random.nextInt(3) == 0 ? id(random, now) : random.nextBoolean() ? ">" : "0");
            }
            case 18, 19 -> {
                return args("XACK", key, group, id(random, now), id(random, now));
            }
            case 20 -> {
                return args("XPENDING", key, group);
            }
            case 21 -> {
                List<byte[]> command = args("XCLAIM", key, group, consumer, "0", id(random, now), id(random, now));
                if (random.nextBoolean()) {
                    command.addAll(args("JUSTID"));
                }
                if (random.nextInt(4) == 0) {
                    command.addAll(args("FORCE"));
                }
                if (random.nextInt(4) == 0) {
                    command.addAll(args("RETRYCOUNT", count(random)));
                }
                if (random.nextInt(4) == 0) {
                    command.addAll(args("LASTID", id(random, now)));
                }
                return command;
            }
            case 22 -> {
                List<byte[]> command = args("XAUTOCLAIM", key, group, consumer, "0", id(random, now));
                if (random.nextBoolean()) {
                    command.addAll(args("COUNT", count(random)));
                }
                return random.nextBoolean() ? with(command, "JUSTID") : command;
            }
            default -> {
                return args("XINFO", "GROUPS", key);
            }
        }
    }

    private static List<byte[]> group(Random random, String key, String group, String consumer, int now) {
        switch (random.nextInt(6)) {
            case 0, 1 -> {
                List<byte[]> command = args("XGROUP", "CREATE", key, group, random.nextBoolean() ? "$" : id(random, now));
                if (random.nextInt(3) == 0) {
                    command.addAll(args("MKSTREAM"));
                }
                return random.nextInt(4) == 0 ? with(command, "ENTRIESREAD", count(random)) : command;
            }
            case 2 -> {
                return args("XGROUP", "SETID", key, group, id(random, now));
            }
            case 3 -> {
                return args("XGROUP", "DESTROY", key, group);
            }
            case 4 -> {
                return args("XGROUP", "CREATECONSUMER", key, group, consumer);
            }
            default -> {
                return args("XGROUP", "DELCONSUMER", key, group, consumer);
            }
        }
    }

    /** MAXLEN or MINID, exact or approximate, sometimes with a LIMIT (allowed only with ~). */
    private static List<byte[]> trim(Random random, int now) {
        boolean byLength = random.nextBoolean();
        List<byte[]> trim = args(byLength ? "MAXLEN" : "MINID");
        int how = random.nextInt(3);
        if (how > 0) {
            trim.addAll(args(how == 1 ? "=" : "~"));
        }
        trim.addAll(args(byLength ? count(random) : id(random, now)));
        return random.nextInt(5) == 0 ? with(trim, "LIMIT", count(random)) : trim;
    }

    /** An ID for XADD: mostly new ones at the streams' time, sometimes behind it, or partial. */
    private static String newId(Random random, int now) {
        int ms = Math.max(0, now + random.nextInt(4) - 1);
        return random.nextInt(5) == 0 ? ms + "-*" : random.nextInt(4) == 0 ? Integer.toString(ms) : ms + "-" + random.nextInt(4);
    }

    /** An ID argument: mostly in the streams' recent range, else special forms and invalid ones. */
    private static String id(Random random, int now) {
        if (random.nextInt(4) == 0) {
            return SPECIAL_IDS[random.nextInt(SPECIAL_IDS.length)];
        }
        String id = Math.max(0, now - random.nextInt(30)) + (random.nextBoolean() ? "" : "-" + random.nextInt(4));
        return random.nextInt(8) == 0 ? "(" + id : id;
    }

    private static String count(Random random) {
        return Integer.toString(random.nextInt(12) == 0 ? random.nextInt(3) - 2 : random.nextInt(12));
    }

    private static List<byte[]> args(String... words) {
        return RawConnection.command(words);
    }

    private static List<byte[]> with(List<byte[]> command, String... words) {
        command.addAll(args(words));
        return command;
    }

    private static List<String> text(List<byte[]> command) {
        List<String> words = new ArrayList<>();
        for (byte[] arg : command) {
            words.add(new String(arg, StandardCharsets.ISO_8859_1));
        }
        return words;
    }
}
