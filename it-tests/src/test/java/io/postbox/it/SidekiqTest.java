package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.postbox.it.support.BackgroundProcess;
import io.postbox.it.support.ErrorReplies;
import io.postbox.it.support.ReferenceRedis;
import io.postbox.it.support.Subprocess;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;

/**
 * Sidekiq (Debian's ruby-sidekiq, 6.4) unmodified, on Postbox and on the reference Redis: a real
 * {@code sidekiq} process runs the jobs {@code sidekiq_client.rb} pushes (resources {@code ruby/sidekiq}).
 * Sidekiq moves due retries and scheduled jobs to their queue with its own Lua script, the delayed-queue
 * pop of the issue. The jobs record every run in a list under {@code runs:}, so the client counts runs
 * from outside: ten jobs run once each, a flaky one fails and then succeeds on its retry a second later,
 * a doomed one fails twice and lands in the dead set, and one scheduled two seconds ahead runs when due.
 */
class SidekiqTest extends QueueFrameworkTest {

    private static final int CLIENT_SECONDS = 60;

    @TempDir
    Path dir;

    @BeforeEach
    void installJobs() throws Exception {
        // Without ruby on the PATH the check itself cannot run: that skips too.
        Assumptions.assumeTrue(ReferenceRedis.onPath("ruby") != null
                        && Subprocess.run(List.of("ruby", "-e", "require 'sidekiq'"), null, 60).exitCode() == 0,
                "SidekiqTest skipped: ruby cannot require sidekiq (apt-get install ruby-sidekiq)");
        for (String file : List.of("postbox_jobs.rb", "sidekiq_client.rb")) {
            try (InputStream in = getClass().getResourceAsStream("/ruby/sidekiq/" + file)) {
                Files.copy(in, dir.resolve(file));
            }
        }
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("servers")
    void aSidekiqProcessRunsQueuedRetriedAndScheduledJobs(String server) throws Exception {
        int port = serverPort(server);
        Subprocess.Result enqueued = client(port, "enqueue");
        assertEquals("enqueued: 12 scheduled: 1", enqueued.output().strip());

        try (BackgroundProcess sidekiq = BackgroundProcess.start(List.of("sidekiq", "-r", "./postbox_jobs.rb", "-c", "5"),
                dir, Map.of("REDIS_URL", url(port)), dir.resolve("sidekiq.log"))) {
            Subprocess.Result report = client(port, "await", "40");
            assertEquals(String.join("\n",
                    "squares: [0, 1, 4, 9, 16, 25, 36, 49, 64, 81]",
                    "flaky runs: 2, retried after 1 s: true",
                    "doomed runs: 2, dead: [\"DoomedJob\"]",
                    "clock ran when due: true",
                    "left: queue 0 retry 0 scheduled 0"), report.output().strip(), sidekiq.logTail());
        }
        if (server.equals("postbox")) {
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                assertEquals(Set.of(), ErrorReplies.kinds(jedis), "Sidekiq got no error reply");
            }
        }
    }

    private Subprocess.Result client(int port, String... args) throws Exception {
        List<String> command = Stream.concat(Stream.of("ruby", "sidekiq_client.rb"), Stream.of(args)).toList();
        return Subprocess.run(command, dir, Map.of("REDIS_URL", url(port)), CLIENT_SECONDS);
    }

    private static String url(int port) {
        return "redis://127.0.0.1:" + port + "/0";
    }
}
