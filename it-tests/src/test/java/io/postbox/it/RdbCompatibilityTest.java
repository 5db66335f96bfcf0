package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.Commands;
import io.postbox.commands.Engine;
import io.postbox.commands.config.Config;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.hashes.HashLimits;
import io.postbox.commands.hashes.HashValue;
import io.postbox.commands.lists.PackedList;
import io.postbox.commands.sets.SetValue;
import io.postbox.commands.streams.PendingEntry;
import io.postbox.commands.streams.StreamConsumer;
import io.postbox.commands.streams.StreamGroup;
import io.postbox.commands.streams.StreamId;
import io.postbox.commands.streams.StreamValue;
import io.postbox.commands.zsets.SortedSet;
import io.postbox.commands.zsets.SortedSetLoader;
import io.postbox.resp.DoubleFormat;
import io.postbox.it.support.KeyspaceContents;
import io.postbox.it.support.PackagedPostbox;
import io.postbox.it.support.RedisServerProcess;
import io.postbox.it.support.ReferenceRedis;
import io.postbox.it.support.Subprocess;
import io.postbox.persistence.SnapshotJob;
import io.postbox.persistence.rdb.Crc64;
import io.postbox.persistence.rdb.SnapshotReader;
import java.io.ByteArrayOutputStream;
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
 * the same contents and encodings. Data of every type Postbox has (strings, lists, hashes, sets, sorted sets,
 * streams with consumer groups),
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

    /**
     * A list loaded from redis-server's file keeps its compressed nodes sealed until a command reaches
     * them, and a snapshot taken before then writes them as they were read: that file too passes
     * redis-check-rdb and loads in redis-server with the same contents, with and without rdbcompression.
     */
    @Test
    void redisListsSavedBackBeforeAnythingReachesThemLoadInRedis() throws Exception {
        Path redisDir = Files.createDirectories(dir.resolve("redis"));
        Map<String, String> expected;
        try (RedisServerProcess redis = RedisServerProcess.start(redisDir, "--dbfilename", "dump.rdb");
             Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            populate(jedis, new Random(11));
            for (int from = 0; from < 30_000; from += 1000) {
                List<String> batch = new ArrayList<>();
                for (int i = from; i < from + 1000; i++) {
                    batch.add(i % 3 == 0 ? Integer.toString(i * 7919) : "job:" + i + ":" + "payload".repeat(i % 5));
                }
                jedis.rpush("queue", batch.toArray(new String[0]));
            }
            expected = KeyspaceContents.withEncodings(jedis, 16);
            assertEquals("OK", jedis.save());
        }
        for (boolean compression : new boolean[] {true, false}) {
            Engine engine = new Engine(new Config(), Commands.groups());
            try (InputStream in = Files.newInputStream(redisDir.resolve("dump.rdb"))) {
                new SnapshotReader(engine, true, true, line -> { }).load(in, "dump.rdb");
            }
            Path saved = Files.createDirectories(dir.resolve("postbox-" + compression));
            SnapshotJob.writeNow(engine, new SnapshotJob.Options(saved.resolve("dump.rdb"), saved.resolve("temp.rdb"),
                    compression, true, true, false));

            Subprocess.Result check = RedisServerProcess.tool("redis-check-rdb", saved.resolve("dump.rdb").toString());
            assertEquals(0, check.exitCode(), check.output());
            try (RedisServerProcess redis = RedisServerProcess.start(saved, "--dbfilename", "dump.rdb");
                 Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
                KeyspaceContents.assertSame(expected, KeyspaceContents.withEncodings(jedis, 16));
            }
        }
    }

    /**
     * A dump whose checksum matches a list node its writer miscounted: with sanitize-dump-payload yes
     * both servers refuse to start on it, with Redis's error text; with no, both load it and trust the
     * node's header (Postbox keeps the node sealed until a command reaches it).
     */
    @Test
    void sanitizeDumpPayloadYesRefusesAMiscountedNodeAsRedisDoes() throws Exception {
        Path redisDir = Files.createDirectories(dir.resolve("redis"));
        try (RedisServerProcess redis = RedisServerProcess.start(redisDir, "--dbfilename", "dump.rdb");
             Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            for (int from = 0; from < 20_000; from += 1000) {
                List<String> batch = new ArrayList<>();
                for (int i = from; i < from + 1000; i++) {
                    batch.add("message-" + i);
                }
                jedis.rpush("queue", batch.toArray(new String[0]));
            }
            assertEquals("OK", jedis.save());
        }
        Path file = redisDir.resolve("dump.rdb");
        Files.write(file, withFirstNodeMiscounted(Files.readAllBytes(file)));
        // A free port: redis-server listening nowhere exits before it loads anything.
        String[] load = {"--port", Integer.toString(ReferenceRedis.freePort()), "--dir", redisDir.toString(),
                "--dbfilename", "dump.rdb", "--save", "", "--sanitize-dump-payload", "yes"};

        Subprocess.Result redis = RedisServerProcess.tool("redis-server", load);
        Subprocess.Result postbox = PackagedPostbox.runToExit(load);
        for (Subprocess.Result refused : List.of(redis, postbox)) {
            assertEquals(1, refused.exitCode(), refused.output());
            assertTrue(refused.output().contains("Listpack integrity check failed"), refused.output());
            assertTrue(refused.output().strip().endsWith("# Terminating server after rdb file reading failure."),
                    refused.output());
        }

        Path postboxDir = Files.createDirectories(dir.resolve("postbox"));
        try (RedisServerProcess trusting = RedisServerProcess.start(redisDir, "--dbfilename", "dump.rdb");
             Jedis fromRedis = new Jedis("127.0.0.1", trusting.port());
             PackagedPostbox ours = PackagedPostbox.start(postboxDir, "--dir", redisDir.toString(), "--save", "");
             Jedis fromPostbox = new Jedis("127.0.0.1", ours.port())) {
            assertEquals(20_001, fromRedis.llen("queue"));
            assertEquals(fromRedis.llen("queue"), fromPostbox.llen("queue"));
        }
    }

    /**
     * Hashes of RDB files from before Redis 2.6 are zipmaps (type 9): redis-server 7 loads them as
     * hashes, a listpack or a table by the hash-max-listpack limits, and so does Postbox. The file is
     * built by hand (an RDB version 3 file, with no checksum), as no Redis that writes it is at hand.
     */
    @Test
    void zipmapHashesOfOldRdbFilesLoadAsRedisLoadsThem() throws Exception {
        byte[] file = oldRdbWithZipmaps();
        Path redisDir = Files.createDirectories(dir.resolve("redis"));
        Path postboxDir = Files.createDirectories(dir.resolve("postbox"));
        Files.write(redisDir.resolve("dump.rdb"), file);
        Files.write(postboxDir.resolve("dump.rdb"), file);
        try (RedisServerProcess redis = RedisServerProcess.start(redisDir, "--dbfilename", "dump.rdb");
             Jedis fromRedis = new Jedis("127.0.0.1", redis.port());
             PackagedPostbox ours = PackagedPostbox.start(postboxDir, "--dir", postboxDir.toString(), "--save", "");
             Jedis fromPostbox = new Jedis("127.0.0.1", ours.port())) {
            assertEquals(Map.of("job", "send-mail", "tries", "3"), fromRedis.hgetAll("small"), "the reference");
            for (String key : List.of("small", "long-value")) {
                assertEquals(fromRedis.hgetAll(key), fromPostbox.hgetAll(key));
                assertEquals(fromRedis.objectEncoding(key), fromPostbox.objectEncoding(key));
            }
            assertEquals("hashtable", fromPostbox.objectEncoding("long-value"));
        }
    }

    /** An RDB version 3 file holding two zipmap hashes, one with a value past hash-max-listpack-value. */
    private static byte[] oldRdbWithZipmaps() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("REDIS0003".getBytes(StandardCharsets.US_ASCII));
        zipmapHash(out, "small", "job", "send-mail", "tries", "3");
        zipmapHash(out, "long-value", "body", "x".repeat(100));
        out.write(0xff);
        return out.toByteArray();
    }

    private static void zipmapHash(ByteArrayOutputStream out, String key, String... pairs) {
        ByteArrayOutputStream zipmap = new ByteArrayOutputStream();
        zipmap.write(pairs.length / 2);
        for (int i = 0; i < pairs.length; i += 2) {
            byte[] field = pairs[i].getBytes(StandardCharsets.US_ASCII);
            byte[] value = pairs[i + 1].getBytes(StandardCharsets.US_ASCII);
            zipmap.write(field.length);
            zipmap.writeBytes(field);
            zipmap.write(value.length);
            zipmap.write(0); // no free bytes after the value
            zipmap.writeBytes(value);
        }
        zipmap.write(0xff);
        out.write(9); // RDB_TYPE_HASH_ZIPMAP
        rdbString(out, key.getBytes(StandardCharsets.US_ASCII));
        rdbString(out, zipmap.toByteArray());
    }

    /** An RDB string with its length in one byte (below 64) or two (below 16384). */
    private static void rdbString(ByteArrayOutputStream out, byte[] bytes) {
        if (bytes.length < 64) {
            out.write(bytes.length);
        } else {
            out.write(0x40 | bytes.length >>> 8);
            out.write(bytes.length & 0xff);
        }
        out.writeBytes(bytes);
    }

    /**
     * {@code file} with one more element in the count of its first list node's header (the header and
     * the first element are that node's first literal run, so the element's text finds them), and its
     * CRC-64 trailer made to match.
     */
    private static byte[] withFirstNodeMiscounted(byte[] file) {
        int at = new String(file, StandardCharsets.ISO_8859_1).indexOf("message-0");
        file[at - 1 - 2]++; // before the element: its one-byte header, and before that the count's two bytes
        long crc = Crc64.update(0, file, 0, file.length - 8);
        for (int i = 0; i < 8; i++) {
            file[file.length - 8 + i] = (byte) (crc >>> (8 * i));
        }
        return file;
    }

    /** Through commands, as users fill Redis: DEBUG POPULATE, RPUSH of small and large lists, TTLs. */
    static void populate(Jedis jedis, Random random) {
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
        populateStreams(jedis, random);
    }

    /** Streams of several nodes, deleted entries, varied fields, groups with pending entries, an empty stream. */
    private static void populateStreams(Jedis jedis, Random random) {
        for (int i = 1; i <= 250; i++) {
            command(jedis, "XADD", "stream:plain", i + "-" + (i % 3), "job", "n" + i, "attempt", Integer.toString(i % 4));
        }
        command(jedis, "XDEL", "stream:plain", "3-0", "100-1", "101-2");
        command(jedis, "XGROUP", "CREATE", "stream:plain", "workers", "0");
        command(jedis, "XGROUP", "CREATE", "stream:plain", "idle", "$");
        command(jedis, "XREADGROUP", "GROUP", "workers", "alice", "COUNT", "20", "STREAMS", "stream:plain", ">");
        command(jedis, "XREADGROUP", "GROUP", "workers", "bob", "COUNT", "5", "STREAMS", "stream:plain", ">");
        command(jedis, "XACK", "stream:plain", "workers", "1-1", "2-2");
        command(jedis, "XGROUP", "CREATECONSUMER", "stream:plain", "workers", "carol");
        for (int i = 0; i < 40; i++) {
            byte[] value = value(random, i);
            jedis.sendCommand(() -> "XADD".getBytes(StandardCharsets.US_ASCII), "stream:mixed".getBytes(),
                    ((1_700_000_000_000L + i * 977L) + "-" + random.nextInt(5)).getBytes(),
                    ("f" + (i % 3)).getBytes(), value, "g".getBytes(), value(random, i + 1));
        }
        command(jedis, "XGROUP", "CREATE", "stream:empty", "g", "$", "MKSTREAM");
        command(jedis, "XSETID", "stream:empty", "5-5", "ENTRIESADDED", "9", "MAXDELETEDID", "5-1");
    }

    private static void command(Jedis jedis, String... args) {
        jedis.sendCommand(() -> args[0].getBytes(StandardCharsets.US_ASCII),
                java.util.Arrays.copyOfRange(args, 1, args.length));
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
        fillStreams(engine, random);
    }

    /** The stream shapes of {@link #populateStreams}, built directly: nodes, deletions, groups, an empty stream. */
    private static void fillStreams(Engine engine, Random random) {
        StreamValue plain = new StreamValue();
        for (int i = 1; i <= 250; i++) {
            plain.append(new StreamId(i, i % 3), new byte[][] {"job".getBytes(), ("n" + i).getBytes(),
                    "attempt".getBytes(), Integer.toString(i % 4).getBytes()}, 4096, 100);
        }
        for (StreamId id : List.of(new StreamId(3, 0), new StreamId(100, 1))) {
            plain.delete(id);
            plain.maxDeletedId = id;
        }
        StreamGroup workers = new StreamGroup("workers", new StreamId(20, 2), 20);
        StreamConsumer alice = workers.addConsumer("alice", 1_700_000_000_123L);
        workers.addConsumer("carol", 1_700_000_000_456L);
        for (int i = 4; i <= 20; i++) {
            PendingEntry entry = new PendingEntry(alice, 1_700_000_000_000L + i, 1 + i % 3);
            workers.pending.put(new StreamId(i, i % 3), entry);
            alice.pending.put(new StreamId(i, i % 3), entry);
        }
        plain.groups.put("workers", workers);
        plain.groups.put("idle", new StreamGroup("idle", plain.lastId, StreamGroup.UNKNOWN_READS));
        engine.database(0).set("stream:plain".getBytes(), plain);

        StreamValue mixed = new StreamValue();
        for (int i = 0; i < 40; i++) {
            mixed.append(new StreamId(-1L - 40 + i, random.nextInt(5)), new byte[][] {("f" + (i % 3)).getBytes(),
                    value(random, i), "g".getBytes(), value(random, i + 1)}, 4096, 100);
        }
        engine.database(1).set("stream:mixed".getBytes(), mixed);

        StreamValue empty = new StreamValue();
        empty.lastId = new StreamId(5, 5);
        empty.entriesAdded = 9;
        empty.maxDeletedId = new StreamId(5, 1);
        empty.groups.put("g", new StreamGroup("g", new StreamId(5, 5), 9));
        engine.database(0).set("stream:empty".getBytes(), empty);
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
                String encoding = database.encoding(key);
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
                } else if (value instanceof StreamValue stream) {
                    text = "stream:" + encoding + ":" + KeyspaceContents.stream(stream);
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
