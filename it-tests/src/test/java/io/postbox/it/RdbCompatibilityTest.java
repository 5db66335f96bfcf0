package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.Commands;
import io.postbox.commands.Engine;
import io.postbox.commands.config.Config;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.hashes.HashLimits;
import io.postbox.commands.hashes.HashValue;
import io.postbox.commands.keyspace.TypedValue;
import io.postbox.commands.lists.PackedList;
import io.postbox.commands.sets.SetValue;
import io.postbox.commands.zsets.SortedSet;
import io.postbox.commands.zsets.SortedSetLoader;
import io.postbox.resp.DoubleFormat;
import io.postbox.it.support.KeyspaceContents;
import io.postbox.it.support.RedisServerProcess;
import io.postbox.it.support.Subprocess;
import io.postbox.persistence.SnapshotJob;
import io.postbox.persistence.rdb.SnapshotReader;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Postbox's RDB files and Redis 7.0's are interchangeable: ours passes redis-check-rdb and loads in
 * redis-server with the same contents and encodings, and redis-server's dump.rdb loads in Postbox with
 * the same contents and encodings. Data of every type Postbox has (strings, lists, hashes, sets, sorted sets),
 * small and large (listpack and table hashes, intset and table sets, listpack and skip-list sorted
 * sets, with every kind of score), integer and compressible
 * strings, TTLs, several databases.
 */
class RdbCompatibilityTest {

    @TempDir
    Path dir;

    @Test
    void postboxSnapshotPassesRedisCheckRdbAndLoadsInRedisWithIdenticalContents() throws Exception {
        Engine engine = new Engine(new Config(), Commands.groups());
        fill(engine, new Random(42));
        Map<String, String> expected = contents(engine);
        Path file = dir.resolve("dump.rdb");
        SnapshotJob.writeNow(engine, new SnapshotJob.Options(file, dir.resolve("temp.rdb"), true, true, true, false));

        Subprocess.Result check = RedisServerProcess.tool("redis-check-rdb", file.toString());
        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("RDB looks OK"), check.output());

        try (RedisServerProcess redis = RedisServerProcess.start(dir, "--dbfilename", "dump.rdb");
             Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            Map<String, String> loaded = KeyspaceContents.withEncodings(jedis, 16);
            assertEquals(expected.size(), loaded.size());
            KeyspaceContents.assertSame(expected, loaded);
        }
    }

    @Test
    void redisDumpLoadsInPostboxWithIdenticalContents() throws Exception {
        Map<String, String> expected;
        try (RedisServerProcess redis = RedisServerProcess.start(dir, "--dbfilename", "dump.rdb");
             Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            populate(jedis, new Random(7));
            expected = KeyspaceContents.withEncodings(jedis, 16);
            assertEquals("OK", jedis.save());
        }
        Engine engine = new Engine(new Config(), Commands.groups());
        SnapshotReader.Result result;
        try (InputStream in = Files.newInputStream(dir.resolve("dump.rdb"))) {
            result = new SnapshotReader(engine, true, true, line -> { }).load(in, "dump.rdb");
        }
        assertEquals(expected.size(), result.keysLoaded());
        Map<String, String> loaded = contents(engine);
        KeyspaceContents.assertSame(expected, loaded);
    }

    /** Through commands, as users fill Redis: DEBUG POPULATE, RPUSH of small and large lists, TTLs. */
    private static void populate(Jedis jedis, Random random) {
        jedis.select(0);
        jedis.sendCommand(() -> "DEBUG".getBytes(StandardCharsets.US_ASCII), "POPULATE", "2000", "key", "30");
        for (int db : new int[] {0, 3, 15}) {
            jedis.select(db);
            for (int i = 0; i < 300; i++) {
                byte[] key = ("k" + db + ":" + i).getBytes(StandardCharsets.ISO_8859_1);
                switch (i % 10) {
                    case 0 -> jedis.set(key, value(random, i));
                    case 1 -> jedis.set(key, Long.toString(random.nextLong() >> random.nextInt(64)).getBytes());
                    case 2 -> jedis.set(key, "compress me ".repeat(50 + i).getBytes());
                    case 3 -> {
                        int fields = i % 27 == 3 ? 1000 : 1 + random.nextInt(20);
                        for (int f = 0; f < fields; f++) {
                            jedis.hset(key, ("field" + f).getBytes(), value(random, f));
                        }
                    }
                    case 4 -> {
                        int members = i % 27 == 4 ? 2000 : 1 + random.nextInt(20);
                        for (int m = 0; m < members; m++) {
                            jedis.sadd(key, Long.toString(random.nextLong() >> random.nextInt(64)).getBytes());
                        }
                    }
                    case 5 -> {
                        for (int m = 0; m < 1 + random.nextInt(30); m++) {
                            jedis.sadd(key, value(random, m + 1));
                        }
                    }
                    case 6 -> {
                        int members = i % 27 == 6 ? 500 : 1 + random.nextInt(30);
                        for (int m = 0; m < members; m++) {
                            jedis.zadd(key, score(random), value(random, m + 1));
                        }
                    }
                    default -> {
                        int size = i % 50 == 3 ? 20_000 : 1 + random.nextInt(40);
                        List<byte[]> elements = new ArrayList<>();
                        for (int e = 0; e < size; e++) {
                            elements.add(value(random, e));
                        }
                        for (int from = 0; from < elements.size(); from += 1000) {
                            jedis.rpush(key, elements.subList(from, Math.min(from + 1000, elements.size())).toArray(new byte[0][]));
                        }
                    }
                }
                if (i % 4 == 0) {
                    jedis.pexpireAt(key, System.currentTimeMillis() + 3_600_000 + random.nextInt(1_000_000));
                }
            }
        }
        jedis.select(0);
        jedis.rpush("big-elements", "x".repeat(20_000), "y".repeat(100_000), "small");
    }

    /** Integral, fractional, tiny, huge, negative zero and infinite scores. */
    private static double score(Random random) {
        return switch (random.nextInt(7)) {
            case 0 -> random.nextInt(1000);
            case 1 -> random.nextDouble() * 1e6 - 5e5;
            case 2 -> random.nextDouble() * 1e-300;
            case 3 -> random.nextLong() * 1e10;
            case 4 -> -0.0;
            case 5 -> random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            default -> 1_700_000_000_000L + random.nextInt(1000);
        };
    }

    private static byte[] value(Random random, int i) {
        switch (i % 5) {
            case 0:
                return Integer.toString(random.nextInt(100_000) - 50_000).getBytes();
            case 1: {
                byte[] binary = new byte[random.nextInt(70)];
                random.nextBytes(binary);
                return binary;
            }
            case 2:
                return "repeated-text-".repeat(1 + random.nextInt(30)).getBytes();
            case 3:
                return Long.toString(random.nextLong()).getBytes();
            default:
                return ("element-" + i).getBytes();
        }
    }

    /** The same variety, straight into an engine's databases. */
    private static void fill(Engine engine, Random random) {
        for (int db : new int[] {0, 1, 9, 15}) {
            Database database = engine.database(db);
            for (int i = 0; i < 400; i++) {
                byte[] key = ("k" + db + ":" + i).getBytes(StandardCharsets.ISO_8859_1);
                if (i % 5 == 0) {
                    database.set(key, value(random, i));
                } else if (i % 5 == 1) {
                    HashValue hash = new HashValue();
                    int fields = i % 50 == 1 ? 1000 : 1 + random.nextInt(20);
                    for (int f = 0; f < fields; f++) {
                        hash.put(("field" + f).getBytes(), value(random, f), HashLimits.of(engine.config()));
                    }
                    database.set(key, hash);
                } else if (i % 10 == 3) {
                    int members = i % 50 == 3 ? 500 : 1 + random.nextInt(30);
                    SortedSetLoader loader = new SortedSetLoader(engine.config());
                    for (int m = 0; m < members; m++) {
                        loader.add(("member" + m).getBytes(), score(random));
                    }
                    database.set(key, loader.finish());
                } else if (i % 5 == 2) {
                    boolean integers = i % 10 == 2;
                    byte[] first = integers ? "1".getBytes() : "one".getBytes();
                    SetValue set = SetValue.startingWith(first);
                    set.add(first, 512);
                    int members = i % 50 == 2 ? 2000 : 1 + random.nextInt(20);
                    for (int m = 0; m < members; m++) {
                        set.add(integers ? Long.toString(random.nextLong() >> random.nextInt(64)).getBytes()
                                : value(random, m + 1), 512);
                    }
                    database.set(key, set);
                } else {
                    PackedList list = new PackedList();
                    int size = i % 40 == 1 ? 30_000 : 1 + random.nextInt(30);
                    for (int e = 0; e < size; e++) {
                        list.push(PackedList.End.TAIL, value(random, e));
                    }
                    database.set(key, list);
                }
                if (i % 5 == 0) {
                    database.expireAt(key, System.currentTimeMillis() + 3_600_000 + random.nextInt(1_000_000));
                }
            }
        }
        PackedList big = new PackedList();
        big.push(PackedList.End.TAIL, "x".repeat(20_000).getBytes());
        big.push(PackedList.End.TAIL, "y".repeat(100_000).getBytes());
        big.push(PackedList.End.TAIL, "".getBytes());
        engine.database(0).set("big-elements".getBytes(), big);
        engine.database(0).set("empty".getBytes(), new byte[0]);
        engine.database(0).set("min".getBytes(), Long.toString(Long.MIN_VALUE).getBytes());
    }

    /** An engine's contents in {@link KeyspaceContents}'s form. */
    private static Map<String, String> contents(Engine engine) {
        Map<String, String> all = new TreeMap<>();
        for (int db = 0; db < engine.databaseCount(); db++) {
            Database database = engine.database(db);
            List<byte[]> keys = new ArrayList<>();
            database.forEachLiveKey(keys::add);
            for (byte[] key : keys) {
                Object value = database.getWithoutTouch(key);
                String encoding = TypedValue.encoding(value);
                String text;
                if (value instanceof byte[] bytes) {
                    text = "string:" + encoding + ":" + KeyspaceContents.text(bytes);
                } else if (value instanceof HashValue hash) {
                    List<String> pairs = new ArrayList<>();
                    hash.forEach((f, v) -> pairs.add(KeyspaceContents.text(f) + "=" + KeyspaceContents.text(v)));
                    text = "hash:" + encoding + ":" + pairs.stream().sorted().toList();
                } else if (value instanceof SortedSet zset) {
                    StringBuilder entries = new StringBuilder();
                    zset.visitAll((m, score) -> entries.append(KeyspaceContents.text(m)).append('=')
                            .append(DoubleFormat.g17(score)).append(','));
                    text = "zset:" + encoding + ":" + entries;
                } else if (value instanceof SetValue set) {
                    List<String> members = new ArrayList<>();
                    set.forEach(m -> members.add(KeyspaceContents.text(m)));
                    text = "set:" + encoding + ":" + members.stream().sorted().toList();
                } else {
                    List<String> elements = new ArrayList<>();
                    PackedList.Cursor cursor = ((PackedList) value).cursor(0);
                    while (cursor.hasElement()) {
                        elements.add(KeyspaceContents.text(cursor.value()));
                        cursor.step(PackedList.End.TAIL);
                    }
                    text = "list:" + encoding + ":" + String.join(",", elements);
                }
                all.put(db + ":" + KeyspaceContents.text(key), text + "|" + database.expireAt(key));
            }
        }
        return all;
    }
}
