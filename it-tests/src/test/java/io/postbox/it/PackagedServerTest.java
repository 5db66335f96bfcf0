package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.PackagedPostbox;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** The jar users run: it starts like redis-server, logs where it listens, and exits cleanly on SIGTERM. */
class PackagedServerTest {

    @Test
    void startsServesAndShutsDownOnSigterm(@TempDir Path dir) throws Exception {
        try (PackagedPostbox server = PackagedPostbox.start(dir)) {
            try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
                assertEquals("OK", jedis.set("k", "v"));
                assertEquals("v", jedis.get("k"));
            }
            String startup = server.awaitLog("Ready to accept connections");
            assertTrue(startup.contains("port=" + server.port()), startup);
            assertTrue(startup.contains("pid=" + server.pid()), startup);
            assertTrue(startup.contains("Ready to accept connections"), startup);
            assertEquals(0, server.terminate());
            assertTrue(server.log().contains("ready to exit"), server.log());
        }
    }

    @Test
    void theLauncherRecordsAClassArchiveOnFirstExitAndStartsFromItAfterwards(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("postbox.jar");
        Files.copy(Path.of(System.getProperty("postbox.jar")), jar);
        Path archive = dir.resolve("postbox.jsa");
        try (PackagedPostbox server = PackagedPostbox.startWithLauncher(dir, jar, "--save", "")) {
            try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
                assertEquals("PONG", jedis.ping());
            }
            assertEquals(0, server.terminate());
        }
        assertTrue(Files.size(archive) > 0, "no archive recorded at exit");
        try (PackagedPostbox server = PackagedPostbox.startWithLauncher(dir, jar, "--save", "")) {
            try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
                assertEquals("OK", jedis.set("k", "v"));
            }
            String maps = Files.readString(Path.of("/proc/" + server.pid() + "/maps"));
            assertTrue(maps.contains("postbox.jsa"), "the archive is not mapped");
            assertEquals(0, server.terminate());
        }
    }
}
