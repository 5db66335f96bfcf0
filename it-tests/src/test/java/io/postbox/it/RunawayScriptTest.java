package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.RawConnection;
import io.postbox.it.support.RedisServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * A script that runs past busy-reply-threshold, as issue 5 asks: other clients get -BUSY, SCRIPT KILL
 * recovers the server with the data intact, a script that wrote cannot be killed, and SHUTDOWN NOSAVE
 * stops the server under it. Each scenario runs on Postbox and on a redis-server of its own, and what
 * the clients saw (the exact reply bytes) must be the same.
 */
class RunawayScriptTest {

    private static final String BUSY =
            "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n";

    @TempDir
    Path dir;

    /** What the clients of one scenario saw, in order. */
    private interface Scenario {
        List<String> run(int port) throws Exception;
    }

    private static List<String> onBoth(Path dir, Scenario scenario) throws Exception {
        List<String> reference;
        try (RedisServerProcess redis = RedisServerProcess.start(dir)) {
            reference = scenario.run(redis.port());
        }
        try (InJvmPostbox postbox = InJvmPostbox.start()) {
            List<String> postboxSaw = scenario.run(postbox.port());
            assertEquals(reference, postboxSaw);
            return postboxSaw;
        }
    }

    @Test
    void scriptKillRecoversTheServerFromAnEndlessLoopWithTheDataIntact() throws Exception {
        List<String> saw = onBoth(dir, port -> {
            List<String> seen = new ArrayList<>();
            try (Jedis jedis = new Jedis("127.0.0.1", port); RawConnection other = new RawConnection(port)) {
                jedis.configSet("busy-reply-threshold", "200");
                jedis.rpush("queue", "a", "b", "c");
                CompletableFuture<String> caller = evalInBackground(port, "while true do end");
                seen.add(awaitBusy(other));
                seen.add(text(other.call("LRANGE", "queue", "0", "-1")));
                seen.add(text(other.call("MULTI")) + text(other.call("RPOP", "queue")) + text(other.call("EXEC")));
                try (RawConnection fresh = new RawConnection(port)) {
                    seen.add(text(fresh.call("SCRIPT", "KILL")));
                }
                seen.add(caller.get(10, TimeUnit.SECONDS));
                seen.add(text(other.call("LRANGE", "queue", "0", "-1")));
                seen.add(text(other.call("SCRIPT", "KILL")));
                seen.add(jedis.ping());
                seen.add(String.valueOf(jedis.eval("return redis.call('llen', KEYS[1])", 1, "queue")));
            }
            return seen;
        });
        assertEquals(BUSY, saw.get(0));
        assertTrue(saw.get(3).equals("+OK\r\n"), saw.toString());
        assertTrue(saw.get(4).contains("Script killed by user with SCRIPT KILL..."), saw.toString());
        assertEquals("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", saw.get(5));
    }

    @Test
    void aTransactionWhoseScriptRunsLongIsBusyTooAndScriptKillEndsIt() throws Exception {
        List<String> saw = onBoth(dir, port -> {
            List<String> seen = new ArrayList<>();
            try (Jedis jedis = new Jedis("127.0.0.1", port); RawConnection transaction = new RawConnection(port);
                 RawConnection other = new RawConnection(port)) {
                jedis.configSet("busy-reply-threshold", "200");
                seen.add(text(transaction.call("MULTI")));
                seen.add(text(transaction.call("SET", "before", "1")));
                seen.add(text(transaction.call("EVAL", "while true do end", "0")));
                transaction.send(List.of("EXEC".getBytes(StandardCharsets.US_ASCII)));
                seen.add(awaitBusy(other));
                seen.add(text(other.call("SCRIPT", "KILL")));
                seen.add(text(transaction.readReply()));
                seen.add(text(other.call("GET", "before")));
            }
            return seen;
        });
        assertEquals(BUSY, saw.get(3));
        assertTrue(saw.get(5).startsWith("*2\r\n+OK\r\n-ERR Script killed by user with SCRIPT KILL..."), saw.toString());
        assertEquals("$1\r\n1\r\n", saw.get(6));
    }

    @Test
    void aFunctionRunningLongShowsInFunctionStatsAndFunctionKillEndsIt() throws Exception {
        List<String> saw = onBoth(dir, port -> {
            List<String> seen = new ArrayList<>();
            try (Jedis jedis = new Jedis("127.0.0.1", port); RawConnection other = new RawConnection(port)) {
                jedis.configSet("busy-reply-threshold", "200");
                jedis.functionLoad("#!lua name=spinning\nredis.register_function('spin', function() while true do end end)");
                CompletableFuture<String> caller = CompletableFuture.supplyAsync(() -> {
                    try (Jedis fcall = new Jedis("127.0.0.1", port, 20_000)) {
                        return String.valueOf(fcall.fcall("spin", List.of(), List.of()));
                    } catch (RuntimeException e) {
                        return e.getMessage();
                    }
                });
                seen.add(awaitBusy(other));
                seen.add(text(other.call("SCRIPT", "KILL")));
                // The running time differs from run to run; the rest of the reply must not.
                seen.add(text(other.call("FUNCTION", "STATS")).replaceAll("duration_ms\r\n:\\d+", "duration_ms\r\n:N"));
                seen.add(text(other.call("FUNCTION", "KILL")));
                seen.add(caller.get(10, TimeUnit.SECONDS));
                seen.add(text(other.call("FUNCTION", "KILL")));
                seen.add(jedis.ping());
            }
            return seen;
        });
        assertEquals("-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n",
                saw.get(0));
        assertTrue(saw.get(2).contains("$4\r\nspin\r\n"), saw.toString());
        assertEquals("+OK\r\n", saw.get(3));
        assertEquals("PONG", saw.get(6));
    }

    @Test
    void aScriptThatWroteCannotBeKilledButShutdownNosaveStopsTheServer() throws Exception {
        List<String> saw = onBoth(dir, port -> {
            List<String> seen = new ArrayList<>();
            try (Jedis jedis = new Jedis("127.0.0.1", port); RawConnection other = new RawConnection(port)) {
                jedis.configSet("busy-reply-threshold", "200");
                CompletableFuture<String> caller =
                        evalInBackground(port, "redis.call('set', 'written', '1') while true do end");
                seen.add(awaitBusy(other));
                seen.add(text(other.call("SCRIPT", "KILL")));
                seen.add(text(other.call("SHUTDOWN")));
                other.send(List.of("SHUTDOWN".getBytes(StandardCharsets.US_ASCII), "NOSAVE".getBytes(StandardCharsets.US_ASCII)));
                seen.add("closed " + other.closedByPeer(10_000));
                seen.add(caller.get(10, TimeUnit.SECONDS));
            }
            seen.add("refused " + refused(port));
            return seen;
        });
        assertTrue(saw.get(1).startsWith("-UNKILLABLE Sorry the script already executed write commands"), saw.toString());
        assertEquals(BUSY, saw.get(2));
        assertEquals("closed true", saw.get(3));
        assertEquals("refused true", saw.get(5));
        assertTrue(noScriptStillRunning(), "the abandoned script ended with the in-JVM server");
    }

    /** Whether no thread is left running Lua, waiting up to 5 s for the last one to end. */
    private static boolean noScriptStillRunning() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            boolean running = Thread.getAllStackTraces().values().stream().anyMatch(stack ->
                    java.util.Arrays.stream(stack).anyMatch(frame -> frame.getMethodName().equals("lua_pcall")));
            if (!running) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /**
     * HELLO and AUTH are allow_busy: a client that connects during a long script gets its handshake
     * answered (Lettuce's HELLO 3, Jedis's AUTH) and -BUSY only for what it asks next.
     */
    @Test
    void helloAndAuthAreAnsweredWhileAScriptIsBusy() throws Exception {
        List<String> saw = onBoth(dir, port -> {
            List<String> seen = new ArrayList<>();
            try (Jedis jedis = new Jedis("127.0.0.1", port); RawConnection other = new RawConnection(port)) {
                jedis.configSet("busy-reply-threshold", "200");
                CompletableFuture<String> caller = evalInBackground(port, "while true do end");
                seen.add(awaitBusy(other));
                try (RawConnection fresh = new RawConnection(port)) {
                    seen.add(text(fresh.call("AUTH", "secret")));
                    seen.add(text(fresh.call("AUTH", "default", "any")));
                    seen.add(text(fresh.call("HELLO", "4")));
                    seen.add(text(fresh.call("HELLO", "3", "SETNAME", "probe")).replaceFirst("id\r\n:\\d+", "id"));
                    seen.add(text(fresh.call("CLIENT", "SETNAME", "other")));
                    seen.add(text(fresh.call("PING")));
                    seen.add(text(other.call("SCRIPT", "KILL")));
                    seen.add(caller.get(10, TimeUnit.SECONDS));
                    seen.add(text(fresh.call("CLIENT", "GETNAME")));
                    seen.add(text(fresh.call("PING")));
                }
            }
            return seen;
        });
        assertTrue(saw.get(4).startsWith("%7\r\n$6\r\nserver\r\n"), saw.get(4));
        assertEquals(BUSY, saw.get(6));
        assertEquals("$5\r\nprobe\r\n", saw.get(9));
    }

    /**
     * Commands answered while a script writes leave its effects whole: the append-only file holds every
     * write of the script, and no connection is dropped.
     */
    @Test
    void commandsAnsweredDuringAWritingScriptLeaveItsAppendOnlyFileWhole() throws Exception {
        String script = "local stop = tonumber(redis.call('TIME')[1]) + 2 "
                + "local i = 0 "
                + "while true do "
                + "  i = i + 1 "
                + "  redis.call('INCR', 'counter') "
                + "  if i % 1000 == 0 and tonumber(redis.call('TIME')[1]) >= stop then return i end "
                + "end";
        try (InJvmPostbox postbox = InJvmPostbox.start("--busy-reply-threshold", "100", "--appendonly", "yes",
                "--dir", dir.toString(), "--save", "", "--enable-debug-command", "yes");
             RawConnection other = new RawConnection(postbox.port())) {
            CompletableFuture<String> caller = evalInBackground(postbox.port(), script);
            assertEquals(BUSY, awaitBusy(other));
            List<CompletableFuture<Integer>> askers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                askers.add(CompletableFuture.supplyAsync(() -> askStatsUntilDone(postbox.port(), caller)));
            }
            String writes = caller.get(10, TimeUnit.SECONDS);
            for (CompletableFuture<Integer> asker : askers) {
                assertTrue(asker.get(10, TimeUnit.SECONDS) > 0, "FUNCTION STATS answered while busy");
            }
            assertEquals("$" + writes.length() + "\r\n" + writes + "\r\n", text(other.call("GET", "counter")));
            assertEquals("+OK\r\n", text(other.call("DEBUG", "LOADAOF")));
            assertEquals("$" + writes.length() + "\r\n" + writes + "\r\n", text(other.call("GET", "counter")));
        }
    }

    /** Sends FUNCTION STATS on a connection of its own until {@code script} has ended: the number answered. */
    private static int askStatsUntilDone(int port, CompletableFuture<String> script) {
        int answered = 0;
        try (RawConnection connection = new RawConnection(port)) {
            while (!script.isDone()) {
                assertTrue(text(connection.call("FUNCTION", "STATS")).startsWith("*4\r\n$14\r\nrunning_script\r\n"));
                answered++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return answered;
    }

    @Test
    void monitorsAndSubscribersSeeWhatABusyScriptDoesWhileItRuns() throws Exception {
        String script = "local stop = tonumber(redis.call('TIME')[1]) + 5 "
                + "local i = 0 "
                + "while true do "
                + "  i = i + 1 "
                + "  if i % 100000 == 0 then "
                + "    redis.call('PUBLISH', 'progress', i) "
                + "    if tonumber(redis.call('TIME')[1]) >= stop then return i end "
                + "  end "
                + "end";
        try (InJvmPostbox postbox = InJvmPostbox.start("--busy-reply-threshold", "200");
             RawConnection monitor = new RawConnection(postbox.port());
             RawConnection subscriber = new RawConnection(postbox.port());
             RawConnection other = new RawConnection(postbox.port())) {
            assertEquals("+OK\r\n", text(monitor.call("MONITOR")));
            assertTrue(text(subscriber.call("SUBSCRIBE", "progress")).contains("subscribe"));
            CompletableFuture<String> caller = evalInBackground(postbox.port(), script);
            assertEquals(BUSY, awaitBusy(other));
            String line;
            do {
                line = text(monitor.readReply());
            } while (!line.contains("[0 lua] \"PUBLISH\" \"progress\""));
            assertTrue(text(subscriber.readReply()).startsWith("*3\r\n$7\r\nmessage\r\n$8\r\nprogress\r\n"));
            assertEquals(BUSY, text(other.call("PING")), "the script was still running");
            assertTrue(Long.parseLong(caller.get(10, TimeUnit.SECONDS)) > 0);
            assertEquals("+PONG\r\n", text(other.call("PING")));
        }
    }

    /**
     * A SIGTERM under a busy script shuts the server down once the script has ended, saving as the
     * save points ask, as Redis's cron does: on both servers, the key set before and the script's last
     * write are there after a restart. Postbox used to abandon the script and exit without saving.
     */
    @Test
    void aSigtermUnderABusyScriptWaitsForItThenSaves() throws Exception {
        String[] saving = {"--save", "3600 1", "--busy-reply-threshold", "100"};
        Path redisDir = Files.createDirectories(dir.resolve("redis"));
        List<String> reference;
        try (RedisServerProcess redis = RedisServerProcess.start(redisDir, saving)) {
            signalUnderABusyScript(redis.port(), redis::close);
        }
        try (RedisServerProcess restarted = RedisServerProcess.start(redisDir)) {
            reference = keptByTheSave(restarted.port());
        }
        Path postboxDir = Files.createDirectories(dir.resolve("postbox"));
        List<String> withDir = new ArrayList<>(List.of("--dir", postboxDir.toString()));
        withDir.addAll(List.of(saving));
        String[] options = withDir.toArray(String[]::new);
        try (InJvmPostbox postbox = InJvmPostbox.start(options)) {
            signalUnderABusyScript(postbox.port(), () -> {
                postbox.server().shutdownOnSignal("SIGTERM");
                postbox.server().awaitTermination();
            });
        }
        try (InJvmPostbox restarted = InJvmPostbox.start(options)) {
            assertEquals(reference, keptByTheSave(restarted.port()));
        }
        assertEquals(List.of("v", "1"), reference, "the key set before, and the script's last write");
    }

    /** How a test stops a server: SIGTERM, waiting for the process to end. */
    private interface Signal {
        void send() throws Exception;
    }

    /** Sets k, runs a 1.5 s script that then sets done, and once the script is busy sends the signal. */
    private static void signalUnderABusyScript(int port, Signal signal) throws Exception {
        try (RawConnection other = new RawConnection(port)) {
            other.call("SET", "k", "v");
            CompletableFuture<String> caller = evalInBackground(port, "local t = redis.call('time') "
                    + "repeat local n = redis.call('time') until (n[1] - t[1]) * 1000000 + n[2] - t[2] > 1500000 "
                    + "redis.call('set', 'done', '1') return 1");
            assertEquals(BUSY, awaitBusy(other));
            signal.send();
            caller.get(10, TimeUnit.SECONDS);
        }
    }

    private static List<String> keptByTheSave(int port) {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            return Arrays.asList(jedis.get("k"), jedis.get("done"));
        }
    }

    /** Runs EVAL from Jedis in the background; completes with the error its caller saw (or the result). */
    private static CompletableFuture<String> evalInBackground(int port, String script) {
        return CompletableFuture.supplyAsync(() -> {
            try (Jedis caller = new Jedis("127.0.0.1", port, 20_000)) {
                return String.valueOf(caller.eval(script, 0));
            } catch (RuntimeException e) {
                return e.getMessage();
            }
        });
    }

    /** Pings until the reply is -BUSY (the script passed the threshold) and returns that reply. */
    private static String awaitBusy(RawConnection other) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String reply;
        do {
            Thread.sleep(50);
            reply = text(other.call("PING"));
        } while (!reply.startsWith("-BUSY") && System.nanoTime() < deadline);
        return reply;
    }

    /** Whether the server no longer accepts connections (waiting up to 10 s for it to stop). */
    private static boolean refused(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (RawConnection probe = new RawConnection(port)) {
                Thread.sleep(100);
            } catch (IOException e) {
                return true;
            }
        }
        return false;
    }

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }
}
