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
     * keys replace those kept, and what the file lacks stays, as Redis's functions unit expects.
     */
    @Test
    void debugReloadMergeReplacesWhatTheFileHoldsAndKeepsTheRest() {
        try (InJvmPostbox postbox = InJvmPostbox.start("--dir", dir.toString(), "--enable-debug-command", "yes");
             Jedis jedis = new Jedis("127.0.0.1", postbox.port())) {
            jedis.functionLoad(LIBRARY);
            jedis.set("k", "saved");
            assertEquals("OK", jedis.save());
            JedisDataException stopped = assertThrows(JedisDataException.class,
                    () -> jedis.sendCommand(DEBUG, "RELOAD", "NOFLUSH"));
            assertEquals("ERR Error trying to load the RDB dump", stopped.getMessage());
            jedis.set("k", "changed");
            jedis.set("only-here", "kept");
            jedis.functionLoad("#!lua name=more\nredis.register_function('two', function() return 2 end)");
            assertEquals("OK", SafeEncoder.encode((byte[]) jedis.sendCommand(DEBUG, "RELOAD",
                    "NOSAVE", "noflush", "Merge")));
            assertEquals("saved", jedis.get("k"));
            assertEquals("kept", jedis.get("only-here"));
            assertEquals(2L, jedis.fcall("two", List.of(), List.of()));
            assertEquals(2, jedis.functionList().size());
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
