package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostboxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * The delayed queue as its users write it: producers {@code ZADD dq <due-ms> msg}; consumers poll
 * {@code ZRANGEBYSCORE dq -inf <now> LIMIT 0 1} and claim what it returns with {@code ZREM}, whose reply
 * (1 or 0) decides which of several racing consumers got the message. No WATCH, no script.
 */
class DelayedQueueTest {

    private static final int MESSAGES = 300;
    private static final int CONSUMERS = 4;

    @RegisterExtension
    final InJvmPostboxExtension postbox = new InJvmPostboxExtension();

    @Test
    void racingConsumersGetEveryMessageOnceAndNeverBeforeItIsDue() throws Exception {
        long start = System.currentTimeMillis();
        try (Jedis producer = new Jedis("127.0.0.1", postbox.port())) {
            for (int i = 0; i < MESSAGES; i++) {
                // A tenth is overdue already; the rest fall due over the next 1.5 seconds.
                long due = i % 10 == 0 ? start - 1000 : start + 100 + (i * 1400L / MESSAGES);
                producer.zadd("dq", due, "msg:" + i + ":" + due);
            }
        }
        Map<String, Integer> claimedBy = new ConcurrentHashMap<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        AtomicInteger lostRaces = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(CONSUMERS);
        List<Future<?>> consumers = new ArrayList<>();
        for (int c = 0; c < CONSUMERS; c++) {
            int consumer = c;
            consumers.add(pool.submit(() -> consume(consumer, claimedBy, problems, lostRaces)));
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS), "consumers finished");
        for (Future<?> consumer : consumers) {
            consumer.get();
        }
        assertEquals(List.of(), problems);
        assertEquals(MESSAGES, claimedBy.size(), "every message was claimed once");
        try (Jedis jedis = new Jedis("127.0.0.1", postbox.port())) {
            assertEquals(0, jedis.zcard("dq"));
            assertFalse(jedis.exists("dq"), "the emptied queue is gone");
        }
        System.out.printf("delayed queue: %d messages, %d consumers, %d lost ZREM races, claims per consumer %s%n",
                MESSAGES, CONSUMERS, lostRaces.get(), claimsPerConsumer(claimedBy));
    }

    /**
     * A backlog of 100,000 messages built up (consumers down), then drained to 1,000; the queue runs
     * on, each new message in and the oldest due one out, five times over. Once drained, the members'
     * records are already given back, and only the member table waits to shrink, a bucket or so per
     * command as Redis's dict does (Redis drained: 1.27 MB of 10.17 MB). After the turns, its memory
     * is that of a 1,000-message queue again.
     */
    @Test
    void aQueueBackAfterABacklogGivesTheBacklogsMemoryBack() {
        int backlog = 100_000;
        int kept = 1_000;
        Random random = new Random(5);
        try (Jedis jedis = new Jedis("127.0.0.1", postbox.port())) {
            Pipeline pipeline = jedis.pipelined();
            for (int i = 0; i < backlog; i++) {
                pipeline.zadd("dq", random.nextInt(1_000_000), "backlog:" + i);
            }
            pipeline.sync();
            long peak = jedis.memoryUsage("dq");
            for (int popped = 0; popped < backlog - kept; popped += 1000) {
                assertEquals(1000, jedis.zpopmin("dq", 1000).size());
            }
            long drained = jedis.memoryUsage("dq");
            for (int i = 0; i < 5 * kept; i++) {
                pipeline.zadd("dq", 2_000_000 + i, "new:" + i);
                pipeline.zpopmin("dq");
            }
            pipeline.sync();
            assertEquals(kept, jedis.zcard("dq"));
            assertEquals(List.of(), jedis.zrangeByScore("dq", 0, 1_000_000), "the backlog is delivered");
            long after = jedis.memoryUsage("dq");
            System.out.printf("delayed queue memory: %d bytes at 100,000 messages, %d drained to 1,000, %d after"
                    + " turning over 5 times%n", peak, drained, after);
            assertTrue(drained < peak / 8, drained + " bytes drained, " + peak + " at its peak");
            assertTrue(after < peak / 20, after + " bytes after the backlog, " + peak + " at its peak");
        }
    }

    /** Polls until every message is claimed (by anyone) or 20 seconds pass. */
    private void consume(int consumer, Map<String, Integer> claimedBy, List<String> problems, AtomicInteger lostRaces) {
        long deadline = System.currentTimeMillis() + 20_000;
        try (Jedis jedis = new Jedis("127.0.0.1", postbox.port())) {
            while (claimedBy.size() < MESSAGES && System.currentTimeMillis() < deadline) {
                long now = System.currentTimeMillis();
                List<String> due = jedis.zrangeByScore("dq", "-inf", Long.toString(now), 0, 1);
                if (due.isEmpty()) {
                    Thread.sleep(2);
                    continue;
                }
                String message = due.get(0);
                long dueAt = Long.parseLong(message.substring(message.lastIndexOf(':') + 1));
                if (dueAt > now) {
                    problems.add(message + " returned at " + now + ", before it was due");
                }
                if (jedis.zrem("dq", message) == 1) {
                    Integer previous = claimedBy.putIfAbsent(message, consumer);
                    if (previous != null) {
                        problems.add(message + " claimed by consumers " + previous + " and " + consumer);
                    }
                } else {
                    lostRaces.incrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<Integer, Integer> claimsPerConsumer(Map<String, Integer> claimedBy) {
        Map<Integer, Integer> counts = new ConcurrentHashMap<>();
        claimedBy.values().forEach(consumer -> counts.merge(consumer, 1, Integer::sum));
        return counts;
    }
}
