package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InfoFields;
import io.postbox.it.support.PackagedPostbox;
import io.postbox.it.support.Subprocess;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A producer that outruns its consumers fills Postbox up to maxmemory, not up to the end of its heap:
 * then pushes are refused with Redis's OOM error and no acknowledged message is lost; once consumers have
 * taken the backlog, pushes are taken again. Deletes free memory only at a garbage collection, which the
 * server asks for while it refuses; the launcher has that run concurrently, plain {@code java -jar} as a
 * full collection: both are tried.
 */
class MemoryLimitTest {

    private static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";
    private static final int LIMIT_BYTES = 48 << 20;
    private static final byte[] QUEUE = "queue".getBytes();
    private static final byte[] MESSAGE = new byte[1000];

    @TempDir
    Path dir;

    @ParameterizedTest(name = "JVM options: {0}")
    @ValueSource(strings = {"-XX:+ExplicitGCInvokesConcurrent", "-XX:-ExplicitGCInvokesConcurrent"})
    void aQueueFillsUpToTheLimitAndTakesMessagesAgainOnceConsumed(String collection) throws Exception {
        try (PackagedPostbox postbox = start(collection);
                Jedis jedis = new Jedis("127.0.0.1", postbox.port(), 30_000)) {
            long acknowledged = fillUpToTheLimit(jedis, n -> MESSAGE);
            assertTrue(acknowledged * MESSAGE.length > LIMIT_BYTES / 2, acknowledged + " messages taken");

            // Consumers take the backlog: pops run over the limit.
            while (jedis.llen(QUEUE) > 0) {
                jedis.rpop(QUEUE, 1000);
            }
            awaitPushTaken(jedis);
            assertEquals(1, jedis.llen(QUEUE));
            long overMillis = Long.parseLong(InfoFields.parse(jedis.info("stats")).get("total_eviction_exceeded_time"));
            assertTrue(overMillis > 0, "time over the limit: " + overMillis + " ms");
        }
    }

    /**
     * Messages acknowledged out of order (LREM from a processing list) leave the rest spread thinly over
     * the heap: a G1 marking cycle frees no region that still holds one, and an idle server runs no
     * mixed collection to free the others on its own.
     */
    @ParameterizedTest(name = "JVM options: {0}")
    @ValueSource(strings = {"-XX:+ExplicitGCInvokesConcurrent", "-XX:-ExplicitGCInvokesConcurrent"})
    void messagesLeftAmongAcknowledgedOnesDoNotHoldTheLimit(String collection) throws Exception {
        try (PackagedPostbox postbox = start(collection);
                Jedis jedis = new Jedis("127.0.0.1", postbox.port(), 30_000)) {
            long acknowledged = fillUpToTheLimit(jedis, n -> n % 3 == 0 ? ("left " + n).getBytes() : MESSAGE);

            long removed = jedis.lrem(QUEUE, 0, MESSAGE);
            assertTrue(removed > acknowledged / 2, removed + " of " + acknowledged + " messages removed");
            awaitPushTaken(jedis);
            assertEquals(acknowledged - removed + 1, jedis.llen(QUEUE));
        }
    }

    /**
     * A limit set at runtime is compared with the heap after the latest collection, not with the heap
     * in use when it is set, which holds the garbage of everything done since that collection (Redis
     * counts none of it): the first write after CONFIG SET maxmemory used to be refused. Before any
     * collection, nothing is refused until one has measured the heap; the limit then holds.
     */
    @ParameterizedTest(name = "collected before: {0}")
    @ValueSource(booleans = {true, false})
    void garbageFromBeforeTheLimitWasSetDoesNotCountAgainstIt(boolean collectedBefore) throws Exception {
        // A young generation large enough to take the start's garbage and the values below without a collection.
        try (PackagedPostbox postbox = PackagedPostbox.start(dir, List.of("-Xmx1g", "-Xmn384m", "-Xlog:gc:stdout"),
                "--save", "", "--appendonly", "no");
                Jedis jedis = new Jedis("127.0.0.1", postbox.port(), 30_000)) {
            if (collectedBefore) {
                String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
                Subprocess.Result collected = Subprocess.run(List.of(jcmd, Long.toString(postbox.pid()), "GC.run"), "",
                        60);
                assertEquals(0, collected.exitCode(), collected.output());
            }
            long before = usedMemory(jedis);
            // Each value replaced is garbage; the last one is deleted. Small enough to be young objects.
            String value = "x".repeat(100 << 10);
            for (int i = 0; i < 640; i++) {
                jedis.set("draft", value);
            }
            jedis.del("draft");
            long withGarbage = usedMemory(jedis);
            assertTrue(withGarbage > before + (48 << 20), "the values written are garbage in the heap: "
                    + before + " bytes in use before, " + withGarbage + " after");
            assertEquals(collectedBefore, postbox.log().contains("Pause"), postbox.log());

            jedis.configSet("maxmemory", Long.toString(LIMIT_BYTES));
            assertEquals("OK", jedis.set("job", "1"));
            fillUpToTheLimit(jedis, n -> MESSAGE);
        }
    }

    /**
     * A limit under what is live refuses the first write after it, as Redis's does, also on a server
     * that has not collected yet: writes wait for the collection that measures the heap (they used to
     * be taken until it ended, some ms).
     */
    @Test
    void aLimitUnderWhatIsLiveRefusesTheFirstWrite() throws Exception {
        try (PackagedPostbox postbox = PackagedPostbox.start(dir, List.of("-Xmx1g", "-Xmn384m", "-Xlog:gc:stdout"),
                "--save", "", "--appendonly", "no");
                Jedis jedis = new Jedis("127.0.0.1", postbox.port(), 30_000)) {
            jedis.configSet("maxmemory", "1");
            JedisDataException refused = assertThrows(JedisDataException.class, () -> jedis.set("job", "1"));
            assertEquals(OOM, refused.getMessage());
            assertNull(jedis.get("job"), "reads still run");
            // The case is a server that has not collected yet; the JVM may collect on its own at startup
            // (a GCLocker-initiated young collection was seen once in CI), and then this run checked
            // only the refusal.
            Assumptions.assumeFalse(postbox.log().contains("Pause Young"),
                    "a collection ran before the limit, so the wait for the first one was not exercised: "
                            + postbox.log());
        }
    }

    /**
     * The collection the server asks for is measured by the collector's report of it. The heap in use
     * right after it also counts the buffers the collector hands out to threads at once: after Serial's
     * full collection of a 384 MB young generation, 53 MB for 7 MB left, which refused every write.
     */
    @Test
    void theCollectionAskedForIsMeasuredByWhatItLeft() throws Exception {
        List<String> serial = List.of("-XX:+UseSerialGC", "-Xmx1g", "-Xmn384m", "-Xlog:gc:stdout");
        try (PackagedPostbox postbox = PackagedPostbox.start(dir, serial, "--save", "", "--appendonly", "no");
                Jedis jedis = new Jedis("127.0.0.1", postbox.port(), 30_000)) {
            jedis.configSet("maxmemory", Integer.toString(16 << 20));
            postbox.awaitLog("Pause Full (System.gc())");
            // The measure follows the log line: writes go on for a while after it.
            for (int i = 0; i < 10; i++) {
                try {
                    jedis.set("job", Integer.toString(i));
                } catch (JedisDataException refused) {
                    throw new AssertionError(refused.getMessage() + "\n" + postbox.log(), refused);
                }
                Thread.sleep(100);
            }
        }
    }

    private static long usedMemory(Jedis jedis) {
        return Long.parseLong(InfoFields.parse(jedis.info("memory")).get("used_memory"));
    }

    private PackagedPostbox start(String collection) throws Exception {
        return PackagedPostbox.start(dir, List.of("-Xmx256m", collection),
                "--maxmemory", Integer.toString(LIMIT_BYTES), "--save", "", "--appendonly", "no");
    }

    /** Pushes message 1, 2, ... until refused: every acknowledged push, and no refused one, is queued. */
    private static long fillUpToTheLimit(Jedis jedis, LongFunction<byte[]> message) {
        long acknowledged = 0;
        String refusal = null;
        // 240 MB offered at most: on a 256 MB heap, only the limit can stop it without an OutOfMemoryError.
        while (refusal == null && acknowledged < 240_000) {
            Pipeline pipeline = jedis.pipelined();
            for (int i = 1; i <= 100; i++) {
                pipeline.lpush(QUEUE, message.apply(acknowledged + i));
            }
            for (Object reply : pipeline.syncAndReturnAll()) {
                if (reply instanceof JedisDataException refused) {
                    refusal = refused.getMessage();
                } else {
                    acknowledged++;
                }
            }
        }
        assertEquals(OOM, refusal);
        assertEquals(acknowledged, jedis.llen(QUEUE), "every acknowledged push, and no refused one, is queued");
        return acknowledged;
    }

    private static void awaitPushTaken(Jedis jedis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!pushed(jedis)) {
            assertTrue(System.nanoTime() < deadline, "pushes still refused 30 s after the messages were taken; "
                    + InfoFields.parse(jedis.info("memory")).get("used_memory") + " bytes in use");
            Thread.sleep(100);
        }
    }

    private static boolean pushed(Jedis jedis) {
        try {
            jedis.lpush(QUEUE, MESSAGE);
            return true;
        } catch (JedisDataException refused) {
            assertEquals(OOM, refused.getMessage());
            return false;
        }
    }
}
