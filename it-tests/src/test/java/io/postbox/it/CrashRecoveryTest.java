package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.PackagedPostbox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * kill -9 at random moments, again and again, with {@code appendfsync always}: every LPUSH that was
 * acknowledged is there after the restart, and nothing is there twice. Producers on several
 * connections push numbered messages; at most the one push each had in flight at the kill may or may
 * not have landed. Some rounds kill during an AOF rewrite.
 */
class CrashRecoveryTest {

    private static final int ROUNDS = 22;
    private static final int PRODUCERS = 3;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedPushSurvivesKillNineAndNothingIsDuplicated() throws Exception {
        Random random = new Random(20240601);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> inFlight = ConcurrentHashMap.newKeySet();
        int[] next = new int[PRODUCERS];
        for (int round = 0; round < ROUNDS; round++) {
            PackagedPostbox server = PackagedPostbox.start(dir, "--appendonly", "yes", "--appendfsync", "always",
                    "--save", "", "--dir", dir.toString());
            try {
                verify(server, acknowledged, inFlight, round);
                inFlight.clear();
                AtomicBoolean stop = new AtomicBoolean();
                List<Thread> producers = new ArrayList<>();
                for (int p = 0; p < PRODUCERS; p++) {
                    int producer = p;
                    Thread thread = new Thread(() -> produce(server.port(), producer, next, acknowledged, inFlight, stop));
                    thread.start();
                    producers.add(thread);
                }
                if (round % 5 == 4) {
                    Thread.sleep(50);
                    try (Jedis admin = new Jedis("127.0.0.1", server.port())) {
                        admin.bgrewriteaof();
                    }
                }
                Thread.sleep(50 + random.nextInt(400));
                server.kill();
                stop.set(true);
                for (Thread thread : producers) {
                    thread.join(10_000);
                }
            } finally {
                if (server != null) {
                    server.kill();
                }
            }
        }
        PackagedPostbox last = PackagedPostbox.start(dir, "--appendonly", "yes", "--save", "", "--dir", dir.toString());
        try {
            verify(last, acknowledged, inFlight, ROUNDS);
        } finally {
            last.close();
        }
        assertTrue(acknowledged.size() > ROUNDS * 20, "enough pushes were acknowledged: " + acknowledged.size());
    }

    /** Pushes m<producer>-<n> one at a time; an acknowledged push is remembered, an unanswered one is in flight. */
    private static void produce(int port, int producer, int[] next, Set<String> acknowledged, Set<String> inFlight,
                                AtomicBoolean stop) {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            while (!stop.get()) {
                String message = "m" + producer + "-" + next[producer];
                inFlight.add(message);
                jedis.lpush("queue", message);
                acknowledged.add(message);
                inFlight.remove(message);
                next[producer]++;
            }
        } catch (RuntimeException killed) {
            // The server died under us: the push in flight may or may not have landed.
            next[producer]++;
        }
    }

    private static void verify(PackagedPostbox server, Set<String> acknowledged, Set<String> inFlight, int round) {
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            List<String> queue = jedis.lrange("queue", 0, -1);
            Set<String> present = new HashSet<>(queue);
            assertEquals(present.size(), queue.size(), "round " + round + ": a message is in the queue twice");
            for (String message : acknowledged) {
                assertTrue(present.contains(message), "round " + round + ": acknowledged " + message + " was lost");
            }
            for (String message : present) {
                assertTrue(acknowledged.contains(message) || inFlight.contains(message),
                        "round " + round + ": " + message + " was never sent");
            }
            // A push in flight at the kill that did land counts as delivered from now on.
            for (String message : inFlight) {
                if (present.contains(message)) {
                    acknowledged.add(message);
                }
            }
        }
    }
}
