package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.admin.ServerProcess;
import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.InfoFields;
import io.postbox.it.support.KeyspaceContents;
import io.postbox.it.support.PackagedPostbox;
import io.postbox.it.support.RedisServerProcess;
import io.postbox.server.PostboxServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.ListPosition;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/** SAVE, BGSAVE, save points, the save at shutdown and the load at startup, as a user sees them. */
class SnapshotPersistenceTest {

    @TempDir
    Path dir;

    private InJvmPostbox start(String... options) {
        List<String> all = new ArrayList<>(List.of("--dir", dir.toString()));
        all.addAll(List.of(options));
        return InJvmPostbox.start(all.toArray(new String[0]));
    }

    @Test
    void saveWritesASnapshotTheNextStartLoads() throws Exception {
        Map<String, String> saved;
        try (InJvmPostbox postbox = start("--save", ""); Jedis jedis = jedis(postbox)) {
            fill(jedis, 2000);
            long before = jedis.lastsave();
            assertEquals("OK", jedis.save());
            assertTrue(jedis.lastsave() >= before);
            assertEquals("0", info(jedis).get("rdb_changes_since_last_save"));
            assertEquals("0", InfoFields.parse(jedis.info("stats")).get("total_forks"), "SAVE forks nothing in Redis");
            saved = KeyspaceContents.of(jedis, 16);
            jedis.set("after-save", "not in the file");
        }
        try (InJvmPostbox postbox = start("--save", ""); Jedis jedis = jedis(postbox)) {
            KeyspaceContents.assertSame(saved, KeyspaceContents.of(jedis, 16));
            assertEquals(Integer.toString(saved.size()), info(jedis).get("rdb_last_load_keys_loaded"));
        }
    }

    @Test
    void bgsaveSavesTheStateAtItsStartWhileWritesGoOn() throws Exception {
        Map<String, String> atBgsave;
        try (InJvmPostbox postbox = start("--save", ""); Jedis jedis = jedis(postbox)) {
            fill(jedis, 30_000);
            List<String> queue = new ArrayList<>();
            for (int i = 0; i < 300_000; i++) {
                queue.add("message-" + i);
            }
            for (int from = 0; from < queue.size(); from += 10_000) {
                jedis.rpush("queue", queue.subList(from, from + 10_000).toArray(new String[0]));
            }
            atBgsave = KeyspaceContents.of(jedis, 16);

            Pipeline pipeline = jedis.pipelined();
            pipeline.sendCommand(command("BGSAVE"), new String[0]);
            pipeline.sendCommand(command("INFO"), "persistence");
            for (int i = 0; i < 2000; i++) {
                pipeline.set("k:" + i, "changed");
                pipeline.del("k:" + (i + 5000));
                pipeline.lpush("queue", "new-" + i);
                pipeline.rpop("queue");
                pipeline.set("created-" + i, "new");
                // Edits inside the list being saved (whose nodes the writer thread encodes from a copy).
                pipeline.lset("queue", 100_000 + 7 * i, "set-" + i);
                pipeline.linsert("queue", ListPosition.BEFORE, "message-" + (150_000 + i), "inserted-" + i);
                pipeline.lrem("queue", 1, "message-" + (200_000 + i));
                if (i % 500 == 0) {
                    pipeline.ltrim("queue", 1, -2);
                }
            }
            pipeline.sendCommand(command("SELECT"), "3");
            pipeline.sendCommand(command("FLUSHDB"), new String[0]);
            pipeline.sendCommand(command("SWAPDB"), "0", "5");
            List<Object> replies = pipeline.syncAndReturnAll();
            assertEquals("Background saving started", text(replies.get(0)));
            assertTrue(text(replies.get(1)).contains("rdb_bgsave_in_progress:1"), "the writes raced the save");
            jedis.select(0);
            awaitBgsave(jedis);
            assertEquals("ok", info(jedis).get("rdb_last_bgsave_status"));
        }
        try (InJvmPostbox postbox = start("--save", ""); Jedis jedis = jedis(postbox)) {
            Map<String, String> loaded = KeyspaceContents.of(jedis, 16);
            KeyspaceContents.assertSame(atBgsave, loaded);
        }
    }

    @Test
    void savePointsStartBackgroundSaves() throws Exception {
        try (InJvmPostbox postbox = start("--save", "1", "1"); Jedis jedis = jedis(postbox)) {
            jedis.set("k", "v");
            long deadline = System.currentTimeMillis() + 10_000;
            while (!info(jedis).get("rdb_saves").equals("1") && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertEquals("1", info(jedis).get("rdb_saves"));
            // Counted as it starts, as in Redis.
            awaitBgsave(jedis);
            assertEquals("ok", info(jedis).get("rdb_last_bgsave_status"));
            assertTrue(Files.exists(dir.resolve("dump.rdb")));
        }
    }

    @Test
    void shutdownSavesWhenSavePointsAreSetAndNotWithNosave() throws Exception {
        try (InJvmPostbox postbox = start(); Jedis jedis = jedis(postbox)) {
            jedis.set("kept", "1");
            jedis.shutdown();
            postbox.server().awaitTermination();
        }
        try (InJvmPostbox postbox = start(); Jedis jedis = jedis(postbox)) {
            assertEquals("1", jedis.get("kept"));
            jedis.set("lost", "1");
            shutdownNoSave(jedis);
        }
        try (InJvmPostbox postbox = start(); Jedis jedis = jedis(postbox)) {
            assertEquals("1", jedis.get("kept"));
            assertEquals(null, jedis.get("lost"));
        }
    }

    @Test
    void failedBgsaveRefusesWritesWithMisconfUntilASaveSucceeds() throws Exception {
        Path gone = Files.createDirectory(dir.resolve("gone"));
        try (InJvmPostbox postbox = start("--save", "3600", "1", "--enable-protected-configs", "yes");
             Jedis jedis = jedis(postbox)) {
            jedis.configSet("dir", gone.toString());
            Files.delete(gone);
            jedis.bgsave();
            awaitBgsave(jedis);
            assertEquals("err", info(jedis).get("rdb_last_bgsave_status"));
            JedisDataException refused = assertThrows(JedisDataException.class, () -> jedis.set("k", "v"));
            assertTrue(refused.getMessage().startsWith("MISCONF Redis is configured to save RDB snapshots"));
            assertEquals("v0", jedis.echo("v0"), "reads still run");
            assertThrows(JedisDataException.class, () -> jedis.save());
            // Counted as they started, as Redis counts them (same figures from redis-server 7.0.15).
            assertEquals("2", info(jedis).get("rdb_saves"));
            assertEquals("1", InfoFields.parse(jedis.info("stats")).get("total_forks"), "SAVE forks nothing");
            jedis.configSet("stop-writes-on-bgsave-error", "no");
            assertEquals("OK", jedis.set("k", "v"));
            jedis.configSet("stop-writes-on-bgsave-error", "yes");
            jedis.configSet("dir", dir.toString());
            jedis.bgsave();
            awaitBgsave(jedis);
            assertEquals("ok", info(jedis).get("rdb_last_bgsave_status"));
            assertEquals("OK", jedis.set("k", "v2"));
        }
    }

    @Test
    void bgsaveRefusesASecondOneAndRejectsUnknownArguments() throws Exception {
        try (InJvmPostbox postbox = start("--save", ""); Jedis jedis = jedis(postbox)) {
            fill(jedis, 50_000);
            Pipeline pipeline = jedis.pipelined();
            pipeline.sendCommand(command("BGSAVE"), new String[0]);
            pipeline.sendCommand(command("BGSAVE"), new String[0]);
            pipeline.sendCommand(command("SAVE"), new String[0]);
            List<Object> replies = pipeline.syncAndReturnAll();
            assertEquals("Background saving started", text(replies.get(0)));
            assertEquals("ERR Background save already in progress", ((JedisDataException) replies.get(1)).getMessage());
            assertEquals("ERR Background save already in progress", ((JedisDataException) replies.get(2)).getMessage());
            awaitBgsave(jedis);
            assertEquals("1", info(jedis).get("rdb_saves"), "saves refused are not counted");
            assertThrows(JedisDataException.class, () -> jedis.sendCommand(command("BGSAVE"), "NOW"));
        }
    }

    /**
     * As Redis's FLUSHALL kills its saving child: the snapshot stops (its file would hold the deleted
     * keys), the changes stay counted as unsaved, and the status stays ok.
     */
    @Test
    void flushallStopsABackgroundSave() throws Exception {
        try (InJvmPostbox postbox = start("--save", "", "--rdb-key-save-delay", "1000"); Jedis jedis = jedis(postbox)) {
            fill(jedis, 3000);
            assertEquals("Background saving started", jedis.bgsave());
            assertEquals("1", info(jedis).get("rdb_bgsave_in_progress"));
            assertEquals("OK", jedis.flushAll());
            assertEquals("0", info(jedis).get("rdb_bgsave_in_progress"), "FLUSHALL stopped the save at once");
            assertTrue(Long.parseLong(info(jedis).get("rdb_changes_since_last_save")) >= 3000);
            assertEquals("ok", info(jedis).get("rdb_last_bgsave_status"));
            assertTrue(Files.notExists(dir.resolve("dump.rdb")));
            jedis.configSet("rdb-key-save-delay", "0");
            assertEquals("Background saving started", jedis.bgsave());
            awaitBgsave(jedis);
            assertEquals("0", info(jedis).get("rdb_changes_since_last_save"));
        }
    }

    /**
     * With save points set, FLUSHALL saves the empty dataset before it replies, as Redis does, so a
     * restart does not bring keys back; inside a transaction it saves the data as of the FLUSHALL.
     */
    @Test
    void flushallWithSavePointsSavesTheEmptyDataset() throws Exception {
        try (InJvmPostbox postbox = start("--save", "3600 1"); Jedis jedis = jedis(postbox)) {
            fill(jedis, 300);
            assertEquals("OK", jedis.save());
            long withKeys = Files.size(dir.resolve("dump.rdb"));
            assertEquals("OK", jedis.flushAll());
            assertTrue(Files.size(dir.resolve("dump.rdb")) < withKeys / 10, "saved before the reply");
            assertEquals("0", info(jedis).get("rdb_bgsave_in_progress"));

            jedis.set("before", "1");
            Transaction transaction = jedis.multi();
            transaction.sendCommand(command("FLUSHALL"), new String[0]);
            transaction.set("after", "1");
            transaction.sendCommand(command("PING"), new String[0]);
            List<String> replies = transaction.exec().stream().map(SnapshotPersistenceTest::text).toList();
            assertEquals(List.of("OK", "OK", "PONG"), replies);
            awaitBgsave(jedis);
            assertEquals("1", info(jedis).get("rdb_saves"), "the SAVE; FLUSHALL's saves are not counted, as in Redis");
            shutdownNoSave(jedis);
        }
        try (InJvmPostbox postbox = start("--save", ""); Jedis jedis = jedis(postbox)) {
            assertEquals(0, jedis.dbSize());
        }
    }

    /**
     * The same FLUSHALL with a save point on redis-server and Postbox: when it replies, each has saved
     * once more and nothing is left saving, and each restarts from its dump.rdb with no keys. The save is
     * logged as a save ("DB saved on disk"), not as a background save.
     */
    @Test
    void flushallWithSavePointsSavesAsRedisDoes() throws Exception {
        Path redisDir = Files.createDirectories(dir.resolve("redis"));
        List<Long> redis;
        try (RedisServerProcess server = RedisServerProcess.start(redisDir, "--save", "3600 1");
             Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            redis = flushallWithSavePoint(jedis);
        }
        try (RedisServerProcess server = RedisServerProcess.start(redisDir);
             Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            redis.add(jedis.dbSize());
        }
        redis.addAll(saveLines(Files.readString(redisDir.resolve("redis.log"))));
        Path postboxDir = Files.createDirectories(dir.resolve("postbox"));
        List<Long> postbox;
        PackagedPostbox server = PackagedPostbox.start(postboxDir, "--dir", postboxDir.toString(), "--save", "3600 1");
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            postbox = flushallWithSavePoint(jedis);
        } finally {
            server.close();
        }
        try (InJvmPostbox restarted = InJvmPostbox.start("--dir", postboxDir.toString(), "--save", "");
             Jedis jedis = jedis(restarted)) {
            postbox.add(jedis.dbSize());
        }
        postbox.addAll(saveLines(server.log()));
        assertEquals(redis, postbox, server.log());
    }

    /**
     * rdb_saves and total_forks count as Redis's do: SAVE and BGSAVE are saves, BGSAVE and BGREWRITEAOF
     * forks; DEBUG RELOAD's save is neither (Postbox used to count it a save).
     */
    @Test
    void savesAndForksAreCountedAsRedisCountsThem() throws Exception {
        Path redisDir = Files.createDirectories(dir.resolve("redis"));
        List<String> redis;
        try (RedisServerProcess server = RedisServerProcess.start(redisDir);
             Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            redis = savesAndForks(jedis);
        }
        assertEquals(List.of("2", "2"), redis);
        try (InJvmPostbox postbox = start("--save", "", "--enable-debug-command", "yes");
             Jedis jedis = jedis(postbox)) {
            assertEquals(redis, savesAndForks(jedis));
        }
    }

    private static long forks(Jedis jedis) {
        return Long.parseLong(InfoFields.parse(jedis.info("stats")).get("total_forks"));
    }

    private static List<String> savesAndForks(Jedis jedis) throws InterruptedException {
        jedis.set("k", "v");
        assertEquals("OK", jedis.save());
        assertEquals("OK", text(jedis.sendCommand(command("DEBUG"), "RELOAD")));
        jedis.bgsave();
        awaitBgsave(jedis);
        jedis.bgrewriteaof();
        AppendOnlyFileTest.awaitRewrite(jedis);
        return List.of(info(jedis).get("rdb_saves"), Long.toString(forks(jedis)));
    }

    /**
     * A SIGTERM that comes while SHUTDOWN NOSAVE is ending (a supervisor stopping the process as it
     * exits) does not start a second shutdown, which with save points would save after all.
     */
    @Test
    void aSigtermWhileShutdownNosaveEndsSavesNothing() throws Exception {
        try (InJvmPostbox postbox = start("--save", "3600 1"); Jedis jedis = jedis(postbox)) {
            jedis.set("k", "v");
            PostboxServer server = postbox.server();
            server.engine().scheduler().schedule(0, () -> {
                server.engine().process().shutdown(new ServerProcess.ShutdownRequest(true, false, false, false));
                server.shutdownOnSignal("SIGTERM");
            });
            server.awaitTermination();
        }
        assertFalse(Files.exists(dir.resolve("dump.rdb")), "saved at a shutdown asked not to save");
    }

    /** How many "DB saved on disk" and "Background saving" lines the log holds: SAVE's and FLUSHALL's. */
    private static List<Long> saveLines(String log) {
        return List.of(log.lines().filter(line -> line.endsWith("DB saved on disk")).count(),
                log.lines().filter(line -> line.contains("Background saving")).count());
    }

    /**
     * Saves and forks FLUSHALL counted, saves in progress at its reply, changes counted as unsaved after it, and
     * keys left; then SHUTDOWN NOSAVE.
     */
    private static List<Long> flushallWithSavePoint(Jedis jedis) {
        fill(jedis, 300);
        assertEquals("OK", jedis.save());
        long saves = Long.parseLong(info(jedis).get("rdb_saves"));
        long forks = forks(jedis);
        assertEquals("OK", jedis.flushAll());
        Map<String, String> after = info(jedis);
        List<Long> seen = new ArrayList<>(List.of(Long.parseLong(after.get("rdb_saves")) - saves, forks(jedis) - forks,
                Long.parseLong(after.get("rdb_bgsave_in_progress")),
                Long.parseLong(after.get("rdb_changes_since_last_save")), jedis.dbSize()));
        shutdownNoSave(jedis);
        return seen;
    }

    @Test
    void corruptSnapshotStopsStartupNamingTheFileAndOffset() throws Exception {
        Files.write(dir.resolve("dump.rdb"), "REDIS0010\u00fe\u0000\u0000\u0003key".getBytes(StandardCharsets.ISO_8859_1));
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> start("--save", ""));
        String message = String.valueOf(failure.getCause().getMessage());
        assertTrue(message.contains("dump.rdb at offset"), message);
    }

    private static void fill(Jedis jedis, int keys) {
        Pipeline pipeline = jedis.pipelined();
        for (int i = 0; i < keys; i++) {
            switch (i % 3) {
                case 0 -> pipeline.set("k:" + i, "value-" + i);
                case 1 -> pipeline.rpush("k:" + i, "a" + i, "b", Integer.toString(i));
                default -> pipeline.psetex("k:" + i, 3_600_000 + i, "ttl-" + i);
            }
        }
        pipeline.sendCommand(command("SELECT"), "3");
        for (int i = 0; i < 100; i++) {
            pipeline.set("db3:" + i, "x".repeat(i));
        }
        pipeline.sendCommand(command("SELECT"), "0");
        pipeline.sync();
    }

    /** SHUTDOWN NOSAVE, which closes the connection instead of replying. */
    private static void shutdownNoSave(Jedis jedis) {
        assertThrows(JedisConnectionException.class, () -> jedis.sendCommand(command("SHUTDOWN"), "NOSAVE"));
    }

    static ProtocolCommand command(String name) {
        byte[] raw = name.getBytes(StandardCharsets.US_ASCII);
        return () -> raw;
    }

    static String text(Object reply) {
        return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.ISO_8859_1) : String.valueOf(reply);
    }

    static Jedis jedis(InJvmPostbox postbox) {
        return new Jedis("127.0.0.1", postbox.port(), 30_000);
    }

    static Map<String, String> info(Jedis jedis) {
        return InfoFields.parse(jedis.info("persistence"));
    }

    static void awaitBgsave(Jedis jedis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (info(jedis).get("rdb_bgsave_in_progress").equals("1")) {
            assertTrue(System.currentTimeMillis() < deadline, "BGSAVE did not finish in 30 s");
            Thread.sleep(20);
        }
    }
}
