package io.postbox.it;

import static io.postbox.it.SnapshotPersistenceTest.command;
import static io.postbox.it.SnapshotPersistenceTest.jedis;
import static io.postbox.it.SnapshotPersistenceTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.AppendOnlyLog;
import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.InfoFields;
import io.postbox.it.support.KeyspaceContents;
import io.postbox.it.support.PackagedPostbox;
import io.postbox.it.support.RedisServerProcess;
import io.postbox.it.support.Subprocess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * What one command propagates reaches the append-only file as Redis 7.0 writes it: a transaction or
 * script that wrote several commands as a MULTI ... EXEC block, one that wrote a single command as that
 * command alone, one that wrote nothing not at all; a pop served to a blocked client stands alone.
 * Compared byte for byte with redis-server's own incremental file for the same commands; Redis's tools
 * accept the file; and a block the file ends inside is dropped at load, as Redis reverts it.
 */
class AofTransactionsTest {

    @TempDir
    Path dir;

    private static final String INCR = "appendonlydir/appendonly.aof.1.incr.aof";

    /** The same commands, sent to whichever server listens on the port. */
    private static void transactions(int port) {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            exec(jedis, List.of("SET", "a", "1"), List.of("GET", "a"));
            exec(jedis, List.of("SET", "b", "1"), List.of("INCR", "c"), List.of("LPUSH", "q", "x", "y"));
            exec(jedis, List.of("GET", "a"));
            exec(jedis, List.of("SET", "x", "1"), List.of("SELECT", "3"), List.of("SET", "y", "2"));
            jedis.sendCommand(command("SET"), "z", "1");
            exec(jedis, List.of("DEL", "missing"), List.of("SET", "t", "1"));
            exec(jedis, List.of("RPUSH", "q", "a", "b"), List.of("BLPOP", "q", "0"), List.of("SPOP", "nothing"));
            exec(jedis, List.of("INCR", "c"), List.of("INCR", "c"), List.of("LPOP", "nothing"));
            exec(jedis, List.of("SET", "e", "1"), List.of("INCR", "e"), List.of("PEXPIREAT", "e", "99999999999999"));
        }
    }

    private static void exec(Jedis jedis, List<String>... commands) {
        jedis.sendCommand(command("MULTI"));
        for (List<String> queued : commands) {
            jedis.sendCommand(command(queued.get(0)), queued.subList(1, queued.size()).toArray(new String[0]));
        }
        jedis.sendCommand(command("EXEC"));
    }

    /** A pop served later, to a client that was blocked: its own command, after the push that fed it. */
    private static void servedLater(int port) throws Exception {
        try (Jedis waiter = new Jedis("127.0.0.1", port); Jedis pusher = new Jedis("127.0.0.1", port)) {
            CompletableFuture<List<String>> popped = CompletableFuture.supplyAsync(() -> waiter.blpop(0, "jobs"));
            while (!pusher.clientList().contains("cmd=blpop")) {
                Thread.sleep(5);
            }
            exec(pusher, List.of("RPUSH", "jobs", "j1", "j2"), List.of("SET", "pushed", "1"));
            assertEquals(List.of("jobs", "j1"), popped.get(10, TimeUnit.SECONDS));
        }
    }

    private byte[] redisWrites(Path where, IntConsumer commands) throws Exception {
        Files.createDirectories(where);
        try (RedisServerProcess redis = RedisServerProcess.start(where, "--appendonly", "yes")) {
            commands.accept(redis.port());
        }
        return Files.readAllBytes(where.resolve(INCR));
    }

    private byte[] postboxWrites(Path where, IntConsumer commands) throws Exception {
        Files.createDirectories(where);
        try (InJvmPostbox postbox = InJvmPostbox.start("--dir", where.toString(), "--save", "", "--appendonly", "yes",
                "--enable-debug-command", "yes")) {
            commands.accept(postbox.port());
        }
        return Files.readAllBytes(where.resolve(INCR));
    }

    private static IntConsumer unchecked(ThrowingPort body) {
        return port -> {
            try {
                body.run(port);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private interface ThrowingPort {
        void run(int port) throws Exception;
    }

    @Test
    void transactionsAreLoggedAsRedisLogsThem() throws Exception {
        IntConsumer commands = unchecked(port -> {
            transactions(port);
            servedLater(port);
        });
        byte[] redis = redisWrites(dir.resolve("redis"), commands);
        byte[] postbox = postboxWrites(dir.resolve("postbox"), commands);
        assertEquals(readable(redis), readable(postbox));
    }

    @Test
    void scriptWritesAreLoggedAsRedisLogsThem() throws Exception {
        try (InJvmPostbox postbox = InJvmPostbox.start(); Jedis jedis = jedis(postbox)) {
            try {
                jedis.eval("return 1");
            } catch (JedisDataException unknown) {
                Assumptions.abort("this Postbox has no EVAL yet: " + unknown.getMessage());
            }
        }
        IntConsumer commands = unchecked(port -> {
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                jedis.eval("redis.call('set','s1','1'); redis.call('set','s2','2')");
                jedis.eval("redis.call('set','s3','1')");
                jedis.eval("return redis.call('get','s3')");
                exec(jedis, List.of("EVAL", "redis.call('set','s4','1'); redis.call('set','s5','2')", "0"),
                        List.of("SET", "s6", "1"));
                jedis.eval("redis.call('select', 5); redis.call('set','s7','1'); redis.call('select', 0); "
                        + "redis.call('set','s8','1')");
            }
        });
        byte[] redis = redisWrites(dir.resolve("redis"), commands);
        byte[] postbox = postboxWrites(dir.resolve("postbox"), commands);
        assertEquals(readable(redis), readable(postbox));
    }

    /**
     * The keys a SCAN or RANDOMKEY expires as it meets them are logged as deletions each on its own, not
     * as one transaction (Redis's CMD_TOUCHES_ARBITRARY_KEYS), unless the command runs inside EXEC. The
     * order of the deletions is each server's hash order, so each run of them is compared sorted.
     */
    @Test
    void keysThatScanAndRandomkeyExpireAreLoggedOneByOneAsRedisLogsThem() throws Exception {
        IntConsumer commands = unchecked(port -> {
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                jedis.sendCommand(command("DEBUG"), "SET-ACTIVE-EXPIRE", "0");
                for (String[] run : List.of(new String[] {"SCAN", "0"}, new String[] {"RANDOMKEY"})) {
                    jedis.sendCommand(command("SET"), "foo1", "bar", "PX", "1");
                    jedis.sendCommand(command("SET"), "foo2", "bar", "PX", "1");
                    Thread.sleep(5);
                    jedis.sendCommand(command(run[0]), List.of(run).subList(1, run.length).toArray(new String[0]));
                    // A mark in the log, kept out of the database RANDOMKEY picks from.
                    jedis.select(1);
                    jedis.sendCommand(command("SET"), "after-" + run[0], "1");
                    jedis.select(0);
                }
                // A write that meets its own key expired: that deletion joins the write's unit.
                jedis.sendCommand(command("SET"), "foo3", "bar", "PX", "1");
                Thread.sleep(5);
                jedis.sendCommand(command("SET"), "foo3", "again");
                jedis.sendCommand(command("SET"), "foo1", "bar", "PX", "1");
                jedis.sendCommand(command("SET"), "foo2", "bar", "PX", "1");
                Thread.sleep(5);
                exec(jedis, List.of("SCAN", "0"));
            }
        });
        List<String> redis = deletionsSorted(dir.resolve("redis"), commands, true);
        List<String> postbox = deletionsSorted(dir.resolve("postbox"), commands, false);
        assertTrue(redis.contains("MULTI") && redis.contains("DEL foo1"), "the reference itself: " + redis);
        assertEquals(redis, postbox);
    }

    /** The commands a server logged, each run of DELs sorted. */
    private List<String> deletionsSorted(Path where, IntConsumer commands, boolean onRedis) throws Exception {
        if (onRedis) {
            redisWrites(where, commands);
        } else {
            postboxWrites(where, commands);
        }
        List<String> logged = new ArrayList<>(AppendOnlyLog.commands(where));
        for (int start = 0; start < logged.size(); start++) {
            int end = start;
            while (end < logged.size() && logged.get(end).startsWith("DEL ")) {
                end++;
            }
            Collections.sort(logged.subList(start, end));
            start = end;
        }
        return logged;
    }

    @Test
    void redisToolsAndRedisAcceptTheBlocks() throws Exception {
        Path where = dir.resolve("postbox");
        postboxWrites(where, unchecked(AofTransactionsTest::transactions));
        assertTrue(readable(Files.readAllBytes(where.resolve(INCR))).contains("MULTI"));
        Subprocess.Result check = RedisServerProcess.tool("redis-check-aof",
                where.resolve("appendonlydir/appendonly.aof.manifest").toString());
        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("All AOF files and manifest are valid"), check.output());
        Map<String, String> ours;
        try (InJvmPostbox postbox = InJvmPostbox.start("--dir", where.toString(), "--save", "", "--appendonly", "yes");
             Jedis jedis = jedis(postbox)) {
            ours = KeyspaceContents.of(jedis, 16);
        }
        try (RedisServerProcess redis = RedisServerProcess.start(where, "--appendonly", "yes");
             Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            KeyspaceContents.assertSame(ours, KeyspaceContents.of(jedis, 16));
        }
    }

    /**
     * BGREWRITEAOF, BGSAVE and CONFIG SET appendonly yes inside EXEC are scheduled rather than started
     * (Redis does not fork inside a transaction), and the cron starts them once EXEC is over: the same
     * replies, the same log line and the same work done on both servers.
     */
    @Test
    void backgroundWorkAskedForInsideExecIsScheduledAsRedisDoes() throws Exception {
        String logged = "AOF was enabled during a transaction. An AOF background was scheduled to start when possible.";
        Path redisDir = Files.createDirectories(dir.resolve("redis"));
        List<String> redis;
        try (RedisServerProcess server = RedisServerProcess.start(redisDir);
             Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            redis = scheduleInsideExec(jedis);
        }
        assertTrue(Files.readString(redisDir.resolve("redis.log")).contains(logged));
        Path postboxDir = Files.createDirectories(dir.resolve("postbox"));
        PackagedPostbox postbox = PackagedPostbox.start(postboxDir, "--dir", postboxDir.toString(), "--save", "");
        try (Jedis jedis = new Jedis("127.0.0.1", postbox.port())) {
            assertEquals(redis, scheduleInsideExec(jedis));
            assertTrue(postbox.log().contains(logged), postbox.log());
        } finally {
            postbox.close();
        }
    }

    /** The replies of the EXEC, then once the cron has run what it scheduled, what INFO counted. */
    private static List<String> scheduleInsideExec(Jedis jedis) throws InterruptedException {
        jedis.sendCommand(command("MULTI"));
        jedis.sendCommand(command("SET"), "foo", "bar");
        jedis.sendCommand(command("BGREWRITEAOF"));
        jedis.sendCommand(command("BGSAVE"));
        jedis.sendCommand(command("CONFIG"), "SET", "appendonly", "yes");
        List<String> seen = new ArrayList<>();
        for (Object reply : (List<?>) jedis.sendCommand(command("EXEC"))) {
            seen.add(text(reply));
        }
        long deadline = System.currentTimeMillis() + 30_000;
        Map<String, String> info = InfoFields.parse(jedis.info("persistence"));
        while (!info.get("rdb_saves").equals("1") || !info.get("aof_rewrites").equals("1")
                || !info.get("rdb_bgsave_in_progress").equals("0")) {
            assertTrue(System.currentTimeMillis() < deadline, "the scheduled work did not run in 30 s: " + info);
            Thread.sleep(20);
            info = InfoFields.parse(jedis.info("persistence"));
        }
        for (String field : List.of("aof_enabled", "aof_rewrite_scheduled", "aof_last_bgrewrite_status",
                "rdb_last_bgsave_status")) {
            seen.add(field + ":" + info.get(field));
        }
        return seen;
    }

    /** The file ends after complete commands of a block that has no EXEC: the block is dropped, as Redis reverts it. */
    @Test
    void aBlockWithoutItsExecIsDroppedAtLoad() throws Exception {
        Path incr = blockThenCut(false);
        assertEquals(1, cutAtLoadAndCheck(incr));
    }

    /**
     * The file ends inside a command of a block: the block is dropped and the file cut before its MULTI.
     * (redis-server 7.0.15 loads the same data but cuts the file after the block's last complete command,
     * leaving a MULTI with no EXEC, so the writes it then appends are lost at the next start; Postbox cuts
     * before the MULTI and keeps them.)
     */
    @Test
    void aBlockTornInsideACommandIsDroppedAtLoadAndLaterWritesSurvive() throws Exception {
        Path incr = blockThenCut(true);
        assertEquals(1, cutAtLoadAndCheck(incr));
    }

    /** Writes k=1, then a three-command block; cuts the file inside the block. Returns the incremental file. */
    private Path blockThenCut(boolean insideACommand) throws Exception {
        Path where = dir.resolve("postbox");
        postboxWrites(where, port -> {
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                jedis.set("k", "1");
                exec(jedis, List.of("SET", "a", "1"), List.of("SET", "b", "2"), List.of("SET", "c", "3"));
            }
        });
        Path incr = where.resolve(INCR);
        String text = new String(Files.readAllBytes(incr), StandardCharsets.ISO_8859_1);
        int exec = text.indexOf("*1\r\n$4\r\nEXEC\r\n");
        int cut = insideACommand ? text.indexOf("$1\r\nc\r\n") : exec;
        Files.write(incr, text.substring(0, cut).getBytes(StandardCharsets.ISO_8859_1));
        return incr;
    }

    /** Loads the cut file; checks the block left nothing behind and a later write survives; returns keys loaded. */
    private int cutAtLoadAndCheck(Path incr) throws Exception {
        Path where = dir.resolve("postbox");
        String kept = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\n1\r\n";
        int size;
        try (InJvmPostbox postbox = InJvmPostbox.start("--dir", where.toString(), "--save", "", "--appendonly", "yes");
             Jedis jedis = jedis(postbox)) {
            size = (int) jedis.dbSize();
            assertEquals("1", jedis.get("k"));
            assertEquals(kept, new String(Files.readAllBytes(incr), StandardCharsets.ISO_8859_1),
                    "the file is cut before the MULTI");
            jedis.set("after", "1");
        }
        try (InJvmPostbox postbox = InJvmPostbox.start("--dir", where.toString(), "--save", "", "--appendonly", "yes");
             Jedis jedis = jedis(postbox)) {
            assertEquals("1", jedis.get("after"), "a write after the cut survives the next restart");
            assertEquals(2, jedis.dbSize());
        }
        return size;
    }

    private static String readable(byte[] aof) {
        return new String(aof, StandardCharsets.ISO_8859_1).replace("\r\n", " ");
    }
}
