package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.BackgroundProcess;
import io.postbox.it.support.ErrorReplies;
import io.postbox.it.support.Subprocess;
import java.util.HashSet;
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
 * Celery (Debian's python3-celery with kombu) unmodified, with the server as both broker and result
 * backend, on Postbox and on the reference Redis. A real worker runs in its own process ({@code -P solo}:
 * one process that runs one task at a time); {@code celery_client.py} submits tasks and prints what came
 * back. The tasks (resources {@code python/celery}) record every run in a list under {@code runs:}, so
 * the test counts executions from outside: nothing lost, nothing run twice, except the redelivery that
 * Celery's late acknowledgement promises when a worker dies mid-task.
 */
class CeleryTest extends PythonFrameworkTest {

    private static final int CLIENT_SECONDS = 90;


    @BeforeEach
    void installTaskModule() throws Exception {
        install("celery, kombu, redis", "python3-celery", "celery", "postbox_tasks.py", "celery_client.py");
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("servers")
    void aWorkerRunsTasksRetriesEtasGroupsAndChordsAndEveryResultComesBack(String server) throws Exception {
        int port = serverPort(server);
        Map<String, String> environment = environment(port, 60);
        try (BackgroundProcess worker = startWorker("first", environment)) {
            Subprocess.Result result = Subprocess.run(client("all"), dir, environment, CLIENT_SECONDS);
            String output = result.output();
            String context = output + "\n--- worker log ---\n" + worker.logTail();
            assertEquals(0, result.exitCode(), context);
            assertTrue(output.contains("sums: [0, 11, 22, 33, 44, 55, 66, 77, 88, 99]\n"), context);
            assertTrue(output.contains("sequence: " + IntStream.range(0, 20).boxed().toList() + "\n"), context);
            assertTrue(output.contains("flaky: 3 SUCCESS\n"), context);
            assertTrue(output.contains("fail: FAILURE ValueError kaput\n"), context);
            assertTrue(output.contains("group: [200, 202, 204, 206, 208]\n"), context);
            assertTrue(output.contains("chord: 4006\n"), context);
            assertTrue(output.contains("countdown waited at least 2 s: True\n"), context);
            assertTrue(output.contains("eta waited at least 3 s: True\n"), context);
            assertTrue(output.contains("control ping: [{'ok': 'pong'}]\n"), context);

            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                List<String> adds = jedis.lrange("runs:add", 0, -1);
                assertEquals(19, adds.size(), "10 sums, 5 group members, 4 chord members: " + adds);
                assertEquals(19, new HashSet<>(adds).size(), "no add ran twice: " + adds);
                assertEquals(IntStream.range(0, 20).mapToObj(Integer::toString).toList(), jedis.lrange("runs:sequence", 0, -1),
                        "one worker runs one queue's tasks in the order they were sent");
                assertEquals(List.of("1", "2", "3"), jedis.lrange("runs:flaky", 0, -1), "two retries, then success");
                assertEquals(1, jedis.llen("runs:fail"), "a failure is not retried unless asked");
                assertEquals(1, jedis.llen("runs:total"), "the chord's callback ran once");
                assertEquals(2, jedis.llen("runs:clock"), "the countdown and the eta task ran once each");
                assertEquals(0, jedis.llen("celery"), "nothing left in the queue");
            }
            awaitNothingUnacked(port, worker);
        }
        assertOnlyExpectedErrorReplies(server, port);
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("servers")
    void aTaskWhoseWorkerIsKilledMidTaskIsRedeliveredAfterTheVisibilityTimeout(String server) throws Exception {
        int port = serverPort(server);
        int visibilityTimeout = 3;
        Map<String, String> environment = environment(port, visibilityTimeout);
        String taskId;
        try (BackgroundProcess doomed = startWorker("doomed", environment); Jedis jedis = new Jedis("127.0.0.1", port)) {
            Subprocess.Result submitted = Subprocess.run(client("submit-slow", "120"), dir, environment, CLIENT_SECONDS);
            assertEquals(0, submitted.exitCode(), submitted.output());
            taskId = submitted.output().strip();
            long deadline = System.currentTimeMillis() + 30_000;
            while (jedis.llen("runs:slow") == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(1, jedis.llen("runs:slow"), "the worker started the task:\n" + doomed.logTail());

            doomed.kill();
            assertFalse(doomed.isAlive());
            assertEquals(1, jedis.hlen("unacked"), "the killed worker's task is held as unacknowledged, not lost");
            assertEquals(0, jedis.llen("celery"), "and is not back in the queue before its visibility timeout");
        }

        Thread.sleep(visibilityTimeout * 1000L + 500);
        try (BackgroundProcess rescuer = startWorker("rescuer", environment); Jedis jedis = new Jedis("127.0.0.1", port)) {
            Subprocess.Result result = Subprocess.run(client("wait", taskId, "30"), dir, environment, CLIENT_SECONDS);
            assertEquals(0, result.exitCode(), result.output() + "\n--- worker log ---\n" + rescuer.logTail());
            assertEquals("result: [2, True]", result.output().strip(), "the second run, flagged as redelivered");
            assertEquals(List.of("1", "2"), jedis.lrange("runs:slow", 0, -1), "run twice: killed once, redelivered once");
            awaitNothingUnacked(port, rescuer);
        }
        assertOnlyExpectedErrorReplies(server, port);
    }

    /**
     * On the fresh Postbox, the only error reply is redis-py's expected NOSCRIPT: its Lock tries EVALSHA
     * before loading the release script. (The shared reference server has other tests' errors.)
     */
    private static void assertOnlyExpectedErrorReplies(String server, int port) {
        if (server.equals("postbox")) {
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                Set<String> kinds = ErrorReplies.kinds(jedis);
                assertTrue(Set.of("NOSCRIPT").containsAll(kinds), "error replies sent: " + kinds);
            }
        }
    }

    private static Map<String, String> environment(int port, int visibilityTimeoutSeconds) {
        return Map.of("BROKER_URL", "redis://127.0.0.1:" + port + "/0",
                "VISIBILITY_TIMEOUT", Integer.toString(visibilityTimeoutSeconds),
                "PYTHONPATH", ".");
    }

    private BackgroundProcess startWorker(String name, Map<String, String> environment) throws Exception {
        return BackgroundProcess.start(List.of("/usr/bin/python3", "-m", "celery", "-A", "postbox_tasks", "worker",
                "-P", "solo", "-n", name + "@%h", "--loglevel=INFO"), dir, environment, dir.resolve(name + ".log"));
    }

    private List<String> client(String... args) {
        return Stream.concat(Stream.of("/usr/bin/python3", "celery_client.py"), Stream.of(args)).toList();
    }

    /** Late acknowledgement happens just after the result is stored, so the last ack may trail the result. */
    private static void awaitNothingUnacked(int port, BackgroundProcess worker) throws InterruptedException {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            long deadline = System.currentTimeMillis() + 10_000;
            while (jedis.hlen("unacked") > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, jedis.hlen("unacked"), "every task was acknowledged:\n" + worker.logTail());
            assertEquals(0, jedis.zcard("unacked_index"), "and left the unacked index");
        }
    }
}
