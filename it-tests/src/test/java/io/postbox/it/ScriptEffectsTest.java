package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.RawConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** What a script's commands do beyond its reply: blocked clients served, MONITOR, the append-only file. */
class ScriptEffectsTest {

    @TempDir
    Path dir;

    @Test
    void aClientBlockedOnAKeyTheScriptPushedToIsServedAfterTheScript() throws Exception {
        try (InJvmPostbox postbox = InJvmPostbox.start();
             Jedis waiter = new Jedis("127.0.0.1", postbox.port());
             Jedis pusher = new Jedis("127.0.0.1", postbox.port())) {
            CompletableFuture<List<String>> popped = CompletableFuture.supplyAsync(() -> waiter.blpop(10, "jobs"));
            while (!pusher.clientList().contains("cmd=blpop")) {
                Thread.sleep(5);
            }
            assertEquals(2L, pusher.eval("redis.call('rpush', KEYS[1], 'a') return redis.call('rpush', KEYS[1], 'b')",
                    List.of("jobs"), List.of()));
            assertEquals(List.of("jobs", "a"), popped.get(10, TimeUnit.SECONDS));
            assertEquals(List.of("b"), pusher.lrange("jobs", 0, -1));
        }
    }

    @Test
    void monitorShowsTheScriptCommandThenItsCommandsAsLua() throws Exception {
        try (InJvmPostbox postbox = InJvmPostbox.start();
             RawConnection monitor = new RawConnection(postbox.port());
             Jedis jedis = new Jedis("127.0.0.1", postbox.port())) {
            assertEquals("+OK\r\n", new String(monitor.call("MONITOR"), StandardCharsets.ISO_8859_1));
            jedis.eval("redis.call('set', KEYS[1], 'v') return redis.call('get', KEYS[1])", 1, "k");
            String eval = new String(monitor.readReply(), StandardCharsets.ISO_8859_1);
            String set = new String(monitor.readReply(), StandardCharsets.ISO_8859_1);
            String get = new String(monitor.readReply(), StandardCharsets.ISO_8859_1);
            assertTrue(eval.matches("(?i)\\+\\d+\\.\\d{6} \\[0 127\\.0\\.0\\.1:\\d+\\] \"eval\" .* \"1\" \"k\"\r\n"), eval);
            assertTrue(set.endsWith(" [0 lua] \"set\" \"k\" \"v\"\r\n"), set);
            assertTrue(get.endsWith(" [0 lua] \"get\" \"k\"\r\n"), get);
        }
    }

    @Test
    void theAppendOnlyFileRecordsTheScriptsWritesNotTheScript() throws Exception {
        try (InJvmPostbox postbox = InJvmPostbox.start("--dir", dir.toString(), "--save", "", "--appendonly", "yes",
                "--appendfsync", "always");
             Jedis jedis = new Jedis("127.0.0.1", postbox.port())) {
            jedis.zadd("dq", 100, "due");
            jedis.eval("local m = redis.call('zrangebyscore', KEYS[1], '-inf', ARGV[1]) redis.call('zrem', KEYS[1], m[1])"
                    + " return redis.call('lpush', 'ready', m[1])", List.of("dq"), List.of("200"));
        }
        String log;
        try (Stream<Path> files = Files.list(dir.resolve("appendonlydir"))) {
            Path incr = files.filter(p -> p.toString().endsWith(".incr.aof")).findFirst().orElseThrow();
            log = Files.readString(incr, StandardCharsets.ISO_8859_1).toLowerCase();
        }
        assertFalse(log.contains("eval"), log);
        assertFalse(log.contains("zrangebyscore"), log);
        assertTrue(log.contains("$4\r\nzrem\r\n$2\r\ndq\r\n$3\r\ndue\r\n"), log);
        assertTrue(log.contains("$5\r\nlpush\r\n$5\r\nready\r\n$3\r\ndue\r\n"), log);
        try (InJvmPostbox postbox = InJvmPostbox.start("--dir", dir.toString(), "--save", "", "--appendonly", "yes");
             Jedis jedis = new Jedis("127.0.0.1", postbox.port())) {
            assertEquals(List.of("due"), jedis.lrange("ready", 0, -1));
            assertEquals(0, jedis.zcard("dq"));
        }
    }
}
