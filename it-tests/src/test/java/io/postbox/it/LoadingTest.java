package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InfoFields;
import io.postbox.it.support.PackagedPostbox;
import io.postbox.it.support.RawConnection;
import io.postbox.it.support.RedisServerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * A server loading a large dump.rdb listens already, as Redis does: clients connect and get -LOADING
 * for every command not flagged {@code loading}, INFO reports the load's progress, and SHUTDOWN ends
 * the load without saving. Side by side with redis-server on the same file (skipped without it), which
 * also writes that file: DEBUG POPULATE of enough keys that the load takes a second or more.
 */
class LoadingTest {

    private static final int KEYS = 3_000_000;
    private static final int LONG_LIST = 10_000_000;
    private static final String LOADING = "-LOADING Redis is loading the dataset in memory";

    @TempDir
    static Path work;

    private static Path dump;

    @BeforeAll
    static void makeDump() throws Exception {
        Path made = Files.createDirectories(work.resolve("made"));
        try (RedisServerProcess redis = RedisServerProcess.start(made, "--dbfilename", "dump.rdb");
             Jedis jedis = new Jedis("127.0.0.1", redis.port(), 120_000)) {
            jedis.sendCommand(() -> "DEBUG".getBytes(StandardCharsets.US_ASCII), "POPULATE", Integer.toString(KEYS));
            jedis.save();
        }
        dump = made.resolve("dump.rdb");
    }

    /** What a client connecting as soon as it can sees, then what it sees once the load is done. */
    private record Seen(String ping, String get, String configGet, List<String> infoFields, String loadingField,
                        String dbsizeAfter) {
    }

    @Test
    void clientsGetLoadingRepliesAndProgressWhileTheDumpLoadsAsFromRedis() throws Exception {
        Seen redis = duringRedisLoad("redis-loading", LoadingTest::whileLoading);
        Seen postbox = duringPostboxLoad("postbox-loading", LoadingTest::whileLoading);
        assertEquals(LOADING, redis.ping(), "the reference itself: " + redis);
        assertTrue(redis.infoFields().contains("loading_eta_seconds"), "the reference itself: " + redis);
        assertEquals(redis, postbox);
    }

    /**
     * What INFO shows of the load as it goes: the memory the file's writer reported, and the keys
     * stored so far, a count that grows during the load and ends at the file's key count. Side by side
     * on the same file: both servers report the writer's figure, so they match exactly.
     */
    @Test
    void infoCountsTheKeysLoadedSoFarAndShowsTheWritersMemoryAsRedisDoes() throws Exception {
        LoadCounts redis = duringRedisLoad("redis-counts", LoadingTest::loadCounts);
        LoadCounts postbox = duringPostboxLoad("postbox-counts", LoadingTest::loadCounts);
        assertTrue(redis.countedPartWay() && redis.rdbUsedMemory() > 0, "the reference itself: " + redis);
        assertEquals(redis, postbox);
    }

    /**
     * Seen by polling INFO during a load: the used-mem it showed (the same in every poll, else -1),
     * whether a poll showed 0 < keys loaded < all keys, whether the count never went down, and the
     * count once the load was done.
     */
    private record LoadCounts(long rdbUsedMemory, boolean countedPartWay, boolean neverDecreased,
                              String keysLoadedAfter) {
    }

    private static LoadCounts loadCounts(int port) throws Exception {
        try (RawConnection client = connectOnceListening(port)) {
            long usedMemory = 0;
            boolean partWay = false;
            boolean neverDecreased = true;
            long lastCount = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Map<String, String> info = InfoFields.parse(text(client.call("INFO", "persistence")));
            while (info.get("loading").equals("1")) {
                assertTrue(System.nanoTime() < deadline, "still loading after 60 s");
                long shown = Long.parseLong(info.get("loading_rdb_used_mem"));
                usedMemory = usedMemory == 0 || usedMemory == shown ? shown : -1;
                long count = Long.parseLong(info.get("rdb_last_load_keys_loaded"));
                partWay |= count > 0 && count < KEYS;
                neverDecreased &= count >= lastCount;
                lastCount = count;
                Thread.sleep(10);
                info = InfoFields.parse(text(client.call("INFO", "persistence")));
            }
            return new LoadCounts(usedMemory, partWay, neverDecreased, info.get("rdb_last_load_keys_loaded"));
        }
    }

    @Test
    void shutdownWhileLoadingExitsWithoutSavingAsRedisDoes() throws Exception {
        Path redisDir = copyOfDump("redis-shutdown");
        try (RedisServerProcess server = RedisServerProcess.launch(redisDir, "--dbfilename", "dump.rdb",
                "--save", "3600 1")) {
            assertShutdownWhileLoading(server.port(), () -> server.awaitExit(20), redisDir);
        }
        Path postboxDir = copyOfDump("postbox-shutdown");
        try (PackagedPostbox server = PackagedPostbox.launch(postboxDir, List.of(), List.of(), "--save", "3600 1")) {
            assertShutdownWhileLoading(server.port(), () -> server.awaitExit(20), postboxDir);
            // Where it listens is said before the load, as Redis says it: an operator waiting on one sees it.
            String log = server.log();
            assertTrue(log.contains("port=" + server.port() + " pid=" + server.pid()), log);
            assertFalse(log.contains("Ready to accept connections"), log);
        }
    }

    /**
     * The options the load depends on (appendonly: the rest of the load would reach neither file) are
     * refused with -LOADING while it runs, ahead of a valid change in the same CONFIG SET, and taken once
     * it is done; others change at once. Side by side with redis-server.
     */
    @Test
    void configSetOfWhatTheLoadDependsOnIsRefusedWithLoadingAsInRedis() throws Exception {
        List<String> redis = duringRedisLoad("redis-config-set", LoadingTest::configSetsWhileLoading);
        List<String> postbox = duringPostboxLoad("postbox-config-set", LoadingTest::configSetsWhileLoading);
        assertEquals(List.of(LOADING, LOADING, "+OK", LOADING,
                "-ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config",
                "no", "+OK", "yes"), redis, "the reference itself");
        assertEquals(redis, postbox);
    }

    private static List<String> configSetsWhileLoading(int port) throws Exception {
        try (RawConnection client = connectOnceListening(port)) {
            List<String> replies = new ArrayList<>();
            replies.add(text(client.call("PING")));
            replies.add(text(client.call("CONFIG", "SET", "appendonly", "yes")));
            replies.add(text(client.call("CONFIG", "SET", "loglevel", "verbose")));
            replies.add(text(client.call("CONFIG", "SET", "maxclients", "100", "appendonly", "yes")));
            replies.add(text(client.call("CONFIG", "SET", "dir", "elsewhere")));
            awaitPong(client);
            replies.add(InfoFields.parse(text(client.call("INFO", "persistence"))).get("aof_enabled").equals("1")
                    ? "yes" : "no");
            replies.add(text(client.call("CONFIG", "SET", "appendonly", "yes")));
            replies.add(text(client.call("CONFIG", "GET", "appendonly")).endsWith("yes") ? "yes" : "no");
            // Turning appendonly on writes the file's first base; neither server exits while it does
            // (Redis's "Writing initial AOF, can't exit"), so the test lets it finish before stopping them.
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (initialAofBeingWritten(client)) {
                assertTrue(System.nanoTime() < deadline, "the first append-only file was never written");
                Thread.sleep(50);
            }
            return replies;
        }
    }

    private static boolean initialAofBeingWritten(RawConnection client) throws IOException {
        Map<String, String> persistence = InfoFields.parse(text(client.call("INFO", "persistence")));
        return !persistence.get("aof_rewrite_in_progress").equals("0")
                || !persistence.get("aof_rewrite_scheduled").equals("0");
    }

    /**
     * An append-only directory whose base file holds one list of 10M elements: the load serves clients
     * while that list is read (every 2 MB, as Redis), not only once it is stored, so the first reply to
     * a client that connects at once shows the load part-way through the file. The load may end between
     * two of that client's commands (a fast disk), so a later command sees it loading or done.
     */
    @Test
    void anAppendOnlyLoadServesClientsWhileOneLongListIsRead() throws Exception {
        Path dir = Files.createDirectories(work.resolve("postbox-aof"));
        try (PackagedPostbox server = PackagedPostbox.start(dir, "--save", "");
             Jedis jedis = new Jedis("127.0.0.1", server.port(), 120_000)) {
            Pipeline pipeline = jedis.pipelined();
            String[] chunk = new String[1000];
            for (int pushed = 0; pushed < LONG_LIST; pushed += chunk.length) {
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = "message-" + (pushed + i);
                }
                pipeline.rpush("queue", chunk);
            }
            pipeline.sync();
            jedis.configSet("appendonly", "yes"); // Writes the base file (an RDB preamble) from the dataset.
            AppendOnlyFileTest.awaitRewrite(jedis);
        }
        try (PackagedPostbox server = PackagedPostbox.launch(dir, List.of(), List.of(), "--save", "",
                "--appendonly", "yes");
             RawConnection client = connectOnceListening(server.port())) {
            String info = text(client.call("INFO", "persistence"));
            Map<String, String> fields = InfoFields.parse(info);
            assertTrue(info.contains("loading:1"), info);
            long loaded = Long.parseLong(fields.get("loading_loaded_bytes"));
            assertTrue(loaded < Long.parseLong(fields.get("loading_total_bytes")), info);
            String lengthMeanwhile = text(client.call("LLEN", "queue"));
            assertTrue(lengthMeanwhile.equals(LOADING) || lengthMeanwhile.equals(":" + LONG_LIST),
                    "while loading, or the whole list once loaded, never part of it: " + lengthMeanwhile);
            awaitPong(client);
            assertEquals(":" + LONG_LIST, text(client.call("LLEN", "queue")));
        }
    }

    /**
     * Redis's test hooks for a slow load, on a small file: key-load-delay (10 ms a key, 4 s for these 400
     * keys) keeps the server loading, and with loading-process-events-interval-bytes at 1 KB it serves
     * clients every few dozen keys meanwhile. The same for both servers; when each round comes depends
     * on when each started, so what a client sees is checked for each, not compared.
     */
    @Test
    void keyLoadDelayKeepsASmallFileLoadingAsInRedis() throws Exception {
        Path made = Files.createDirectories(work.resolve("small-made"));
        try (RedisServerProcess redis = RedisServerProcess.start(made, "--dbfilename", "dump.rdb");
             Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            for (int i = 0; i < 400; i++) {
                jedis.set("key:" + i, Integer.toString(i).repeat(10));
            }
            jedis.save();
        }
        String[] slow = {"--key-load-delay", "10000", "--loading-process-events-interval-bytes", "1024"};
        try (RedisServerProcess server = RedisServerProcess.launch(copy(made, "small-redis"), slow)) {
            assertLoadsSlowlyServingClients(server.port());
        }
        try (PackagedPostbox server = PackagedPostbox.launch(copy(made, "small-postbox"), List.of(), List.of(),
                "--save", "", slow[0], slow[1], slow[2], slow[3])) {
            assertLoadsSlowlyServingClients(server.port());
        }
    }

    private static void assertLoadsSlowlyServingClients(int port) throws Exception {
        try (RawConnection client = connectOnceListening(port)) {
            assertEquals(LOADING, text(client.call("PING")));
            assertEquals(LOADING, text(client.call("GET", "key:1")), "served again while still loading");
            awaitPong(client);
            assertEquals(":400", text(client.call("DBSIZE")));
            assertEquals("$10\r\n1111111111", text(client.call("GET", "key:1")));
        }
    }

    private static Path copy(Path made, String name) throws IOException {
        Path dir = Files.createDirectories(work.resolve(name));
        Files.copy(made.resolve("dump.rdb"), dir.resolve("dump.rdb"));
        return dir;
    }

    /** What a client sees of a server that loads the dump, given the server's port. */
    private interface Observation<T> {
        T of(int port) throws Exception;
    }

    /** {@code observation} of redis-server started on a copy of the dump, in directory {@code name}. */
    private static <T> T duringRedisLoad(String name, Observation<T> observation) throws Exception {
        try (RedisServerProcess server = RedisServerProcess.launch(copyOfDump(name), "--dbfilename", "dump.rdb")) {
            return observation.of(server.port());
        }
    }

    private static <T> T duringPostboxLoad(String name, Observation<T> observation) throws Exception {
        try (PackagedPostbox server = PackagedPostbox.launch(copyOfDump(name), List.of(), List.of(), "--save", "")) {
            return observation.of(server.port());
        }
    }

    private interface ExitWait {
        int await() throws InterruptedException;
    }

    private static Path copyOfDump(String name) throws IOException {
        Path dir = Files.createDirectories(work.resolve(name));
        Files.copy(dump, dir.resolve("dump.rdb"), StandardCopyOption.COPY_ATTRIBUTES);
        return dir;
    }

    private static Seen whileLoading(int port) throws Exception {
        try (RawConnection client = connectOnceListening(port)) {
            String ping = text(client.call("PING"));
            String get = text(client.call("GET", "key:1"));
            String configGet = text(client.call("CONFIG", "GET", "maxclients"));
            Map<String, String> info = InfoFields.parse(text(client.call("INFO", "persistence")));
            awaitPong(client);
            return new Seen(ping, get, configGet, List.copyOf(info.keySet()), info.get("loading"),
                    text(client.call("DBSIZE")));
        }
    }

    private static void assertShutdownWhileLoading(int port, ExitWait exit, Path dir) throws Exception {
        Path file = dir.resolve("dump.rdb");
        FileTime before = Files.getLastModifiedTime(file);
        try (RawConnection client = connectOnceListening(port)) {
            assertEquals(LOADING, text(client.call("PING")));
            client.send(RawConnection.command("SHUTDOWN"));
            assertTrue(client.closedByPeer(20_000), "the connection closes as the server exits");
        }
        assertEquals(0, exit.await(), "exit code after SHUTDOWN while loading");
        assertEquals(before, Files.getLastModifiedTime(file), "the dump is not saved over while loading");
        assertEquals(Files.size(dump), Files.size(file));
    }

    /** Connects as soon as the server listens (it refuses until then). */
    private static RawConnection connectOnceListening(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return new RawConnection(port);
            } catch (IOException notListeningYet) {
                if (System.nanoTime() > deadline) {
                    throw notListeningYet;
                }
                Thread.sleep(5);
            }
        }
    }

    private static void awaitPong(RawConnection client) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!text(client.call("PING")).equals("+PONG")) {
            assertTrue(System.nanoTime() < deadline, "still loading after 60 s");
            Thread.sleep(20);
        }
    }

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.UTF_8).strip();
    }
}
