package io.postbox.it;

import static io.postbox.it.SnapshotPersistenceTest.command;
import static io.postbox.it.SnapshotPersistenceTest.info;
import static io.postbox.it.SnapshotPersistenceTest.jedis;
import static io.postbox.it.SnapshotPersistenceTest.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.AppendOnlyLog;
import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.InfoFields;
import io.postbox.it.support.KeyspaceContents;
import io.postbox.it.support.RedisServerProcess;
import io.postbox.it.support.Subprocess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.SafeEncoder;

/** The append-only file as users see it: what survives a restart, rewrites, torn tails, and Redis's tools. */
class AppendOnlyFileTest {

    @TempDir
    Path dir;

    private InJvmPostbox start(String... options) {
        List<String> all = new ArrayList<>(List.of("--dir", dir.toString(), "--save", "", "--appendonly", "yes"));
        all.addAll(List.of(options));
        return InJvmPostbox.start(all.toArray(new String[0]));
    }

    private Path aofDir() {
        return dir.resolve("appendonlydir");
    }

    /** Steps run on one server, given a client and the server's data directory. */
    private interface Steps<T> {
        T run(Jedis jedis, Path dataDir) throws Exception;
    }

    /**
     * Runs {@code steps} on redis-server (in {@code <dir>/redis}) and then on Postbox (in {@code dir}),
     * both with the append-only file on and {@code options}; returns their results, Redis's first.
     */
    private <T> List<T> onBoth(List<String> options, Steps<T> steps) throws Exception {
        Path redisDir = Files.createDirectories(dir.resolve("redis"));
        List<String> redisOptions = new ArrayList<>(List.of("--appendonly", "yes"));
        redisOptions.addAll(options);
        T redis;
        try (RedisServerProcess server = RedisServerProcess.start(redisDir, redisOptions.toArray(new String[0]));
             Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            redis = steps.run(jedis, redisDir);
        }
        try (InJvmPostbox server = start(options.toArray(new String[0])); Jedis jedis = jedis(server)) {
            return List.of(redis, steps.run(jedis, dir));
        }
    }

    @Test
    void everyWriteSurvivesARestartThroughTheAppendOnlyFile() throws Exception {
        Map<String, String> before;
        try (InJvmPostbox postbox = start("--appendfsync", "always"); Jedis jedis = jedis(postbox)) {
            populate(jedis, new Random(1));
            populateStreams(jedis);
            before = KeyspaceContents.of(jedis, 16);
            assertEquals("1", info(jedis).get("aof_enabled"));
        }
        assertEquals("file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
                Files.readString(aofDir().resolve("appendonly.aof.manifest")));
        try (InJvmPostbox postbox = start(); Jedis jedis = jedis(postbox)) {
            KeyspaceContents.assertSame(before, KeyspaceContents.of(jedis, 16));
        }
    }

    @Test
    void aServerThatRefusesWritesStillLoadsThemFromItsFile() throws Exception {
        try (InJvmPostbox postbox = start(); Jedis jedis = jedis(postbox)) {
            jedis.rpush("queue", "a", "b");
        }
        // min-replicas-to-write refuses clients' writes (NOREPLICAS), not the replay of the file.
        try (InJvmPostbox postbox = start("--min-replicas-to-write", "1"); Jedis jedis = jedis(postbox)) {
            assertEquals(List.of("a", "b"), jedis.lrange("queue", 0, -1));
            assertThrows(JedisDataException.class, () -> jedis.rpush("queue", "c"));
        }
    }

    @Test
    void rewriteUnderWritesKeepsEveryWriteExactlyOnce() throws Exception {
        Map<String, String> before;
        try (InJvmPostbox postbox = start(); Jedis jedis = jedis(postbox)) {
            populate(jedis, new Random(2));
            for (int i = 0; i < 100_000; i += 10_000) {
                List<String> batch = new ArrayList<>();
                for (int j = i; j < i + 10_000; j++) {
                    batch.add("m" + j);
                }
                jedis.rpush("queue", batch.toArray(new String[0]));
            }
            Pipeline pipeline = jedis.pipelined();
            pipeline.sendCommand(command("BGREWRITEAOF"), new String[0]);
            pipeline.sendCommand(command("INFO"), "persistence");
            for (int i = 0; i < 3000; i++) {
                pipeline.lpush("queue", "new" + i);
                pipeline.rpop("queue");
                pipeline.incr("counter");
                pipeline.set("s" + i, "v" + i);
            }
            List<Object> replies = pipeline.syncAndReturnAll();
            assertEquals("Background append only file rewriting started", text(replies.get(0)));
            assertTrue(text(replies.get(1)).contains("aof_rewrite_in_progress:1"), "the writes raced the rewrite");
            awaitRewrite(jedis);
            assertEquals("ok", info(jedis).get("aof_last_bgrewrite_status"));
            jedis.set("after-rewrite", "yes");
            before = KeyspaceContents.of(jedis, 16);
        }
        assertEquals("file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n",
                Files.readString(aofDir().resolve("appendonly.aof.manifest")));
        try (Stream<Path> files = Files.list(aofDir())) {
            assertEquals(List.of("appendonly.aof.2.base.rdb", "appendonly.aof.2.incr.aof", "appendonly.aof.manifest"),
                    files.map(f -> f.getFileName().toString()).sorted().toList(), "the old base and increment are gone");
        }
        try (InJvmPostbox postbox = start(); Jedis jedis = jedis(postbox)) {
            KeyspaceContents.assertSame(before, KeyspaceContents.of(jedis, 16));
        }
    }

    @Test
    void aTornTailIsCutWhenAllowedAndStopsStartupOtherwise() throws Exception {
        try (InJvmPostbox postbox = start(); Jedis jedis = jedis(postbox)) {
            jedis.rpush("q", "1", "2");
        }
        Path incr = aofDir().resolve("appendonly.aof.1.incr.aof");
        long complete = Files.size(incr);
        Files.write(incr, "*3\r\n$5\r\nRPUSH\r\n$1\r\nq\r\n$1".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> start("--aof-load-truncated", "no"));
        String reason = String.valueOf(refused.getCause().getMessage());
        assertTrue(reason.contains("Unexpected end of file reading the append only file"), reason);
        try (InJvmPostbox postbox = start(); Jedis jedis = jedis(postbox)) {
            assertEquals(List.of("1", "2"), jedis.lrange("q", 0, -1));
            assertEquals(complete, Files.size(incr), "the torn command was cut off");
            jedis.rpush("q", "3");
        }
        try (InJvmPostbox postbox = start(); Jedis jedis = jedis(postbox)) {
            assertEquals(List.of("1", "2", "3"), jedis.lrange("q", 0, -1));
        }
    }

    @Test
    void redisCheckAofPassesAndRedisLoadsOurAppendOnlyFile() throws Exception {
        Map<String, String> before;
        try (InJvmPostbox postbox = start(); Jedis jedis = jedis(postbox)) {
            populate(jedis, new Random(3));
            jedis.bgrewriteaof();
            awaitRewrite(jedis);
            populate(jedis, new Random(4));
            populateStreams(jedis);
            before = KeyspaceContents.of(jedis, 16);
        }
        Subprocess.Result check = RedisServerProcess.tool("redis-check-aof",
                aofDir().resolve("appendonly.aof.manifest").toString());
        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("All AOF files and manifest are valid"), check.output());
        try (RedisServerProcess redis = RedisServerProcess.start(dir, "--appendonly", "yes");
             Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            KeyspaceContents.assertSame(before, KeyspaceContents.of(jedis, 16));
        }
    }

    /**
     * Redis expires no key while it loads an append-only file, so the file must record the deletions of
     * keys that expired: a key written again after it expired (a lease taken over as a list) loads in
     * redis-server as it was in Postbox, and the log holds the DELs (UNLINK with lazyfree-lazy-expire).
     */
    @Test
    void keysThatExpiredAreLoggedAsDeletedSoThatRedisLoadsWhatFollows() throws Exception {
        Map<String, String> before;
        try (InJvmPostbox postbox = start("--appendfsync", "always"); Jedis jedis = jedis(postbox)) {
            writeAfterExpiry(jedis, 50);
            jedis.configSet("lazyfree-lazy-expire", "yes");
            jedis.set("session", "v", SetParams.setParams().px(50));
            Thread.sleep(200);
            assertNull(jedis.get("session"));
            before = KeyspaceContents.of(jedis, 16);
        }
        String log = Files.readString(aofDir().resolve("appendonly.aof.1.incr.aof"), StandardCharsets.ISO_8859_1);
        assertTrue(log.contains("$3\r\nDEL\r\n$5\r\nlease\r\n"), log);
        assertTrue(log.contains("$6\r\nUNLINK\r\n$7\r\nsession\r\n"), log);
        try (RedisServerProcess redis = RedisServerProcess.start(dir, "--appendonly", "yes");
             Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            assertEquals(List.of("job"), jedis.lrange("lease", 0, -1));
            KeyspaceContents.assertSame(before, KeyspaceContents.of(jedis, 16));
        }
    }

    /**
     * A Redis 6 append-only file (one {@code appendonly.aof} in the data directory) is taken into the
     * multi-part layout at startup, as redis-server 7 takes it: listed as the base, moved into the
     * directory, loaded; the first rewrite replaces it. Side by side on copies of the same file.
     */
    @Test
    void aRedis6AppendOnlyFileIsMigratedAndLoadedAsRedis7Does() throws Exception {
        String redis6File = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n"
                + "*3\r\n$5\r\nLPUSH\r\n$5\r\nqueue\r\n$4\r\njob1\r\n"
                + "*3\r\n$5\r\nLPUSH\r\n$5\r\nqueue\r\n$4\r\njob2\r\n";
        Path redisDir = Files.createDirectories(dir.resolve("redis"));
        Files.writeString(redisDir.resolve("appendonly.aof"), redis6File);
        Files.writeString(dir.resolve("appendonly.aof"), redis6File);
        String migratedManifest = "file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n";
        try (RedisServerProcess redis = RedisServerProcess.start(redisDir, "--appendonly", "yes");
             Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            assertEquals(List.of("job2", "job1"), jedis.lrange("queue", 0, -1), "the reference");
            assertEquals(migratedManifest, Files.readString(redisDir.resolve("appendonlydir/appendonly.aof.manifest")));
        }
        try (InJvmPostbox postbox = start(); Jedis jedis = jedis(postbox)) {
            assertEquals(List.of("job2", "job1"), jedis.lrange("queue", 0, -1));
            assertFalse(Files.exists(dir.resolve("appendonly.aof")));
            assertEquals(redis6File, Files.readString(aofDir().resolve("appendonly.aof")));
            assertEquals(migratedManifest, Files.readString(aofDir().resolve("appendonly.aof.manifest")));
            jedis.lpush("queue", "job3");
            jedis.bgrewriteaof();
            awaitRewrite(jedis);
        }
        assertEquals("file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n",
                Files.readString(aofDir().resolve("appendonly.aof.manifest")));
        assertFalse(Files.exists(aofDir().resolve("appendonly.aof")), "the old base goes with the rewrite");
        try (InJvmPostbox postbox = start(); Jedis jedis = jedis(postbox)) {
            assertEquals(List.of("job3", "job2", "job1"), jedis.lrange("queue", 0, -1));
        }
    }

    /**
     * An appendfilename with spaces and line breaks is quoted in the manifest, as Redis quotes it, so
     * the manifest reads back: Postbox restarts from it, and so does redis-server. It used to be
     * written raw, a manifest neither server could read.
     */
    @Test
    void anAppendFilenameWithSpacesAndLineBreaksIsQuotedInTheManifest() throws Exception {
        String name = " file seq \n\n.aof ";
        try (InJvmPostbox postbox = start("--appendfilename", name); Jedis jedis = jedis(postbox)) {
            jedis.set("k1", "v1");
            jedis.bgrewriteaof();
            awaitRewrite(jedis);
            jedis.set("k2", "v2");
        }
        assertEquals("file \" file seq \\n\\n.aof .2.base.rdb\" seq 2 type b\n"
                + "file \" file seq \\n\\n.aof .2.incr.aof\" seq 2 type i\n",
                Files.readString(aofDir().resolve(name + ".manifest")));
        try (InJvmPostbox postbox = start("--appendfilename", name); Jedis jedis = jedis(postbox)) {
            assertEquals(List.of("v1", "v2"), jedis.mget("k1", "k2"));
        }
        try (RedisServerProcess redis = RedisServerProcess.start(dir, "--appendonly", "yes", "--appendfilename", name);
             Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            assertEquals(List.of("v1", "v2"), jedis.mget("k1", "k2"), "the reference");
        }
    }

    /** A file the manifest lists must be there: Redis refuses to start without it, naming it, and so does Postbox. */
    @Test
    void aManifestListingAMissingFileStopsTheStartNamingIt() throws Exception {
        try (InJvmPostbox postbox = start(); Jedis jedis = jedis(postbox)) {
            jedis.lpush("queue", "job");
        }
        Files.delete(aofDir().resolve("appendonly.aof.1.incr.aof"));
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> start());
        String message = failure.getCause().getMessage();
        assertTrue(message.contains("Unable to obtain the AOF file appendonly.aof.1.incr.aof length. stat: No such file"
                + " or directory"), message);
    }

    /**
     * DEBUG LOADAOF writes out what is logged, empties the dataset and loads it back from the files:
     * the same data, by DEBUG DIGEST, as before and as on redis-server after the same steps; nothing
     * replayed is logged again.
     */
    @Test
    void debugLoadaofLoadsTheDatasetBackFromTheFiles() throws Exception {
        List<String> digests = onBoth(List.of("--enable-debug-command", "yes"),
                (jedis, dataDir) -> writeAndLoadaof(jedis));
        assertEquals(digests.get(0), digests.get(1));
        assertEquals(List.of("SELECT 0", "RPUSH queue a b c", "SET lease v PXAT T", "HSET h f v", "INCR counter"),
                AppendOnlyLog.commands(dir));
    }

    /**
     * With the AOF off, DEBUG LOADAOF loads what BGREWRITEAOF last wrote, as Redis does: writes made since
     * are gone. With no append-only directory at all Redis exits; Postbox refuses and keeps its data.
     */
    @Test
    void withTheAofOffDebugLoadaofLoadsTheLastRewrite() throws Exception {
        List<List<String>> seen = onBoth(List.of("--appendonly", "no", "--enable-debug-command", "yes"),
                (jedis, dataDir) -> {
                    jedis.rpush("queue", "a", "b");
                    jedis.bgrewriteaof();
                    awaitRewrite(jedis);
                    jedis.rpush("queue", "c");
                    jedis.set("later", "1");
                    String reply = text(jedis.sendCommand(command("DEBUG"), "LOADAOF"));
                    return List.of(reply, String.join(",", jedis.lrange("queue", 0, -1)),
                            String.valueOf(jedis.exists("later")), info(jedis).get("aof_enabled"));
                });
        assertEquals(List.of("OK", "a,b", "false", "0"), seen.get(0));
        assertEquals(seen.get(0), seen.get(1));

        Path empty = Files.createDirectories(dir.resolve("empty"));
        try (InJvmPostbox postbox = InJvmPostbox.start("--dir", empty.toString(), "--save", "",
                "--enable-debug-command", "yes"); Jedis jedis = jedis(postbox)) {
            jedis.set("kept", "1");
            JedisDataException refused = assertThrows(JedisDataException.class,
                    () -> jedis.sendCommand(command("DEBUG"), "LOADAOF"));
            assertEquals("ERR The append-only file is off and there is no appendonly.aof.manifest to load",
                    refused.getMessage());
            assertEquals("1", jedis.get("kept"));
        }
    }

    /**
     * DEBUG AOF-FLUSH-SLEEP, Redis's test hook, holds every write of the file for that long: with
     * appendfsync always a reply waits for its write, so it comes that much later, the write in the file.
     */
    @Test
    void debugAofFlushSleepHoldsTheWritesRepliesWaitFor() throws Exception {
        try (InJvmPostbox postbox = start("--appendfsync", "always", "--enable-debug-command", "yes");
                Jedis jedis = jedis(postbox)) {
            Path incr = aofDir().resolve("appendonly.aof.1.incr.aof");
            assertEquals("OK", text(jedis.sendCommand(command("DEBUG"), "AOF-FLUSH-SLEEP", "300000")));
            long before = Files.size(incr);
            long start = System.nanoTime();
            assertEquals(1, jedis.incr("counter"));
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(Files.size(incr) > before, "INCR answered before it was written");
            assertTrue(waitedMillis >= 300, "INCR answered after " + waitedMillis + " ms");
            assertEquals("OK", text(jedis.sendCommand(command("DEBUG"), "AOF-FLUSH-SLEEP", "0")));
            assertEquals(2, jedis.incr("counter"));
        }
    }

    /** A server stops with its writer in the longest DEBUG AOF-FLUSH-SLEEP, and its reply waiting for it. */
    @Test
    void aServerStopsWhileItsAppendOnlyWriterSleeps() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (InJvmPostbox postbox = start("--appendfsync", "always", "--enable-debug-command", "yes");
                    Jedis jedis = new Jedis("127.0.0.1", postbox.port(), 500)) {
                jedis.sendCommand(command("DEBUG"), "AOF-FLUSH-SLEEP", Long.toString(Long.MAX_VALUE));
                assertThrows(JedisConnectionException.class, () -> jedis.set("k", "v"));
            }
        });
    }

    /**
     * An approximate trim is logged as the exact one it made (MAXLEN = <length after>, MINID = <first ID
     * after>) with the caller's LIMIT kept, as Redis logs it. The replay trims exactly that far, whatever
     * the LIMIT and the node size then: it used to refuse the LIMIT, dropping the XADD and its trim.
     */
    @Test
    void anApproximateTrimWithALimitIsReplayedAsItRan() throws Exception {
        List<List<String>> seen = onBoth(List.of("--enable-debug-command", "yes", "--stream-node-max-entries", "10"),
                (jedis, dataDir) -> {
                    for (int i = 1; i <= 100; i++) {
                        jedis.sendCommand(command("XADD"), "jobs", i + "-0", "n", Integer.toString(i));
                    }
                    jedis.sendCommand(command("XADD"), "jobs", "MAXLEN", "~", "55", "LIMIT", "30", "101-0", "n", "101");
                    jedis.sendCommand(command("XTRIM"), "jobs", "MINID", "~", "60", "LIMIT", "10");
                    List<String> before = List.of(String.valueOf(jedis.xlen("jobs")), firstId(jedis));
                    jedis.configSet("stream-node-max-entries", "1");
                    assertEquals("OK", text(jedis.sendCommand(command("DEBUG"), "LOADAOF")));
                    List<String> after = List.of(String.valueOf(jedis.xlen("jobs")), firstId(jedis));
                    assertEquals(before, after);
                    return after;
                });
        assertEquals(List.of("61", "41-0"), seen.get(0));
        assertEquals(seen.get(0), seen.get(1));
    }

    private static String firstId(Jedis jedis) {
        return jedis.xrange("jobs", "-", "+", 1).get(0).getID().toString();
    }

    /**
     * A replayed command that fails leaves its effect out of the data. Redis drops the error without a
     * word; Postbox logs it, so that a file loaded short of what was written does not go unnoticed.
     */
    @Test
    void aReplayedCommandThatFailsIsLogged() throws Exception {
        try (InJvmPostbox postbox = start(); Jedis jedis = jedis(postbox)) {
            jedis.rpush("queue", "a");
        }
        Files.writeString(aofDir().resolve("appendonly.aof.1.incr.aof"), "*2\r\n$4\r\nincr\r\n$5\r\nqueue\r\n",
                StandardOpenOption.APPEND);
        Path logFile = dir.resolve("postbox.log");
        try (InJvmPostbox postbox = start("--logfile", logFile.toString()); Jedis jedis = jedis(postbox)) {
            assertEquals(List.of("a"), jedis.lrange("queue", 0, -1));
        }
        String log = Files.readString(logFile);
        assertTrue(log.contains("The INCR replayed from appendonly.aof.1.incr.aof failed, and its effect is not in the "
                + "data: WRONGTYPE Operation against a key holding the wrong kind of value"), log);
        assertTrue(log.contains("1 replayed commands failed: the data loaded is not what was written"), log);
    }

    /** Writes, then DEBUG LOADAOF; returns the digest, checked to be the one before. */
    private static String writeAndLoadaof(Jedis jedis) {
        jedis.rpush("queue", "a", "b", "c");
        jedis.set("lease", "v", SetParams.setParams().ex(1000));
        jedis.hset("h", "f", "v");
        jedis.incr("counter");
        String before = text(jedis.sendCommand(command("DEBUG"), "DIGEST"));
        assertEquals("OK", text(jedis.sendCommand(command("DEBUG"), "LOADAOF")));
        String after = text(jedis.sendCommand(command("DEBUG"), "DIGEST"));
        assertEquals(before, after);
        assertEquals(List.of("a", "b", "c"), jedis.lrange("queue", 0, -1));
        return after;
    }

    /**
     * Redis expires nothing while it loads: a key written again before its time ran out, by a server
     * that stopped before then, is replayed whole with its expiry time, and is gone once loaded. The
     * replay used to expire the key as it went, so the second write made a key without a TTL: a lease
     * that never ended, holding only what was written last.
     */
    @Test
    void aKeyWrittenAgainBeforeItExpiredStaysBoundByItsTimeAfterARestart() throws Exception {
        try (InJvmPostbox postbox = start("--appendfsync", "always"); Jedis jedis = jedis(postbox)) {
            jedis.rpush("lease", "worker-1");
            jedis.pexpire("lease", 300);
            jedis.rpush("lease", "worker-2");
            jedis.set("token", "a", SetParams.setParams().px(300));
            jedis.append("token", "b");
        }
        Thread.sleep(400);
        try (InJvmPostbox postbox = start(); Jedis jedis = jedis(postbox)) {
            assertEquals(0, jedis.exists("lease", "token"));
        }
        try (RedisServerProcess redis = RedisServerProcess.start(dir, "--appendonly", "yes");
             Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            assertEquals(0, jedis.exists("lease", "token"), "the reference");
        }
    }

    /**
     * aof-timestamp-enabled: a {@code #TS:} line before the first command of each second, and first in
     * a base written as commands, as Redis writes them; redis-check-aof cuts the file back to a second,
     * and Postbox and redis-server load what is left.
     */
    @Test
    void timestampAnnotationsMarkEachSecondAndRedisCheckAofCutsBackToOne() throws Exception {
        long first;
        long second;
        try (InJvmPostbox postbox = start("--aof-timestamp-enabled", "yes", "--aof-use-rdb-preamble", "no");
             Jedis jedis = jedis(postbox)) {
            first = startOfNextSecond();
            jedis.set("early", "1");
            jedis.set("also-early", "1");
            startOfNextSecond();
            second = startOfNextSecond();
            jedis.set("late", "2");
        }
        String incr = Files.readString(aofDir().resolve("appendonly.aof.1.incr.aof"), StandardCharsets.US_ASCII);
        String setEarly = "*3\r\n$3\r\nSET\r\n$5\r\nearly\r\n$1\r\n1\r\n";
        assertTrue(incr.matches("(?s)#TS:" + first + "\\r\n\\*2\r\n\\$6\r\nSELECT.*"), incr);
        assertTrue(incr.contains(setEarly + "*3\r\n$3\r\nSET\r\n$10\r\nalso-early"), "one line per second: " + incr);
        assertTrue(incr.contains("#TS:" + second + "\r\n*3\r\n$3\r\nSET\r\n$4\r\nlate"), incr);

        Subprocess.Result cut = RedisServerProcess.tool("redis-check-aof", "--truncate-to-timestamp",
                Long.toString(first), aofDir().resolve("appendonly.aof.manifest").toString());
        assertEquals(0, cut.exitCode(), cut.output());
        try (InJvmPostbox postbox = start("--aof-timestamp-enabled", "yes", "--aof-use-rdb-preamble", "no");
             Jedis jedis = jedis(postbox)) {
            assertEquals("1", jedis.get("early"));
            assertNull(jedis.get("late"));
            jedis.bgrewriteaof();
            awaitRewrite(jedis);
        }
        assertTrue(Files.readString(aofDir().resolve("appendonly.aof.2.base.aof"), StandardCharsets.US_ASCII)
                .startsWith("#TS:"));
        try (RedisServerProcess redis = RedisServerProcess.start(dir, "--appendonly", "yes");
             Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            assertEquals("1", jedis.get("early"));
            assertNull(jedis.get("late"));
        }
    }

    /** Waits for the next Unix second to begin, and returns it. */
    private static long startOfNextSecond() throws InterruptedException {
        long now = System.currentTimeMillis() / 1000;
        while (System.currentTimeMillis() / 1000 == now) {
            Thread.sleep(5);
        }
        return System.currentTimeMillis() / 1000;
    }

    /**
     * A write that meets an expired key is logged after the key's DEL, both in one MULTI ... EXEC; a
     * read's DEL stands alone: the same steps on redis-server and on Postbox, with active expiry off so
     * that only the commands meet the keys, log the same commands (expiry times aside).
     */
    @Test
    void writesThatMeetExpiredKeysAreLoggedAsRedisLogsThem() throws Exception {
        List<List<String>> logged = onBoth(List.of("--appendfsync", "always", "--enable-debug-command", "yes"),
                AppendOnlyFileTest::meetExpiredKeys);
        assertTrue(logged.get(0).contains("MULTI"), "the reference itself: " + logged.get(0));
        assertEquals(logged.get(0), logged.get(1));
    }

    /**
     * FLUSHDB and FLUSHALL are logged even when there was nothing to delete, as Redis 7 forces their
     * propagation: the same steps on both servers log the same commands.
     */
    @Test
    void flushesOfEmptyDatabasesAreLoggedAsRedisLogsThem() throws Exception {
        // appendfsync always: with everysec redis-server may put off writing while an fsync runs.
        List<List<String>> logged = onBoth(List.of("--appendfsync", "always"), AppendOnlyFileTest::flushTwice);
        assertEquals(List.of("SELECT 0", "SET key value", "FLUSHDB", "FLUSHDB", "SELECT 1", "FLUSHALL", "FLUSHALL"),
                logged.get(0), "the reference itself");
        assertEquals(logged.get(0), logged.get(1));
    }

    /**
     * Writes that Redis logs in another form than it received them: float increments as the values they
     * gave, multi-pops as pops of the number taken, blocking moves as their twins, SET without GET,
     * GETDEL as DEL. The same steps on both servers log the same commands.
     */
    @Test
    void rewrittenWritesAreLoggedAsRedisLogsThem() throws Exception {
        List<List<String>> logged = onBoth(List.of("--appendfsync", "always"), AppendOnlyFileTest::rewrittenWrites);
        assertTrue(logged.get(0).contains("HSET h f 1.75"), "the reference itself: " + logged.get(0));
        assertEquals(logged.get(0), logged.get(1));
    }

    /**
     * A script's writes after redis.set_repl without REPL_AOF stay out of the file (with no replicas,
     * REPL_REPLICA's go nowhere either); the same scripts on both servers log the same commands.
     */
    @Test
    void scriptWritesThatSetReplKeepsFromTheAofAreNotLoggedAsInRedis() throws Exception {
        List<List<String>> logged = onBoth(List.of("--appendfsync", "always"), (jedis, dataDir) -> {
            jedis.eval("redis.call('set', 'a', '1') redis.set_repl(redis.REPL_NONE) redis.call('set', 'b', '2')");
            jedis.eval("redis.set_repl(redis.REPL_REPLICA) redis.call('set', 'c', '3') redis.call('set', 'd', '4')");
            jedis.eval("redis.set_repl(redis.REPL_AOF) redis.call('set', 'e', '5') redis.call('set', 'f', '6')");
            jedis.eval("redis.call('set', 'g', '7')");
            return AppendOnlyLog.commands(dataDir);
        });
        assertEquals(List.of("SELECT 0", "set a 1", "MULTI", "set e 5", "set f 6", "EXEC", "set g 7"),
                logged.get(0), "the reference itself");
        assertEquals(logged.get(0), logged.get(1));
    }

    private static List<String> rewrittenWrites(Jedis jedis, Path dir) throws Exception {
        for (String line : List.of("set x 10", "incrbyfloat x 0.1", "hincrbyfloat h f 1.5", "hincrbyfloat h f 0.25",
                "rpush l a b c d", "lmpop 1 l right", "lmpop 2 missing l left count 5",
                "zadd z 1 a 2 b 3 c", "zmpop 1 z min", "zmpop 1 z max count 10",
                "rpush b x y", "blmpop 0 1 b right count 5", "zadd bz 1 a 2 b", "bzmpop 0 1 bz max count 1",
                "rpush m a", "brpoplpush m n 0", "blmove n m left right 0",
                "set s v get", "set s w XX get KEEPTTL", "getdel s", "getdel s")) {
            String[] words = line.split(" ");
            jedis.sendCommand(command(words[0]), Arrays.copyOfRange(words, 1, words.length));
        }
        return AppendOnlyLog.commands(dir);
    }

    private static List<String> flushTwice(Jedis jedis, Path dir) throws Exception {
        jedis.set("key", "value");
        jedis.flushDB();
        jedis.flushDB();
        jedis.select(1);
        jedis.flushAll();
        jedis.flushAll();
        return AppendOnlyLog.commands(dir);
    }

    /**
     * A lease and a cache entry set to expire in {@code ttlMillis}; once both have, the lease is taken
     * over as a list and the cache entry read, and found gone.
     */
    private static void writeAfterExpiry(Jedis jedis, int ttlMillis) throws InterruptedException {
        jedis.set("lease", "w1", SetParams.setParams().px(ttlMillis));
        jedis.set("cache", "v", SetParams.setParams().px(ttlMillis));
        Thread.sleep(5L * ttlMillis);
        jedis.lpush("lease", "job");
        assertNull(jedis.get("cache"));
    }

    /** The steps, then the commands of the incremental file, each PXAT time replaced by "T". */
    private static List<String> meetExpiredKeys(Jedis jedis, Path dir) throws Exception {
        jedis.sendCommand(command("DEBUG"), "SET-ACTIVE-EXPIRE", "0");
        writeAfterExpiry(jedis, 20);
        jedis.set("marker", "end");
        return AppendOnlyLog.commands(dir);
    }

    /**
     * Random writes on 30 keys in three databases, with TTLs of milliseconds that run out on the way
     * (and keys written again after they did, as other types, and copied, and moved by scripts):
     * redis-server loads the file to Postbox's contents. Before expired keys' deletions were logged,
     * a run like this lost a quarter of the keys there.
     */
    @Test
    void redisLoadsOurFileAfterWritesThatMeetExpiredKeys() throws Exception {
        Map<String, String> before;
        try (InJvmPostbox postbox = start("--appendfsync", "always"); Jedis jedis = jedis(postbox)) {
            Random random = new Random(5);
            for (int step = 0; step < 2000; step++) {
                writeNearExpiries(jedis, random, step);
            }
            jedis.select(0);
            Thread.sleep(200);
            before = KeyspaceContents.of(jedis, 16);
        }
        try (RedisServerProcess redis = RedisServerProcess.start(dir, "--appendonly", "yes");
             Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            KeyspaceContents.assertSame(before, KeyspaceContents.of(jedis, 16));
        }
    }

    private static void writeNearExpiries(Jedis jedis, Random random, int step) throws InterruptedException {
        String key = "k" + random.nextInt(30);
        String other = "k" + random.nextInt(30);
        long ttl = List.of(5, 20, 100_000).get(random.nextInt(3));
        try {
            switch (random.nextInt(12)) {
                case 0, 1 -> jedis.set(key, "v" + step, SetParams.setParams().px(ttl));
                case 2 -> jedis.lpush(key, "e" + step);
                case 3 -> jedis.hset(key, "f", Integer.toString(step));
                case 4 -> jedis.sadd(key, Integer.toString(step % 7));
                case 5 -> jedis.pexpire(key, 1 + random.nextInt(50));
                case 6 -> jedis.get(key);
                case 7 -> jedis.rpoplpush(key, other);
                case 8 -> jedis.eval("redis.call('del', KEYS[1]) return redis.call('rpush', KEYS[1], ARGV[1])",
                        List.of(key), List.of(Integer.toString(step)));
                case 9 -> jedis.copy(key, other, true);
                case 10 -> jedis.select(random.nextInt(3));
                default -> Thread.sleep(random.nextInt(20));
            }
        } catch (JedisDataException wrongType) {
            // Writes meant for another type are part of the mix, as in a real keyspace.
        }
    }

    @Test
    void postboxLoadsRedisAppendOnlyFile() throws Exception {
        Map<String, String> before;
        try (RedisServerProcess redis = RedisServerProcess.start(dir, "--appendonly", "yes");
             Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            populate(jedis, new Random(5));
            jedis.bgrewriteaof();
            long deadline = System.currentTimeMillis() + 20_000;
            while (jedis.info("persistence").contains("aof_rewrite_in_progress:1") && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            populate(jedis, new Random(6));
            before = KeyspaceContents.of(jedis, 16);
        }
        try (InJvmPostbox postbox = start(); Jedis jedis = jedis(postbox)) {
            KeyspaceContents.assertSame(before, KeyspaceContents.of(jedis, 16));
        }
    }

    /**
     * With aof-use-rdb-preamble no the base holds commands, as Redis's does: the startup base and a
     * rewrite's are {@code .base.aof} files of RESP commands that redis-check-aof accepts, that a restart
     * loads with everything written before and after the rewrite (streams with their groups, pending
     * entries and consumers, function libraries, TTLs, several databases), and that redis-server loads
     * with the same contents. One thing does not come back, in Redis's command form either: a pending
     * entry whose message was trimmed away (XCLAIM, which restores pending entries, skips a message
     * that does not exist).
     */
    @Test
    void withoutThePreambleTheBaseIsCommandsThatPostboxAndRedisLoad() throws Exception {
        Map<String, String> before;
        String functions;
        List<String> pendingOfExistingMessages;
        try (InJvmPostbox postbox = start("--aof-use-rdb-preamble", "no"); Jedis jedis = jedis(postbox)) {
            assertEquals("file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
                    Files.readString(aofDir().resolve("appendonly.aof.manifest")));
            populate(jedis, new Random(10));
            populateStreams(jedis);
            jedis.functionLoad("#!lua name=jobs\nredis.register_function('due', function(keys) return #keys end)");
            List<String> big = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                big.add("m" + i);
            }
            jedis.rpush("long-queue", big.toArray(new String[0]));
            jedis.sadd("big-set", big.toArray(new String[0]));
            jedis.bgrewriteaof();
            awaitRewrite(jedis);
            assertEquals("ok", info(jedis).get("aof_last_bgrewrite_status"));
            populate(jedis, new Random(11));
            before = KeyspaceContents.of(jedis, 16);
            functions = functions(jedis);
            pendingOfExistingMessages = pendingIds(jedis);
            pendingOfExistingMessages.retainAll(streamIds(jedis));
        }
        assertEquals("file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n",
                Files.readString(aofDir().resolve("appendonly.aof.manifest")));
        String functionLoad = "*3\r\n$8\r\nFUNCTION\r\n$4\r\nLOAD\r\n";
        byte[] base = Files.readAllBytes(aofDir().resolve("appendonly.aof.2.base.aof"));
        assertEquals(functionLoad, new String(base, 0, functionLoad.length(), StandardCharsets.US_ASCII),
                "commands from the start, no RDB preamble");
        Subprocess.Result check = RedisServerProcess.tool("redis-check-aof",
                aofDir().resolve("appendonly.aof.manifest").toString());
        assertEquals(0, check.exitCode(), check.output());
        Map<String, String> restarted;
        try (InJvmPostbox postbox = start("--aof-use-rdb-preamble", "no"); Jedis jedis = jedis(postbox)) {
            restarted = KeyspaceContents.of(jedis, 16);
            assertEquals(functions, functions(jedis));
            assertEquals(pendingOfExistingMessages, pendingIds(jedis));
        }
        Map<String, String> otherKeys = new TreeMap<>(restarted);
        otherKeys.remove("0:jobs");
        Map<String, String> otherKeysBefore = new TreeMap<>(before);
        otherKeysBefore.remove("0:jobs");
        KeyspaceContents.assertSame(otherKeysBefore, otherKeys);
        try (RedisServerProcess redis = RedisServerProcess.start(dir, "--appendonly", "yes");
             Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            KeyspaceContents.assertSame(restarted, KeyspaceContents.of(jedis, 16));
            assertEquals(functions, functions(jedis));
        }
    }

    /**
     * The command form byte for byte as redis-server writes it, for the same writes: a list long enough
     * for two RPUSH commands, a string with a TTL, a stream with a group, empty streams, each in a database
     * of its own (so the order of keys within a database, which differs between the two, does not matter).
     * An empty stream used to be written with an XADD of its last ID, which for one never written is 0-0:
     * an XADD that fails, so the stream and its groups were lost when the file was loaded.
     */
    @Test
    void theCommandFormIsWhatRedisWrites() throws Exception {
        List<String> bases = onBoth(List.of("--aof-use-rdb-preamble", "no"), AppendOnlyFileTest::rewrittenBase);
        assertTrue(bases.get(0).startsWith("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*66\r\n$5\r\nRPUSH"),
                "the reference itself");
        assertEquals(bases.get(0), bases.get(1));
    }

    private static String rewrittenBase(Jedis jedis, Path dir) throws Exception {
        for (int i = 0; i < 100; i++) {
            jedis.rpush("queue", "m" + i);
        }
        jedis.select(1);
        jedis.set("job", "v");
        jedis.pexpireAt("job", 4_102_444_800_000L);
        jedis.select(2);
        jedis.sendCommand(command("XADD"), "events", "1-1", "kind", "created");
        jedis.sendCommand(command("XADD"), "events", "2-1", "kind", "done");
        jedis.sendCommand(command("XGROUP"), "CREATE", "events", "audit", "1-1");
        // Empty streams: one never written (a group made ahead of the first message), one drained.
        jedis.select(3);
        jedis.sendCommand(command("XGROUP"), "CREATE", "jobs", "workers", "$", "MKSTREAM");
        jedis.select(4);
        jedis.sendCommand(command("XADD"), "drained", "5-1", "kind", "created");
        jedis.sendCommand(command("XDEL"), "drained", "5-1");
        jedis.bgrewriteaof();
        awaitRewrite(jedis);
        return Files.readString(dir.resolve("appendonlydir").resolve("appendonly.aof.2.base.aof"),
                StandardCharsets.ISO_8859_1);
    }

    private static String functions(Jedis jedis) {
        return SafeEncoder.encodeObject(jedis.sendCommand(command("FUNCTION"), "LIST", "WITHCODE")).toString();
    }

    /** The IDs pending in populateStreams's group, in order. */
    private static List<String> pendingIds(Jedis jedis) {
        List<String> ids = new ArrayList<>();
        for (Object entry : (List<?>) jedis.sendCommand(command("XPENDING"), "jobs", "workers", "-", "+", "100")) {
            ids.add(text(((List<?>) entry).get(0)));
        }
        return ids;
    }

    private static List<String> streamIds(Jedis jedis) {
        List<String> ids = new ArrayList<>();
        for (Object entry : (List<?>) jedis.sendCommand(command("XRANGE"), "jobs", "-", "+")) {
            ids.add(text(((List<?>) entry).get(0)));
        }
        return ids;
    }

    /**
     * INFO's rdb_last_load_keys_loaded after a restart counts the keys of the base's RDB preamble, not
     * those the incremental file adds, as redis-server's does: side by side on the same writes.
     */
    @Test
    void theLoadCountsTheKeysOfTheBasePreambleAsRedisDoes() throws Exception {
        Path redisDir = Files.createDirectories(dir.resolve("redis"));
        List<String> redis = new ArrayList<>();
        try (RedisServerProcess server = RedisServerProcess.start(redisDir, "--appendonly", "yes");
             Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            writeAroundARewrite(jedis);
        }
        try (RedisServerProcess server = RedisServerProcess.start(redisDir, "--appendonly", "yes");
             Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            redis.addAll(loadCounts(jedis));
        }
        List<String> postbox = new ArrayList<>();
        try (InJvmPostbox server = start(); Jedis jedis = jedis(server)) {
            writeAroundARewrite(jedis);
        }
        try (InJvmPostbox server = start(); Jedis jedis = jedis(server)) {
            postbox.addAll(loadCounts(jedis));
        }
        assertEquals(List.of("4", "3", "0"), redis, "the reference itself");
        assertEquals(redis, postbox);
    }

    /**
     * A PFCOUNT that computes and caches an HLL's estimate changes the string, so it is logged, as
     * Redis propagates it; one answered from the cache, or of several keys, is not. Side by side, the
     * incremental files hold the same commands; after a restart the HLL holds the same bytes.
     */
    @Test
    void aPfcountThatFillsTheCacheIsLoggedAsRedisLogsIt() throws Exception {
        Path redisDir = Files.createDirectories(dir.resolve("redis"));
        try (RedisServerProcess server = RedisServerProcess.start(redisDir, "--appendonly", "yes",
                "--appendfsync", "always");
             Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            countHyperLogLogs(jedis);
        }
        String redis = incrementalLog(redisDir);
        byte[] hll;
        try (InJvmPostbox server = start("--appendfsync", "always"); Jedis jedis = jedis(server)) {
            countHyperLogLogs(jedis);
            hll = jedis.get("h".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(3, redis.split("PFCOUNT", -1).length - 1, "the reference itself: " + redis);
        assertEquals(redis, incrementalLog(dir));
        try (InJvmPostbox server = start(); Jedis jedis = jedis(server)) {
            assertArrayEquals(hll, jedis.get("h".getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static void countHyperLogLogs(Jedis jedis) {
        jedis.pfadd("h", "a", "b", "c");
        jedis.pfcount("h");
        jedis.pfcount("h");
        jedis.pfcount("h", "other");
        jedis.pfadd("h", "a");
        jedis.pfcount("h");
        jedis.pfcount("missing");
        jedis.pfadd("h", "d");
        jedis.pfcount("h");
        jedis.pfadd("other", "x");
        jedis.pfcount("other", "h");
        jedis.pfcount("other");
    }

    private static String incrementalLog(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("appendonlydir"))) {
            Path incr = files.filter(p -> p.toString().endsWith(".incr.aof")).findFirst().orElseThrow();
            return Files.readString(incr, StandardCharsets.ISO_8859_1);
        }
    }

    private static void writeAroundARewrite(Jedis jedis) throws InterruptedException {
        jedis.set("a", "1");
        jedis.rpush("b", "x", "y");
        jedis.select(3);
        jedis.sadd("c", "m");
        jedis.bgrewriteaof();
        awaitRewrite(jedis);
        jedis.set("d", "after the rewrite");
    }

    /** Keys in all, keys the load stored, keys it left out as expired. */
    private static List<String> loadCounts(Jedis jedis) {
        Map<String, String> info = info(jedis);
        long keys = jedis.dbSize();
        jedis.select(3);
        keys += jedis.dbSize();
        return List.of(Long.toString(keys), info.get("rdb_last_load_keys_loaded"), info.get("rdb_last_load_keys_expired"));
    }

    @Test
    void bgsaveAndRewriteWaitForEachOther() throws Exception {
        try (InJvmPostbox postbox = start(); Jedis jedis = jedis(postbox)) {
            for (int i = 0; i < 20; i++) {
                populate(jedis, new Random(i));
            }
            Pipeline pipeline = jedis.pipelined();
            pipeline.sendCommand(command("BGREWRITEAOF"), new String[0]);
            pipeline.sendCommand(command("BGSAVE"), new String[0]);
            pipeline.sendCommand(command("BGSAVE"), "SCHEDULE");
            pipeline.sendCommand(command("BGREWRITEAOF"), new String[0]);
            List<Object> replies = pipeline.syncAndReturnAll();
            assertEquals("Background append only file rewriting started", text(replies.get(0)));
            assertTrue(((Exception) replies.get(1)).getMessage().startsWith("ERR Another child process is active (AOF?)"));
            assertEquals("Background saving scheduled", text(replies.get(2)));
            assertEquals("ERR Background append only file rewriting already in progress",
                    ((Exception) replies.get(3)).getMessage());
            long deadline = System.currentTimeMillis() + 30_000;
            while (!info(jedis).get("rdb_saves").equals("1") && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertEquals("1", info(jedis).get("rdb_saves"), "the scheduled BGSAVE ran after the rewrite");
            // Each background snapshot stands for a fork of Redis's; the refused BGSAVE started none.
            Map<String, String> stats = InfoFields.parse(jedis.info("stats"));
            assertEquals("2", stats.get("total_forks"));
            assertTrue(Long.parseLong(stats.get("latest_fork_usec")) > 0, stats.toString());
            assertFalse(Files.exists(dir.resolve("temp-rewriteaof-bg-" + ProcessHandle.current().pid() + ".aof")));
        }
    }

    @Test
    void appendonlyTurnedOnAtRuntimeRewritesAndThenLogsEveryWrite() throws Exception {
        Map<String, String> before;
        try (InJvmPostbox postbox = InJvmPostbox.start("--dir", dir.toString(), "--save", "");
             Jedis jedis = jedis(postbox)) {
            populate(jedis, new Random(7));
            assertEquals("OK", jedis.configSet("appendonly", "yes"));
            populate(jedis, new Random(8));
            awaitRewrite(jedis);
            assertEquals("1", info(jedis).get("aof_enabled"));
            populate(jedis, new Random(9));
            before = KeyspaceContents.of(jedis, 16);
        }
        // Base 1 and incremental file 1, as Redis names the files of an append-only file turned on.
        assertEquals("file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
                Files.readString(aofDir().resolve("appendonly.aof.manifest")));
        try (InJvmPostbox postbox = start(); Jedis jedis = jedis(postbox)) {
            KeyspaceContents.assertSame(before, KeyspaceContents.of(jedis, 16));
            assertEquals("OK", jedis.configSet("appendonly", "no"));
            assertEquals("0", info(jedis).get("aof_enabled"));
            jedis.set("not-logged", "1");
        }
        try (InJvmPostbox postbox = start(); Jedis jedis = jedis(postbox)) {
            KeyspaceContents.assertSame(before, KeyspaceContents.of(jedis, 16));
        }
    }

    static void awaitRewrite(Jedis jedis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (info(jedis).get("aof_rewrite_in_progress").equals("1")) {
            assertTrue(System.currentTimeMillis() < deadline, "the rewrite did not finish in 30 s");
            Thread.sleep(20);
        }
    }

    /**
     * A stream worked as a queue: entries, a consumer group read by two consumers, an acknowledgement, a
     * claim, a deleted entry, trimming, a NOACK read. Only Postbox's log is replayed with it: Redis 7.0's
     * own log keeps neither a group's read counter nor a consumer that holds nothing.
     */
    static void populateStreams(Jedis jedis) {
        for (int i = 1; i <= 12; i++) {
            jedis.sendCommand(command("XADD"), "jobs", "MAXLEN", "~", "1000", "*", "n", Integer.toString(i));
        }
        jedis.sendCommand(command("XGROUP"), "CREATE", "jobs", "workers", "0");
        jedis.sendCommand(command("XREADGROUP"), "GROUP", "workers", "alice", "COUNT", "3", "STREAMS", "jobs", ">");
        jedis.sendCommand(command("XREADGROUP"), "GROUP", "workers", "bob", "COUNT", "3", "STREAMS", "jobs", ">");
        jedis.sendCommand(command("XREADGROUP"), "GROUP", "workers", "carol", "COUNT", "2", "NOACK", "STREAMS", "jobs",
                ">");
        jedis.sendCommand(command("XAUTOCLAIM"), "jobs", "workers", "alice", "0", "0", "COUNT", "1");
        jedis.sendCommand(command("XREADGROUP"), "GROUP", "workers", "bob", "STREAMS", "jobs", "0");
        jedis.sendCommand(command("XGROUP"), "CREATECONSUMER", "jobs", "workers", "dave");
        jedis.sendCommand(command("XTRIM"), "jobs", "MAXLEN", "10");
        jedis.sendCommand(command("XGROUP"), "CREATE", "events", "audit", "$", "MKSTREAM");
        jedis.sendCommand(command("XADD"), "events", "5-*", "kind", "created");
        jedis.sendCommand(command("XADD"), "events", "5-*", "kind", "deleted");
        jedis.sendCommand(command("XDEL"), "events", "5-0");
    }

    /** Every type, relative and absolute TTLs, SPOP, ZPOPMIN, deletes, several databases. */
    static void populate(Jedis jedis, Random random) {
        for (int db : new int[] {0, 2, 9}) {
            jedis.select(db);
            for (int i = 0; i < 200; i++) {
                String key = "k" + random.nextInt(300);
                switch (random.nextInt(14)) {
                    case 0 -> jedis.set(key, "v" + random.nextInt());
                    case 1 -> jedis.setex(key, 1000 + random.nextInt(1000), "ttl");
                    case 2 -> jedis.set(key.getBytes(), new byte[] {0, 1, 2, (byte) 255, '\r', '\n'});
                    case 3 -> jedis.del(key);
                    case 4 -> jedis.sendCommand(command("LPUSH"), "l" + key, "a" + i, "b" + i);
                    case 5 -> jedis.sendCommand(command("RPOP"), "l" + key);
                    case 6 -> jedis.sendCommand(command("HSET"), "h" + key, "f" + i, "v" + i, "g", "w");
                    case 7 -> jedis.sendCommand(command("SADD"), "s" + key, Integer.toString(i), "m" + random.nextInt(5));
                    case 8 -> jedis.sendCommand(command("SPOP"), "s" + key);
                    case 9 -> jedis.sendCommand(command("INCRBY"), "n" + key, Integer.toString(random.nextInt(100)));
                    case 10 -> jedis.sendCommand(command("EXPIRE"), "l" + key, "5000");
                    case 11 -> jedis.sendCommand(command("ZADD"), "z" + key, Double.toString(random.nextGaussian()), "m" + i,
                            "-inf", "low", "5", "five");
                    case 12 -> jedis.sendCommand(command("ZPOPMIN"), "z" + key);
                    default -> jedis.sendCommand(command("SPOP"), "s" + key, "2");
                }
            }
        }
        jedis.select(0);
    }
}
