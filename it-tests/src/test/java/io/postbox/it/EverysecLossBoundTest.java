package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.PackagedPostbox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * {@code appendfsync everysec} under kill -9: steady producers push numbered messages, the server is
 * killed at a random moment and restarted, several times. What is lost is bounded: every push
 * acknowledged more than two seconds before the kill is there, nothing is there twice, and nothing is
 * there that was never sent. A SIGKILL keeps what the kernel already holds, and replies wait for
 * their write to reach it (as Redis writes before it replies), so in fact no acknowledged push is lost;
 * the one-second fsync bound itself would need a power cut to show.
 */
class EverysecLossBoundTest {

    private static final int ROUNDS = 5;
    private static final int PRODUCERS = 2;
    private static final long BOUND_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int VERIFY_TIMEOUT_MILLIS = 30_000;

    @TempDir
    Path dir;

    @Test
    void killNineLosesAtMostTheLastSecondsOfAcknowledgedPushes() throws Exception {
        Random random = new Random(7);
        Map<String, Long> acknowledgedAt = new ConcurrentHashMap<>();
        Set<String> sent = ConcurrentHashMap.newKeySet();
        int[] next = new int[PRODUCERS];
        long lostTotal = 0;
        for (int round = 0; round < ROUNDS; round++) {
            PackagedPostbox server = PackagedPostbox.start(dir, "--appendonly", "yes", "--appendfsync", "everysec",
                    "--save", "", "--dir", dir.toString());
            long killedAt;
            try {
                lostTotal += verify(server, acknowledgedAt, sent, Long.MAX_VALUE, round);
                AtomicBoolean stop = new AtomicBoolean();
                List<Thread> producers = new ArrayList<>();
                for (int p = 0; p < PRODUCERS; p++) {
                    int producer = p;
                    Thread thread = new Thread(() -> produce(server.port(), producer, next, acknowledgedAt, sent, stop));
                    thread.start();
                    producers.add(thread);
                }
                Thread.sleep(2500 + random.nextInt(1500));
                killedAt = System.nanoTime();
                server.kill();
                stop.set(true);
                for (Thread thread : producers) {
                    thread.join(10_000);
                }
            } finally {
                server.kill();
            }
            PackagedPostbox restarted = PackagedPostbox.start(dir, "--appendonly", "yes", "--save", "",
                    "--dir", dir.toString());
            try {
                lostTotal += verify(restarted, acknowledgedAt, sent, killedAt - BOUND_NANOS, round);
            } finally {
                restarted.close();
            }
        }
        assertTrue(acknowledgedAt.size() > ROUNDS * 100, "enough pushes were acknowledged: " + acknowledgedAt.size());
        System.out.println("everysec kill -9: " + acknowledgedAt.size() + " pushes acknowledged over " + ROUNDS
                + " kills, " + lostTotal + " of them lost");
        assertEquals(0, lostTotal, "acknowledged pushes lost although their writes had reached the kernel");
    }

    /** Pushes m<producer>-<n> one at a time, remembering when each was acknowledged. */
    private static void produce(int port, int producer, int[] next, Map<String, Long> acknowledgedAt, Set<String> sent,
                                AtomicBoolean stop) {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            while (!stop.get()) {
                String message = "m" + producer + "-" + next[producer]++;
                sent.add(message);
                jedis.lpush("queue", message);
                acknowledgedAt.put(message, System.nanoTime());
            }
        } catch (RuntimeException killed) {
            // The server died under us.
        }
    }

    /**
     * Checks the queue: no duplicates, nothing never sent, every push acknowledged before
     * {@code mustHaveBefore} present. Forgets acknowledged pushes that are gone (lost within the bound),
     * so later rounds do not count them; returns how many that was.
     */
    private static long verify(PackagedPostbox server, Map<String, Long> acknowledgedAt, Set<String> sent,
                               long mustHaveBefore, int round) {
        // The whole queue in one reply (up to ~300,000 pushes, 3 MB) from a server just started, its JIT
        // cold: 0.5 s on an idle 2-core machine, past Jedis's 2 s default on a busy one.
        try (Jedis jedis = new Jedis("127.0.0.1", server.port(), VERIFY_TIMEOUT_MILLIS)) {
            List<String> queue = jedis.lrange("queue", 0, -1);
            Set<String> present = new HashSet<>(queue);
            assertEquals(present.size(), queue.size(), "round " + round + ": a message is in the queue twice");
            for (String message : present) {
                assertTrue(sent.contains(message), "round " + round + ": " + message + " was never sent");
            }
            long lost = 0;
            for (Map.Entry<String, Long> ack : Map.copyOf(acknowledgedAt).entrySet()) {
                if (present.contains(ack.getKey())) {
                    continue;
                }
                assertTrue(ack.getValue() >= mustHaveBefore, "round " + round + ": " + ack.getKey()
                        + " was acknowledged more than 2 s before the kill and is lost");
                acknowledgedAt.remove(ack.getKey());
                lost++;
            }
            sent.retainAll(present);
            sent.addAll(acknowledgedAt.keySet());
            return lost;
        }
    }
}
