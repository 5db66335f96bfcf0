package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostboxExtension;
import io.postbox.it.support.Subprocess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * The delayed queue with the pop script from our users' tutorial ({@code lua/delayed_pop.lua}): the
 * script claims what is due atomically, so racing consumers need no ZREM race of their own. Run from
 * Jedis (EVAL, then EVALSHA), redis-py ({@code register_script}) and {@code redis-cli --eval}.
 */
class DelayedQueueScriptTest {

    private static final int MESSAGES = 300;
    private static final int CONSUMERS = 4;

    @RegisterExtension
    final InJvmPostboxExtension postbox = new InJvmPostboxExtension();
    private String script;

    @BeforeEach
    void readScript() throws Exception {
        script = Files.readString(scriptPath());
    }

    @Test
    void racingConsumersRunningTheScriptGetEveryMessageOnceAndNeverEarly() throws Exception {
        long start = System.currentTimeMillis();
        String sha;
        try (Jedis producer = new Jedis("127.0.0.1", postbox.port())) {
            for (int i = 0; i < MESSAGES; i++) {
                long due = i % 10 == 0 ? start - 1000 : start + 100 + (i * 1400L / MESSAGES);
                producer.zadd("dq", due, "msg:" + i + ":" + due);
            }
            assertEquals(List.of(), producer.eval(script, List.of("nothing-here"), List.of(Long.toString(start))),
                    "EVAL of the script on an empty queue");
            sha = producer.scriptLoad(script);
        }
        Map<String, Integer> claimedBy = new ConcurrentHashMap<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(CONSUMERS);
        List<Future<?>> consumers = new ArrayList<>();
        for (int c = 0; c < CONSUMERS; c++) {
            int consumer = c;
            consumers.add(pool.submit(() -> consume(consumer, sha, claimedBy, problems)));
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS), "consumers finished");
        for (Future<?> consumer : consumers) {
            consumer.get();
        }
        assertEquals(List.of(), problems);
        assertEquals(MESSAGES, claimedBy.size(), "every message was claimed");
        try (Jedis jedis = new Jedis("127.0.0.1", postbox.port())) {
            assertEquals(0, jedis.zcard("dq"));
        }
    }

    @SuppressWarnings("unchecked")
    private void consume(int consumer, String sha, Map<String, Integer> claimedBy, List<String> problems) {
        long deadline = System.currentTimeMillis() + 30_000;
        try (Jedis jedis = new Jedis("127.0.0.1", postbox.port())) {
            while (claimedBy.size() < MESSAGES && System.currentTimeMillis() < deadline) {
                long now = System.currentTimeMillis();
                List<String> popped = (List<String>) jedis.evalsha(sha, List.of("dq"), List.of(Long.toString(now)));
                if (popped.isEmpty()) {
                    Thread.sleep(2);
                    continue;
                }
                String message = popped.get(0);
                long dueAt = Long.parseLong(message.substring(message.lastIndexOf(':') + 1));
                if (dueAt > now) {
                    problems.add(message + " popped at " + now + ", before it was due");
                }
                if (!popped.get(1).equals(Long.toString(dueAt))) {
                    problems.add(message + " came with score " + popped.get(1));
                }
                Integer previous = claimedBy.putIfAbsent(message, consumer);
                if (previous != null) {
                    problems.add(message + " popped by consumers " + previous + " and " + consumer);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void redisPyRegisterScriptPopsWhatIsDue() throws Exception {
        Assumptions.assumeTrue(Subprocess.run(List.of("/usr/bin/python3", "-c", "import redis"), null, 30).exitCode() == 0,
                "redis-py test skipped: /usr/bin/python3 cannot import redis");
        Path python = Path.of(getClass().getResource("/python/delayed_pop_script.py").toURI());
        Subprocess.Result result = Subprocess.run(List.of("/usr/bin/python3", python.toString(),
                Integer.toString(postbox.port()), scriptPath().toString()), null, 60);
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("first=['due', '100'] second=[] left=['later']"), result.output());
    }

    @Test
    void redisCliEvalRunsTheScriptFile() throws Exception {
        try (Jedis jedis = new Jedis("127.0.0.1", postbox.port())) {
            jedis.zadd("dq", 100, "due");
            jedis.zadd("dq", 300, "later");
        }
        Subprocess.Result result = Subprocess.run(List.of("redis-cli", "-p", Integer.toString(postbox.port()),
                "--eval", scriptPath().toString(), "dq", ",", "200"), null, 30);
        assertEquals(0, result.exitCode(), result.output());
        assertEquals("due\n100\n", result.output());
        try (Jedis jedis = new Jedis("127.0.0.1", postbox.port())) {
            assertEquals(List.of("later"), jedis.zrange("dq", 0, -1));
        }
    }

    private Path scriptPath() throws Exception {
        return Path.of(getClass().getResource("/lua/delayed_pop.lua").toURI());
    }
}
