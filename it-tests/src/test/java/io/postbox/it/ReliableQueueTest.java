package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostboxExtension;
import io.postbox.it.support.RawConnection;
import io.postbox.it.support.ReferenceRedis;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ListDirection;

/**
 * The reliable queue of DESIGN.md under real concurrency, on Postbox and on the reference Redis:
 * producers LPUSH to {@code q:pending}; consumers move each message to {@code q:processing} (BLMOVE,
 * LMOVE or RPOPLPUSH), work, and acknowledge with LREM; one consumer's connection is closed while it
 * holds a message; a reaper moves messages left in {@code q:processing} too long back to
 * {@code q:pending}. In the end every message was acknowledged exactly once and both lists are gone.
 */
class ReliableQueueTest {

    private static final int MESSAGES = 3_000;
    private static final int PRODUCERS = 2;
    private static final int CONSUMERS = 4;
    /** How long a message may sit in q:processing before the reaper takes it back. */
    private static final long STALE_MILLIS = 3_000;
    private static final long DEADLINE_MILLIS = 60_000;
    private static final String PENDING = "q:pending";
    private static final String PROCESSING = "q:processing";

    @RegisterExtension
    static final InJvmPostboxExtension postbox = new InJvmPostboxExtension();

    static Stream<String> servers() {
        return Stream.of("postbox", "redis");
    }

    private static int port(String server) {
        return server.equals("postbox") ? postbox.port() : ReferenceRedis.require().port();
    }

    @ParameterizedTest
    @MethodSource("servers")
    void everyMessageIsProcessedExactlyOnceThoughAConsumerDiesHoldingOne(String server) throws Exception {
        int port = port(server);
        try (Jedis admin = new Jedis("127.0.0.1", port)) {
            admin.flushAll();
        }
        Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
        Set<String> reaped = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch secondHalf = new CountDownLatch(1);
        ExecutorService threads = Executors.newCachedThreadPool();
        List<Future<?>> workers = new ArrayList<>();
        try {
            for (int c = 0; c < CONSUMERS; c++) {
                int kind = c;
                workers.add(threads.submit(() -> consume(port, kind, acknowledged, stop)));
            }
            workers.add(threads.submit(() -> reap(port, reaped, stop)));
            for (int p = 0; p < PRODUCERS; p++) {
                int producer = p;
                workers.add(threads.submit(() -> produce(port, producer, secondHalf)));
            }

            awaitAcknowledged(acknowledged, MESSAGES / 10);
            String lost = takeAndDie(port, secondHalf);
            assertNotNull(lost, "the doomed consumer got a message");

            long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
            while (acknowledged.size() < MESSAGES && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            stop.set(true);
            for (Future<?> worker : workers) {
                worker.get(10, TimeUnit.SECONDS);
            }

            assertEquals(MESSAGES, acknowledged.size(), "messages acknowledged");
            List<String> duplicates = acknowledged.entrySet().stream()
                    .filter(e -> e.getValue() != 1).map(Map.Entry::getKey).toList();
            assertTrue(duplicates.isEmpty(), "acknowledged more than once: " + duplicates);
            assertTrue(reaped.contains(lost), "the reaper moved the dead consumer's message back");
            assertTrue(acknowledged.containsKey(lost), "and another consumer then processed it");
            try (Jedis admin = new Jedis("127.0.0.1", port)) {
                assertFalse(admin.exists(PENDING), "nothing left pending");
                assertFalse(admin.exists(PROCESSING), "nothing left in processing");
                String clients = admin.info("clients");
                assertTrue(clients.contains("blocked_clients:0"), clients);
            }
        } finally {
            stop.set(true);
            threads.shutdownNow();
            assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    /** Pushes this producer's share: the first half at once, the rest once {@code secondHalf} opens. */
    private static Void produce(int port, int producer, CountDownLatch secondHalf) throws InterruptedException {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            for (int i = producer; i < MESSAGES; i += PRODUCERS) {
                if (i >= MESSAGES / 2) {
                    secondHalf.await();
                }
                jedis.lpush(PENDING, "message-" + i);
            }
        }
        return null;
    }

    /** Consumers differ in how they take a message: BLMOVE, LMOVE or RPOPLPUSH. */
    private static void consume(int port, int kind, Map<String, Integer> acknowledged, AtomicBoolean stop) {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            while (!stop.get()) {
                String message = switch (kind % 3) {
                    case 0 -> jedis.blmove(PENDING, PROCESSING, ListDirection.RIGHT, ListDirection.LEFT, 0.05);
                    case 1 -> jedis.lmove(PENDING, PROCESSING, ListDirection.RIGHT, ListDirection.LEFT);
                    default -> jedis.rpoplpush(PENDING, PROCESSING);
                };
                if (message == null) {
                    if (kind % 3 != 0) {
                        Thread.sleep(1);
                    }
                    continue;
                }
                // The work; then the acknowledgement, which counts only if the message was still ours.
                Thread.onSpinWait();
                if (jedis.lrem(PROCESSING, 1, message) == 1) {
                    acknowledged.merge(message, 1, Integer::sum);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Moves back messages seen in q:processing for longer than {@link #STALE_MILLIS}. */
    private static void reap(int port, Set<String> reaped, AtomicBoolean stop) {
        Map<String, Long> firstSeen = new HashMap<>();
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            while (!stop.get()) {
                long now = System.currentTimeMillis();
                Set<String> inFlight = new HashSet<>(jedis.lrange(PROCESSING, 0, -1));
                firstSeen.keySet().retainAll(inFlight);
                for (String message : inFlight) {
                    long since = firstSeen.computeIfAbsent(message, m -> now);
                    if (now - since > STALE_MILLIS && jedis.lrem(PROCESSING, 1, message) == 1) {
                        jedis.rpush(PENDING, message);
                        reaped.add(message);
                        firstSeen.remove(message);
                    }
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A consumer that takes a message mid-stream (waiting for one if the first half is consumed, while
     * the second half starts) and is killed before it acknowledges: its connection just closes.
     */
    private static String takeAndDie(int port, CountDownLatch secondHalf) throws Exception {
        try (RawConnection doomed = new RawConnection(port)) {
            doomed.send(Stream.of("BLMOVE", PENDING, PROCESSING, "RIGHT", "LEFT", "0")
                    .map(w -> w.getBytes(StandardCharsets.US_ASCII)).toList());
            secondHalf.countDown();
            String reply = new String(doomed.readReply(), StandardCharsets.ISO_8859_1);
            assertTrue(reply.startsWith("$"), reply);
            return reply.substring(reply.indexOf("\r\n") + 2, reply.length() - 2);
        }
    }

    private static void awaitAcknowledged(Map<String, Integer> acknowledged, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
        while (acknowledged.size() < count) {
            assertTrue(System.currentTimeMillis() < deadline, "consumers stalled at " + acknowledged.size());
            Thread.sleep(5);
        }
    }
}
