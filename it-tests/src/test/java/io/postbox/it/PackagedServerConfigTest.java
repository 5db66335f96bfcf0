package io.postbox.it;

import static io.postbox.it.SnapshotPersistenceTest.command;
import static io.postbox.it.SnapshotPersistenceTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.PackagedPostbox;
import io.postbox.it.support.Subprocess;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/** The jar started as redis-server is: a config file, options that override it, a pid file, CONFIG REWRITE. */
class PackagedServerConfigTest {

    @Test
    void readsTheConfigFileAndOverridesAndRewritesTheFile(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("postbox.conf"), String.join("\n",
                "# queue server",
                "maxmemory 100mb",
                "save 900 1",
                "save 300 10",
                "hz 20",
                "pidfile postbox.pid",
                "dir " + dir,
                "bind 127.0.0.1",
                "") + "\n");
        try (PackagedPostbox server = PackagedPostbox.start(dir, conf.toString(),
                "--maxmemory-policy", "allkeys-lru", "--save", "60", "5")) {
            try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
                assertEquals("104857600", jedis.configGet("maxmemory").get("maxmemory"));
                assertEquals("allkeys-lru", jedis.configGet("maxmemory-policy").get("maxmemory-policy"));
                assertEquals("900 1 300 10 60 5", jedis.configGet("save").get("save"));
                assertEquals("20", jedis.configGet("hz").get("hz"));
                assertEquals(Integer.toString(server.port()), jedis.configGet("port").get("port"));
                assertEquals(dir.toRealPath().toString(), jedis.configGet("dir").get("dir"));
                assertTrue(jedis.info("server").contains("config_file:" + conf.toAbsolutePath() + "\r\n"));
                assertEquals(server.pid() + "\n", Files.readString(dir.resolve("postbox.pid")));

                jedis.configSet("maxmemory", "3000");
                assertEquals("OK", jedis.configRewrite());
            }
            List<String> rewritten = Files.readAllLines(conf);
            assertEquals("# queue server", rewritten.get(0));
            assertEquals("maxmemory 3000", rewritten.get(1));
            assertEquals(List.of("save 900 1", "save 300 10"), rewritten.subList(2, 4));
            assertTrue(rewritten.contains("save 60 5"), rewritten.toString());
            assertTrue(rewritten.contains("maxmemory-policy allkeys-lru"), rewritten.toString());
            assertTrue(rewritten.contains("port " + server.port()), rewritten.toString());

            assertEquals(0, server.terminate());
            assertFalse(Files.exists(dir.resolve("postbox.pid")), "the pid file is removed at shutdown");
        }
    }

    /** A CONFIG SET that cannot take effect is refused, and the log says what happened, in Redis's words. */
    @Test
    void aConfigSetThatCannotTakeEffectIsLoggedAsRedisLogsIt(@TempDir Path dir) throws Exception {
        try (PackagedPostbox server = PackagedPostbox.start(dir);
             ServerSocket busy = new ServerSocket(0);
             Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            JedisDataException refused = assertThrows(JedisDataException.class,
                    () -> jedis.configSet("port", Integer.toString(busy.getLocalPort())));
            assertEquals("ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. "
                    + "Check server logs.", refused.getMessage());
            String logged = "Failed applying new configuration. Possibly related to new port setting. "
                    + "Restoring previous settings.";
            assertTrue(server.awaitLog(logged).contains(logged), server.log());
        }
    }

    /**
     * DEBUG CONFIG-REWRITE-FORCE-ALL writes every option, defaults included, and the server started
     * from that file has the same configuration (Redis's "CONFIG REWRITE sanity"): every value the
     * rewrite writes reads back as itself.
     */
    @Test
    void aFileWithEveryOptionWrittenStartsTheSameServer(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("postbox.conf"), "dir " + dir + "\n");
        Map<String, String> before;
        try (PackagedPostbox server = PackagedPostbox.start(dir, conf.toString(), "--enable-debug-command", "yes",
                "--save", "60 5", "--notify-keyspace-events", "Elg", "--maxmemory-policy", "volatile-ttl",
                "--client-output-buffer-limit", "pubsub 1mb 512kb 30",
                "--latency-tracking-info-percentiles", "50 99.99");
             Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            before = jedis.configGet("*");
            assertEquals("OK", text(jedis.sendCommand(command("DEBUG"), "CONFIG-REWRITE-FORCE-ALL")));
            assertEquals(0, server.terminate());
        }
        List<String> written = Files.readAllLines(conf);
        assertTrue(written.contains("hz 10") && written.contains("appendonly no"), "defaults are written: " + written);
        try (PackagedPostbox server = PackagedPostbox.start(dir, conf.toString());
             Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            Map<String, String> after = jedis.configGet("*");
            before.remove("port");
            after.remove("port");
            assertEquals(new TreeMap<>(before), new TreeMap<>(after));
        }
    }

    @Test
    void aBadOptionStopsTheStartWithRedisFatalErrorAndExitCode1() throws Exception {
        Subprocess.Result result = PackagedPostbox.runToExit("--port", "0", "--daemonize", "yes");
        assertEquals(1, result.exitCode(), result.output());
        assertTrue(result.output().contains("*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n"
                + "Reading the configuration file, at line 3\n"
                + ">>> 'daemonize \"yes\"'\n"
                + "Postbox does not fork"), result.output());
    }

    @Test
    void anRdbFileThatCannotBeReadStopsTheStartWithExitCode1(@TempDir Path dir) throws Exception {
        Files.createDirectory(dir.resolve("dump.rdb"));
        Subprocess.Result result = PackagedPostbox.runToExit("--port", "0", "--dir", dir.toString());
        assertEquals(1, result.exitCode(), result.output());
        assertFalse(result.output().contains("Ready to accept connections"), result.output());
    }

    /**
     * A start that fails ends the log with why, as Redis's does: what anyone reading the log's tail, or
     * Redis's own test suite, looks at. The pid file is removed on the way out.
     */
    @Test
    void aCorruptAppendOnlyFileStopsTheStartAndTheLogEndsWithWhy(@TempDir Path dir) throws Exception {
        Path aof = Files.createDirectory(dir.resolve("appendonlydir"));
        Files.writeString(aof.resolve("appendonly.aof.manifest"), "file appendonly.aof.1.incr.aof seq 1 type i\n");
        Files.writeString(aof.resolve("appendonly.aof.1.incr.aof"), "!!!*2\r\n$3\r\nGET\r\n$3\r\nfoo\r\n");
        Subprocess.Result result = PackagedPostbox.runToExit("--port", "0", "--dir", dir.toString(),
                "--appendonly", "yes", "--pidfile", dir.resolve("postbox.pid").toString());
        assertEquals(1, result.exitCode(), result.output());
        List<String> lines = result.output().lines().toList();
        assertTrue(lines.get(lines.size() - 1).contains("Bad file format reading the append only file"),
                result.output());
        assertFalse(Files.exists(dir.resolve("postbox.pid")), result.output());
    }
}
