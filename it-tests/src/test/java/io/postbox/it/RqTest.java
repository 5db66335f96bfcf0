package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.BackgroundProcess;
import io.postbox.it.support.ErrorReplies;
import io.postbox.it.support.Subprocess;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;

/**
 * RQ (Debian's python3-rq) unmodified, on Postbox and on the reference Redis: a real {@code rq worker}
 * in its own process runs the jobs that {@code rq_client.py} enqueues and then reports on. The job
 * functions (resources {@code python/rq}) record every run in a list under {@code runs:}, so the test
 * counts executions from outside: nothing lost, nothing run twice, retries exactly as asked.
 */
class RqTest extends PythonFrameworkTest {

    private static final int CLIENT_SECONDS = 60;


    @BeforeEach
    void installJobModule() throws Exception {
        install("rq, redis", "python3-rq", "rq", "postbox_jobs.py", "rq_client.py");
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("servers")
    void aBurstWorkerRunsJobsInOrderAndFailedJobsLandInTheFailedRegistry(String server) throws Exception {
        int port = serverPort(server);
        Subprocess.Result enqueued = client(port, "enqueue");
        assertEquals(0, enqueued.exitCode(), enqueued.output());
        assertEquals("queued: 12 position of the second: 1", enqueued.output().strip());

        try (BackgroundProcess worker = startWorker(port, "burst", "--burst")) {
            assertEquals(0, worker.awaitExit(60), worker.logTail());
        }

        Subprocess.Result report = client(port, "report");
        assertEquals(0, report.exitCode(), report.output());
        assertEquals(String.join("\n",
                "square statuses: ['finished']",
                "square results: [0, 1, 4, 9, 16, 25, 36, 49, 64, 81]",
                "failing: failed ValueError: kaput",
                "retried: failed retries left 0",
                "later: scheduled",
                "failed registry: True",
                "finished registry: True",
                "scheduled registry: True",
                "queue length: 0"), report.output().strip());
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            assertEquals(IntStream.range(0, 10).mapToObj(Integer::toString).toList(), jedis.lrange("runs:square", 0, -1),
                    "a queue's jobs run once each, first in first out");
            assertEquals(1, jedis.llen("runs:boom:kaput"), "a failing job without retries runs once");
            assertEquals(3, jedis.llen("runs:boom:again"), "Retry(max=2): the first run and two retries");
            assertFalse(jedis.exists("runs:clock"), "a job scheduled ten minutes ahead has not run");
        }
        assertNoErrorReplies(server, port);
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("servers")
    void theSchedulerEnqueuesAScheduledJobWhenItIsDue(String server) throws Exception {
        int port = serverPort(server);
        Subprocess.Result scheduled = client(port, "schedule", "2");
        assertEquals("scheduled: scheduled", scheduled.output().strip());

        try (BackgroundProcess worker = startWorker(port, "scheduler", "--with-scheduler")) {
            Subprocess.Result ran = client(port, "await-scheduled", "30");
            assertEquals("scheduled job: finished\nran when due: True", ran.output().strip(), worker.logTail());
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                assertEquals(1, jedis.llen("runs:clock"), "the scheduled job ran once");
            }
            assertTrue(worker.stop(15), "the worker and its scheduler shut down warm on SIGTERM:\n" + worker.logTail());
        }
        assertNoErrorReplies(server, port);
    }

    /** On the fresh Postbox, RQ got no error reply. (The shared reference server has other tests' errors.) */
    private static void assertNoErrorReplies(String server, int port) {
        if (server.equals("postbox")) {
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                assertEquals(Set.of(), ErrorReplies.kinds(jedis));
            }
        }
    }

    private BackgroundProcess startWorker(int port, String name, String... options) throws Exception {
        List<String> command = Stream.concat(Stream.of("/usr/bin/python3", "-m", "rq.cli", "worker",
                "--url", "redis://127.0.0.1:" + port + "/0"), Stream.concat(Stream.of(options), Stream.of("default"))).toList();
        return BackgroundProcess.start(command, dir, Map.of("PYTHONPATH", "."), dir.resolve(name + ".log"));
    }

    private Subprocess.Result client(int port, String... args) throws Exception {
        List<String> command = Stream.concat(Stream.of("/usr/bin/python3", "rq_client.py", Integer.toString(port)),
                Stream.of(args)).toList();
        return Subprocess.run(command, dir, Map.of(), CLIENT_SECONDS);
    }
}
