package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.Commands;
import io.postbox.commands.Engine;
import io.postbox.commands.config.Config;
import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.RedisServerProcess;
import io.postbox.it.support.Subprocess;
import io.postbox.persistence.SnapshotJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

/** Function libraries live in RDB files as Redis keeps them: they survive a restart and cross to and from Redis. */
class FunctionPersistenceTest {

    private static final ProtocolCommand DEBUG = () -> SafeEncoder.encode("DEBUG");
    private static final String LIBRARY =
            "#!lua name=queue\nredis.register_function('pop_due', function(keys, args) return redis.call('zpopmin', keys[1]) end)";

    @TempDir
    Path dir;

    @Test
    void librariesSurviveARestartThroughTheSnapshot() {
        try (InJvmPostbox postbox = InJvmPostbox.start("--dir", dir.toString());
             Jedis jedis = new Jedis("127.0.0.1", postbox.port())) {
            jedis.functionLoad(LIBRARY);
            jedis.zadd("dq", 1, "m");
            assertEquals("OK", jedis.save());
        }
        try (InJvmPostbox postbox = InJvmPostbox.start("--dir", dir.toString());
             Jedis jedis = new Jedis("127.0.0.1", postbox.port())) {
            assertEquals(List.of("m", "1"), jedis.fcall("pop_due", List.of("dq"), List.of()));
        }
    }

    /**
     * DEBUG RELOAD NOFLUSH stops at a library the server still has; with MERGE the file's libraries and
     * keys replace those kept, and what the file lacks stays: the same on redis-server and on Postbox.
     */
    @Test
    void debugReloadMergeReplacesWhatTheFileHoldsAndKeepsTheRest() throws Exception {
        List<String> reference;
        try (RedisServerProcess redis = RedisServerProcess.start(Files.createDirectories(dir.resolve("redis")))) {
            reference = reloadNoflushThenMerge(redis.port());
        }
        Path postboxDir = Files.createDirectories(dir.resolve("postbox"));
        try (InJvmPostbox postbox = InJvmPostbox.start("--dir", postboxDir.toString(),
                "--enable-debug-command", "yes")) {
            assertEquals(reference, reloadNoflushThenMerge(postbox.port()));
        }
        assertEquals(List.of("ERR Error trying to load the RDB dump", "OK", "saved", "kept", "2", "2"), reference);
    }

    /** What DEBUG RELOAD NOFLUSH, then NOSAVE NOFLUSH MERGE, answer and leave behind. */
    private static List<String> reloadNoflushThenMerge(int port) {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            jedis.functionLoad(LIBRARY);
            jedis.set("k", "saved");
            assertEquals("OK", jedis.save());
            JedisDataException stopped = assertThrows(JedisDataException.class,
                    () -> jedis.sendCommand(DEBUG, "RELOAD", "NOFLUSH"));
            jedis.set("k", "changed");
            jedis.set("only-here", "kept");
            jedis.functionLoad("#!lua name=more\nredis.register_function('two', function() return 2 end)");
            byte[] merged = (byte[]) jedis.sendCommand(DEBUG, "RELOAD", "NOSAVE", "noflush", "Merge");
            return List.of(stopped.getMessage(), SafeEncoder.encode(merged), jedis.get("k"), jedis.get("only-here"),
                    String.valueOf(jedis.fcall("two", List.of(), List.of())),
                    String.valueOf(jedis.functionList().size()));
        }
    }

    @Test
    void aPostboxSnapshotWithLibrariesLoadsInRedisAndBack() throws Exception {
        Engine engine = new Engine(new Config(), Commands.groups());
        engine.functionStore().loadLibrary(engine, LIBRARY.getBytes(), false);
        Path file = dir.resolve("dump.rdb");
        SnapshotJob.writeNow(engine, new SnapshotJob.Options(file, dir.resolve("temp.rdb"), true, true, true, false));
        Subprocess.Result check = RedisServerProcess.tool("redis-check-rdb", file.toString());
        assertTrue(check.output().contains("RDB looks OK"), check.output());
        try (RedisServerProcess redis = RedisServerProcess.start(dir, "--dbfilename", "dump.rdb");
             Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            assertEquals(1, jedis.functionList().size());
            jedis.zadd("dq", 2, "n");
            jedis.functionLoad("#!lua name=more\nredis.register_function('two', function() return 2 end)");
            assertEquals("OK", jedis.save());
        }
        try (InJvmPostbox postbox = InJvmPostbox.start("--dir", dir.toString());
             Jedis jedis = new Jedis("127.0.0.1", postbox.port())) {
            assertEquals(2L, jedis.fcall("two", List.of(), List.of()));
            assertEquals(List.of("n", "2"), jedis.fcall("pop_due", List.of("dq"), List.of()));
        }
    }
}
