package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.RawConnection;
import io.postbox.it.support.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call of EVAL, EVALSHA or FCALL takes its flags from the script it runs, as Redis's getCommandFlags
 * gives them: a script without a shebang may replicate, one with a shebang writes unless it declares
 * {@code no-writes}, and may add data unless it declares {@code allow-oom}; a function has its
 * registered flags. Those flags decide what a write pause holds, what MISCONF refuses and what is
 * refused over maxmemory; MISCONF refuses a script's writes as it refuses any, and over maxmemory a
 * script may not begin writing with a command that may add data. The same calls go to a redis-server of
 * the test's own and to Postbox, and what each answered is compared.
 */
class ScriptCallFlagsSideBySideTest {

    private static final String NO_WRITES_SCRIPT = "#!lua flags=no-writes\nreturn 2";
    private static final String PLAIN_SCRIPT = "return 3";
    private static final String LIBRARY = "#!lua name=lib\n"
            + "redis.register_function('fw', function() return redis.call('set', 'f', '1') end)\n"
            + "redis.register_function{function_name='fnw', callback=function() return redis.call('get', 'f') end,"
            + " flags={'no-writes'}}\n"
            + "redis.register_function{function_name='foom',"
            + " callback=function() return redis.call('set', 'f', '2') end, flags={'allow-oom'}}";

    /** Calls of every kind: with and without shebangs and flags, cached or not, functions or not. */
    private static final List<List<String>> CALLS = List.of(
            List.of("EVAL", "return 1", "0"),
            List.of("EVAL", "return redis.call('get', 'x')", "0"),
            List.of("EVAL", "#!lua\nreturn 1", "0"),
            List.of("EVAL", "#!lua flags=no-writes\nreturn 1", "0"),
            List.of("EVAL", "#!lua flags=no-writes,allow-oom\nreturn 1", "0"),
            List.of("EVAL", "#!lua flags=allow-oom\nreturn 1", "0"),
            List.of("EVAL", "#!lua flags=bogus\nreturn 1", "0"),
            List.of("EVAL_RO", "return 1", "0"),
            List.of("EVAL_RO", "#!lua\nreturn 1", "0"),
            List.of("EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0"),
            List.of("EVALSHA", "abc", "0"),
            List.of("EVALSHA", sha1(NO_WRITES_SCRIPT), "0"),
            List.of("EVALSHA", sha1(PLAIN_SCRIPT).toUpperCase(), "0"),
            List.of("EVALSHA_RO", sha1(NO_WRITES_SCRIPT), "0"),
            List.of("FCALL", "fnw", "0"),
            List.of("FCALL", "fw", "0"),
            List.of("FCALL_RO", "fnw", "0"),
            List.of("FCALL_RO", "fw", "0"),
            List.of("FCALL", "nosuch", "0"),
            List.of("FCALL_RO", "nosuch", "0"));

    /**
     * Scripts that write (first with a command that adds no data, or declaring allow-oom), or only read, or
     * publish; PING, which MISCONF refuses too; commands that may add data, or not.
     */
    private static final List<List<String>> WRITING_CALLS = List.of(
            List.of("EVAL", "return redis.call('set', 'x', '3')", "0"),
            List.of("EVAL", "return redis.pcall('set', 'x', '3')", "0"),
            List.of("EVAL", "redis.call('del', 'y') return redis.call('set', 'x', '5')", "0"),
            List.of("EVAL", "return redis.call('publish', 'c', 'm')", "0"),
            List.of("EVAL", "#!lua\nreturn redis.call('set', 'x', '3')", "0"),
            List.of("EVAL", "#!lua flags=allow-oom\nreturn redis.call('set', 'x', '6')", "0"),
            List.of("EVAL", "#!lua flags=no-writes\nreturn redis.call('get', 'x')", "0"),
            List.of("FCALL", "foom", "0"),
            List.of("PING"),
            List.of("SET", "y", "1"),
            List.of("DEL", "x"));

    /** Long enough that a call answered under the pause was not held, on a slow machine too. */
    private static final int PAUSE_MILLIS = 1_000;

    @TempDir
    Path dir;

    private final ExecutorService readers = Executors.newCachedThreadPool();

    @AfterEach
    void stopReaders() {
        readers.shutdownNow();
    }

    @Test
    void aWritePauseHoldsTheScriptCallsRedisHolds() throws Exception {
        List<String> expected = sameOnBoth(this::underWritePause);
        assertTrue(expected.contains("held :1\r\n") && expected.contains("ran :1\r\n"), expected.toString());
    }

    @Test
    void misconfRefusesTheScriptCallsAndScriptWritesRedisRefuses() throws Exception {
        List<String> expected;
        Path redisDir = Files.createDirectory(dir.resolve("redis"));
        try (RedisServerProcess redis = RedisServerProcess.start(redisDir)) {
            expected = afterFailedSave(redis.port(), redisDir);
        }
        Path postboxDir = Files.createDirectory(dir.resolve("postbox"));
        try (InJvmPostbox postbox = InJvmPostbox.start("--dir", postboxDir.toString(), "--appendonly", "no")) {
            assertEquals(expected, afterFailedSave(postbox.port(), postboxDir));
        }
        assertTrue(expected.stream().anyMatch(reply -> reply.startsWith("-MISCONF")), expected.toString());
    }

    @Test
    void maxmemoryRefusesTheScriptCallsAndScriptWritesRedisRefuses() throws Exception {
        List<String> expected = sameOnBoth(ScriptCallFlagsSideBySideTest::overMaxmemory);
        assertTrue(expected.stream().anyMatch(reply -> reply.startsWith("-OOM")), expected.toString());
    }

    /** A scenario's replies from a server on {@code port}. */
    private interface Scenario {
        List<String> replies(int port) throws Exception;
    }

    /** The replies {@code scenario} gets from redis-server, once Postbox (default settings) gave the same. */
    private List<String> sameOnBoth(Scenario scenario) throws Exception {
        List<String> expected;
        try (RedisServerProcess redis = RedisServerProcess.start(Files.createDirectory(dir.resolve("redis")))) {
            expected = scenario.replies(redis.port());
        }
        try (InJvmPostbox postbox = InJvmPostbox.start()) {
            assertEquals(expected, scenario.replies(postbox.port()));
        }
        return expected;
    }

    /**
     * Sends every call, each on its own connection, under one CLIENT PAUSE WRITE, and last an EXEC of
     * each script that MULTI queued before the pause: which were answered during the pause ("ran") and
     * which only after it ("held"), each with its reply.
     */
    private List<String> underWritePause(int port) throws Exception {
        List<RawConnection> workers = new ArrayList<>();
        try (RawConnection admin = new RawConnection(port)) {
            load(admin);
            List<RawConnection> transactions = new ArrayList<>();
            for (List<String> call : CALLS) {
                RawConnection transaction = new RawConnection(port);
                workers.add(transaction);
                transactions.add(transaction);
                assertEquals("+OK\r\n", text(transaction.call("MULTI")));
                assertEquals("+QUEUED\r\n", text(transaction.call(call.toArray(new String[0]))));
            }
            assertEquals("+OK\r\n", text(admin.call("CLIENT", "PAUSE", "60000", "WRITE")));
            List<CompletableFuture<String>> replies = new ArrayList<>();
            for (List<String> call : CALLS) {
                RawConnection worker = new RawConnection(port);
                workers.add(worker);
                worker.send(RawConnection.command(call.toArray(new String[0])));
                replies.add(CompletableFuture.supplyAsync(() -> read(worker), readers));
            }
            for (RawConnection transaction : transactions) {
                transaction.send(RawConnection.command("EXEC"));
                replies.add(CompletableFuture.supplyAsync(() -> read(transaction), readers));
            }
            Thread.sleep(PAUSE_MILLIS);
            List<Boolean> answered = replies.stream().map(CompletableFuture::isDone).toList();
            assertEquals("+OK\r\n", text(admin.call("CLIENT", "UNPAUSE")));
            List<String> verdicts = new ArrayList<>();
            for (int i = 0; i < replies.size(); i++) {
                verdicts.add((answered.get(i) ? "ran " : "held ") + replies.get(i).get(10, TimeUnit.SECONDS));
            }
            return verdicts;
        } finally {
            for (RawConnection worker : workers) {
                worker.close();
            }
        }
    }

    /**
     * Makes a BGSAVE fail (its file's name is taken by a directory), with save points set so that
     * MISCONF refuses writes, and returns the replies to every call, to the scripts that write (and
     * then what x holds), to a transaction that queued a writing script, and to the EXEC of one that
     * queued a write before the save failed.
     */
    private static List<String> afterFailedSave(int port, Path data) throws Exception {
        try (RawConnection admin = new RawConnection(port); RawConnection queuedBefore = new RawConnection(port)) {
            load(admin);
            assertEquals("+OK\r\n", text(admin.call("SET", "x", "1")));
            assertEquals("+OK\r\n", text(queuedBefore.call("MULTI")));
            assertEquals("+QUEUED\r\n", text(queuedBefore.call("EVAL", "return 1", "0")));
            assertEquals("+QUEUED\r\n", text(queuedBefore.call("SET", "x", "4")));
            assertEquals("+OK\r\n", text(admin.call("CONFIG", "SET", "save", "3600 1")));
            Files.createDirectories(data.resolve("dump.rdb").resolve("taken"));
            assertEquals("+Background saving started\r\n", text(admin.call("BGSAVE")));
            awaitFailedSave(admin);
            List<String> replies = refusingReplies(admin, queuedBefore);
            assertEquals("+OK\r\n", text(admin.call("CONFIG", "SET", "save", "")));
            return replies;
        }
    }

    /**
     * Sets maxmemory to 1 byte, which every server exceeds, and returns the replies {@link #afterFailedSave}
     * does, and the EXEC of a transaction that queued a script which writes, and a read, before the limit.
     */
    private static List<String> overMaxmemory(int port) throws Exception {
        try (RawConnection admin = new RawConnection(port); RawConnection queuedBefore = new RawConnection(port);
                RawConnection scriptQueuedBefore = new RawConnection(port)) {
            load(admin);
            assertEquals("+OK\r\n", text(admin.call("SET", "x", "1")));
            assertEquals("+OK\r\n", text(queuedBefore.call("MULTI")));
            assertEquals("+QUEUED\r\n", text(queuedBefore.call("EVAL", "return 1", "0")));
            assertEquals("+QUEUED\r\n", text(queuedBefore.call("SET", "x", "4")));
            assertEquals("+OK\r\n", text(scriptQueuedBefore.call("MULTI")));
            assertEquals("+QUEUED\r\n",
                    text(scriptQueuedBefore.call("EVAL", "return redis.call('set', 'x', '7')", "0")));
            assertEquals("+QUEUED\r\n", text(scriptQueuedBefore.call("GET", "x")));
            assertEquals("+OK\r\n", text(admin.call("CONFIG", "SET", "maxmemory", "1")));
            List<String> replies = refusingReplies(admin, queuedBefore);
            replies.add(text(scriptQueuedBefore.call("EXEC")));
            assertEquals("+OK\r\n", text(admin.call("CONFIG", "SET", "maxmemory", "0")));
            return replies;
        }
    }

    /**
     * While the server refuses writes: the replies to every call, to the scripts that write (and then what
     * x holds), to a transaction that queues scripts, and to the EXEC of {@code queuedBefore}, which queued
     * a write before.
     */
    private static List<String> refusingReplies(RawConnection admin, RawConnection queuedBefore) throws Exception {
        List<String> replies = new ArrayList<>();
        for (List<String> call : CALLS) {
            replies.add(text(admin.call(call.toArray(new String[0]))));
        }
        for (List<String> call : WRITING_CALLS) {
            replies.add(text(admin.call(call.toArray(new String[0]))));
        }
        replies.add(text(admin.call("GET", "x")));
        admin.send(RawConnection.command("MULTI"));
        admin.send(RawConnection.command("EVAL", "#!lua\nreturn 1", "0"));
        admin.send(RawConnection.command("EVAL", "return 1", "0"));
        admin.send(RawConnection.command("EXEC"));
        for (int i = 0; i < 4; i++) {
            replies.add(text(admin.readReply()));
        }
        replies.add(text(queuedBefore.call("EXEC")));
        return replies;
    }

    private static void awaitFailedSave(RawConnection admin) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!text(admin.call("INFO", "persistence")).contains("rdb_last_bgsave_status:err")) {
            assertTrue(System.nanoTime() < deadline, "the BGSAVE did not fail");
            Thread.sleep(20);
        }
    }

    private static void load(RawConnection admin) throws Exception {
        assertEquals(text(admin.call("SCRIPT", "LOAD", NO_WRITES_SCRIPT)), bulk(sha1(NO_WRITES_SCRIPT)));
        assertEquals(text(admin.call("SCRIPT", "LOAD", PLAIN_SCRIPT)), bulk(sha1(PLAIN_SCRIPT)));
        assertEquals("$3\r\nlib\r\n", text(admin.call("FUNCTION", "LOAD", LIBRARY)));
    }

    private static String read(RawConnection connection) {
        try {
            return text(connection.readReply());
        } catch (Exception e) {
            return "no reply: " + e;
        }
    }

    private static String sha1(String script) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.ISO_8859_1));
            return HexFormat.of().formatHex(digest);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String bulk(String text) {
        return "$" + text.length() + "\r\n" + text + "\r\n";
    }

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }
}
