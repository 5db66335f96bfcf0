package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.postbox.it.support.ErrorReplies;
import io.postbox.it.support.Subprocess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;

/**
 * BullMQ (npm's bullmq, unmodified, the version in resources {@code node/bullmq/package.json}) on Postbox
 * and on the reference Redis. BullMQ is Lua scripts (cmsgpack, cjson, dozens of commands each) over
 * lists, sorted sets, hashes and a stream of events, so this is the scripting most Node queue users run.
 * {@code bullmq_queue.js} adds plain, delayed, prioritised and bulk jobs, one that fails twice before it
 * succeeds (attempts with a fixed backoff), one that always fails, and a flow whose parent sums its
 * children's results; one Worker runs them five at a time while QueueEvents follows them. The script
 * checks every result, run count and delay as it goes and prints the final job counts.
 * Without node and npm, or when npm cannot install bullmq, the test skips.
 */
class BullMqTest extends QueueFrameworkTest {

    /** Where bullmq is installed, once per build: the module's target directory. */
    private static final Path MODULE = Path.of("target", "bullmq");
    private static final int NPM_SECONDS = 300;
    private static final int SCRIPT_SECONDS = 120;

    @BeforeAll
    static void installBullMq() throws Exception {
        Assumptions.assumeTrue(available("node") && available("npm"),
                "BullMqTest skipped: node and npm are not on the PATH (apt-get install nodejs npm)");
        Files.createDirectories(MODULE);
        for (String file : List.of("package.json", "bullmq_queue.js")) {
            try (InputStream in = BullMqTest.class.getResourceAsStream("/node/bullmq/" + file)) {
                Files.copy(in, MODULE.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        // No install scripts: bullmq's msgpackr would build an optional native speed-up.
        Subprocess.Result npm = Subprocess.run(List.of("npm", "install", "--no-audit", "--no-fund", "--ignore-scripts",
                "--loglevel=error"), MODULE, Map.of(), NPM_SECONDS);
        Assumptions.assumeTrue(npm.exitCode() == 0, "BullMqTest skipped: npm could not install bullmq: " + npm.output());
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("servers")
    void aWorkerRunsEveryKindOfJob(String server) throws Exception {
        int port = serverPort(server);
        Subprocess.Result run = Subprocess.run(List.of("node", "bullmq_queue.js", Integer.toString(port)), MODULE,
                Map.of(), SCRIPT_SECONDS);
        assertEquals(0, run.exitCode(), run.output());
        assertEquals("completed=58 failed=1 delayed=0 waiting=0 active=0 paused=0", run.output().strip());
        if (server.equals("postbox")) {
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                assertEquals(Set.of(), ErrorReplies.kinds(jedis), "BullMQ got no error reply");
            }
        }
    }

    private static boolean available(String command) throws Exception {
        try {
            return Subprocess.run(List.of(command, "--version"), null, 60).exitCode() == 0;
        } catch (IOException notFound) {
            return false;
        }
    }
}
