package io.postbox.it;

import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.ReferenceRedis;
import io.postbox.it.support.Subprocess;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * What the tests of a Python queue framework share: each scenario runs on Postbox and on the reference
 * Redis ({@link #servers()}), with the framework's modules for the test copied into a temporary
 * directory the worker and client processes run in; without the framework installed, the test skips.
 */
abstract class PythonFrameworkTest {

    @TempDir
    Path dir;

    private InJvmPostbox postbox;

    static Stream<String> servers() {
        return Stream.of("postbox", "redis");
    }

    /**
     * Skips the test unless /usr/bin/python3 can {@code import modules} (Debian's {@code aptPackage}), then
     * copies the {@code files} under the resource folder {@code /python/<resources>/} into {@link #dir}.
     */
    void install(String modules, String aptPackage, String resources, String... files) throws Exception {
        Assumptions.assumeTrue(Subprocess.run(List.of("/usr/bin/python3", "-c", "import " + modules), null, 60)
                .exitCode() == 0, getClass().getSimpleName() + " skipped: /usr/bin/python3 cannot import "
                + modules + " (apt-get install " + aptPackage + ")");
        for (String file : files) {
            try (InputStream in = getClass().getResourceAsStream("/python/" + resources + "/" + file)) {
                Files.copy(in, dir.resolve(file));
            }
        }
    }

    /** Starts a fresh Postbox, or flushes the reference Redis, and returns its port. */
    int serverPort(String server) {
        if (server.equals("postbox")) {
            postbox = InJvmPostbox.start();
            return postbox.port();
        }
        int port = ReferenceRedis.require().port();
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            jedis.flushAll();
        }
        return port;
    }

    @AfterEach
    void stopServer() {
        if (postbox != null) {
            postbox.close();
        }
    }
}
