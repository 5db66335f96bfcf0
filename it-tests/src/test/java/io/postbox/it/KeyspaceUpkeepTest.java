package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostboxExtension;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** The keyspace's own work, as clients see it: active expiry, and SCAN over a table being resized. */
class KeyspaceUpkeepTest {

    @RegisterExtension
    final InJvmPostboxExtension postbox = new InJvmPostboxExtension();

    @Test
    void activeExpiryReclaimsKeysNobodyTouches() throws InterruptedException {
        try (Jedis jedis = new Jedis("127.0.0.1", postbox.port())) {
            Pipeline pipeline = jedis.pipelined();
            for (int i = 0; i < 10_000; i++) {
                // Long enough that none expires before the DBSIZE below, on a slow machine too.
                pipeline.psetex("volatile:" + i, 2_000, "v");
            }
            for (int i = 0; i < 100; i++) {
                pipeline.set("kept:" + i, "v");
            }
            pipeline.sync();
            assertEquals(10_100, jedis.dbSize());

            // DBSIZE counts expired keys until they are reclaimed, and it touches no key itself.
            long deadline = System.currentTimeMillis() + 20_000;
            while (jedis.dbSize() > 100 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(100, jedis.dbSize(), "the cron reclaimed every expired key");
            assertEquals(10_000, postbox.server().engine().stats().expiredKeys);
            assertEquals("v", jedis.get("kept:99"));
        }
    }

    @Test
    void scanReturnsEveryKeyPresentThroughoutWhileAnotherClientChurns() throws Exception {
        Set<String> stable = new HashSet<>();
        try (Jedis jedis = new Jedis("127.0.0.1", postbox.port())) {
            Pipeline pipeline = jedis.pipelined();
            for (int i = 0; i < 5_000; i++) {
                pipeline.set("stable:" + i, "v");
                stable.add("stable:" + i);
            }
            pipeline.sync();
        }

        AtomicBoolean scanning = new AtomicBoolean(true);
        AtomicReference<Throwable> churnFailure = new AtomicReference<>();
        Thread churn = new Thread(() -> {
            // Waves of 60k keys in and out: the table grows 8x and shrinks back, again and again.
            try (Jedis other = new Jedis("127.0.0.1", postbox.port())) {
                Pipeline pipeline = other.pipelined();
                for (int wave = 0; scanning.get(); wave++) {
                    for (int i = 0; i < 120_000; i++) {
                        String key = "churn:" + wave + ":" + (i % 60_000);
                        if (i < 60_000) {
                            pipeline.set(key, "v");
                        } else {
                            pipeline.del(key);
                        }
                        // Synced in small batches, so the scanning client gets its turns.
                        if (i % 1000 == 999) {
                            pipeline.sync();
                        }
                    }
                }
            } catch (Throwable e) {
                churnFailure.set(e);
            }
        }, "churn");
        churn.start();

        Set<String> seen = new HashSet<>();
        long smallest = Long.MAX_VALUE;
        long largest = 0;
        try (Jedis jedis = new Jedis("127.0.0.1", postbox.port())) {
            // Start once the churn is under way, so the iteration spans resizes.
            while (jedis.dbSize() < 15_000) {
                Thread.sleep(5);
            }
            ScanParams count = new ScanParams().count(20);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, count);
                seen.addAll(page.getResult());
                cursor = page.getCursor();
                long size = jedis.dbSize();
                smallest = Math.min(smallest, size);
                largest = Math.max(largest, size);
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        } finally {
            scanning.set(false);
            churn.join();
        }

        assertEquals(null, churnFailure.get());
        assertTrue(largest > 40_000 && smallest < 20_000,
                "the keyspace grew and shrank during the scan: " + smallest + " to " + largest + " keys");
        Set<String> missed = new HashSet<>(stable);
        missed.removeAll(seen);
        assertEquals(Set.of(), missed, "keys present for the whole scan that it never returned");
    }
}
