package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.RawConnection;
import io.postbox.it.support.RedisServerProcess;
import io.postbox.it.support.ReferenceRedis;
import io.postbox.it.support.ReplyShape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random list commands, sent to Postbox and to the reference Redis, replies compared byte for byte.
 * The case file covers each rule once on small lists; this covers long lists (hundreds of elements
 * per push, so many chunks), elements larger than a chunk, and long chains of mixed edits, where a
 * chunk boundary in the wrong place would show.
 */
class ListsRandomSideBySideTest {

    private static final String[] SIDES = {"LEFT", "RIGHT"};

    @Test
    void randomListCommandsReplyAsRedisDoes() throws Exception {
        ReferenceRedis reference = ReferenceRedis.require();
        InJvmPostbox postbox = InJvmPostbox.shared();
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        String prefix = "random-lists:" + Long.toHexString(seed) + ":";
        String[] keys = {prefix + "a", prefix + "b", prefix + "c"};
        try (RawConnection redis = new RawConnection(reference.port());
             RawConnection ours = new RawConnection(postbox.port())) {
            sendToBoth(redis, ours, random, seed, keys, 4000);
            for (String key : keys) {
                List<byte[]> emptyIt = args("LTRIM", key, "1", "0");
                assertEquals(ReplyShape.printable(redis.call(emptyIt)), ReplyShape.printable(ours.call(emptyIt)));
            }
        }
    }

    /**
     * The same on long lists that both servers loaded from redis-server's RDB file: Postbox keeps their
     * compressed nodes sealed until a command reaches them, so the commands meet sealed nodes at either
     * end, in the middle, and next to nodes already unpacked.
     */
    @Test
    void randomListCommandsOnListsLoadedFromRedisDumpReplyAsRedisDoes(@TempDir Path dir) throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        String[] keys = {"loaded:a", "loaded:b", "loaded:c"};
        try (RedisServerProcess reference = RedisServerProcess.start(dir, "--dbfilename", "dump.rdb");
             RawConnection redis = new RawConnection(reference.port())) {
            for (String key : keys) {
                for (int batch = 0; batch < 10; batch++) {
                    List<byte[]> push = args("RPUSH", key);
                    for (int i = 0; i < 500; i++) {
                        push.add(random.nextInt(4) == 0 ? value(random)
                                : ("job:" + batch + ":" + i).getBytes(StandardCharsets.US_ASCII));
                    }
                    redis.call(push);
                }
            }
            redis.call(args("SAVE"));
            try (InJvmPostbox postbox = InJvmPostbox.start("--dir", dir.toString(), "--dbfilename", "dump.rdb",
                    "--save", "", "--appendonly", "no");
                 RawConnection ours = new RawConnection(postbox.port())) {
                sendToBoth(redis, ours, random, seed, keys, 3000);
            }
        }
    }

    /** Sends {@code steps} random list commands on {@code keys} to both servers; the replies must match. */
    private static void sendToBoth(RawConnection redis, RawConnection ours, Random random, long seed, String[] keys,
                                   int steps) throws IOException {
        for (int step = 0; step < steps; step++) {
            List<byte[]> command = randomCommand(random, keys);
            byte[] expected = redis.call(command);
            byte[] actual = ours.call(command);
            assertEquals(ReplyShape.printable(expected), ReplyShape.printable(actual),
                    "seed " + seed + " step " + step + ": " + RawConnection.describe(command));
        }
    }

    static List<byte[]> randomCommand(Random random, String[] keys) {
        String key = keys[random.nextInt(keys.length)];
        String other = keys[random.nextInt(keys.length)];
        switch (random.nextInt(16)) {
            case 0, 1 -> {
                List<byte[]> command = args(random.nextBoolean() ? "RPUSH" : "LPUSH", key);
                int n = random.nextInt(4) == 0 ? 1 + random.nextInt(600) : 1 + random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    command.add(value(random));
                }
                return command;
            }
            case 2 -> {
                return withValue(args(random.nextBoolean() ? "RPUSHX" : "LPUSHX", key), value(random));
            }
            case 3 -> {
                String name = random.nextBoolean() ? "LPOP" : "RPOP";
                return random.nextBoolean() ? args(name, key) : args(name, key, Integer.toString(random.nextInt(60)));
            }
            case 4 -> {
                return args("LINDEX", key, index(random));
            }
            case 5 -> {
                return withValue(args("LSET", key, index(random)), value(random));
            }
            case 6 -> {
                return args("LRANGE", key, index(random), index(random));
            }
            case 7 -> {
                List<byte[]> command = args("LINSERT", key, random.nextBoolean() ? "BEFORE" : "AFTER");
                command.add(common(random));
                return withValue(command, value(random));
            }
            case 8 -> {
                return withValue(args("LREM", key, Integer.toString(random.nextInt(7) - 3)), common(random));
            }
            case 9 -> {
                return random.nextInt(4) == 0 ? args("LTRIM", key, index(random), index(random)) : args("LLEN", key);
            }
            case 10, 11 -> {
                List<byte[]> command = withValue(args("LPOS", key), common(random));
                if (random.nextBoolean()) {
                    int rank = random.nextInt(7) - 3;
                    command.addAll(args("RANK", Integer.toString(rank == 0 ? 1 : rank)));
                }
                if (random.nextBoolean()) {
                    command.addAll(args("COUNT", Integer.toString(random.nextInt(4))));
                }
                if (random.nextBoolean()) {
                    command.addAll(args("MAXLEN", Integer.toString(random.nextInt(400))));
                }
                return command;
            }
            case 12, 13 -> {
                return args("LMOVE", key, other, SIDES[random.nextInt(2)], SIDES[random.nextInt(2)]);
            }
            case 14 -> {
                return args("RPOPLPUSH", key, other);
            }
            default -> {
                List<byte[]> command = args("LMPOP", "2", key, other, SIDES[random.nextInt(2)]);
                if (random.nextBoolean()) {
                    command.addAll(args("COUNT", Integer.toString(1 + random.nextInt(40))));
                }
                return command;
            }
        }
    }

    /** An index near the list's range: some in range, some negative, some beyond either end. */
    private static String index(Random random) {
        return Integer.toString(random.nextInt(2) == 0 ? random.nextInt(40) - 20 : random.nextInt(3000) - 1500);
    }

    private static byte[] common(Random random) {
        return ("v" + random.nextInt(6)).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Mostly short and repeated; sometimes a few hundred bytes, now and then more than a chunk. */
    private static byte[] value(Random random) {
        int kind = random.nextInt(100);
        if (kind < 50) {
            return common(random);
        }
        int length = kind < 90 ? random.nextInt(24) : kind < 99 ? 100 + random.nextInt(300) : 8193 + random.nextInt(12_000);
        byte[] value = new byte[length];
        for (int i = 0; i < length; i++) {
            value[i] = (byte) ('a' + random.nextInt(26));
        }
        return value;
    }

    private static List<byte[]> args(String... words) {
        return RawConnection.command(words);
    }

    private static List<byte[]> withValue(List<byte[]> command, byte[] value) {
        command.add(value);
        return command;
    }
}
