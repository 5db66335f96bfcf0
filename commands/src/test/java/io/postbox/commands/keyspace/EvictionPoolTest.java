package io.postbox.commands.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.postbox.commands.Stats;
import io.postbox.commands.config.Config;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With fewer keys than a pick samples, every key is in the pool, so the picks come in the policy's
 * exact order (sampling draws with replacement, so a large sample count makes sure every key is drawn).
 */
class EvictionPoolTest {

    private static final int ALL = 200;

    private long now = 1_700_000_000_000L;
    private final Config config = new Config();
    private final Stats stats = new Stats();
    private final AccessTracking access = new AccessTracking(config);
    private final Database db0 = new Database(0, () -> now, stats, access);
    private final Database db1 = new Database(1, () -> now, stats, access);
    private final EvictionPool pool = new EvictionPool(new Database[] {db0, db1});

    private static byte[] b(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Picks and evicts until the policy has nothing left; the keys in the order they went. */
    private List<String> evictAll(String policy) {
        List<String> order = new ArrayList<>();
        EvictionPool.Victim victim;
        while ((victim = pool.pick(policy, ALL)) != null) {
            victim.db().evict(victim.key());
            order.add(victim.db().index() + ":" + new String(victim.key(), StandardCharsets.US_ASCII));
        }
        return order;
    }

    @Test
    void volatileTtlTakesTheKeysThatExpireSoonestAndLeavesThoseWithout() {
        db0.set(b("late"), b("v"));
        db0.expireAt(b("late"), now + 30_000);
        db1.set(b("soon"), b("v"));
        db1.expireAt(b("soon"), now + 10_000);
        db0.set(b("between"), b("v"));
        db0.expireAt(b("between"), now + 20_000);
        db0.set(b("kept"), b("v"));
        assertEquals(List.of("1:soon", "0:between", "0:late"), evictAll("volatile-ttl"));
        assertEquals(1, db0.size());
        assertEquals(3, stats.evictedKeys);
    }

    @Test
    void allkeysLruTakesTheLeastRecentlyUsedFirstInEveryDatabase() {
        db0.set(b("oldest"), b("v"));
        now += 10_000;
        db1.set(b("older"), b("v"));
        db0.set(b("used"), b("v"));
        now += 10_000;
        db0.set(b("newest"), b("v"));
        now += 5_000;
        db0.get(b("used"));
        now += 1_000;
        assertEquals(List.of("0:oldest", "1:older", "0:newest", "0:used"), evictAll("allkeys-lru"));
    }

    @Test
    void allkeysLfuTakesTheLeastFrequentlyUsedFirst() {
        config.set("maxmemory-policy", "allkeys-lfu");
        config.set("lfu-log-factor", "0");
        db0.set(b("once"), b("v"));
        db0.set(b("often"), b("v"));
        db1.set(b("twice"), b("v"));
        for (int i = 0; i < 20; i++) {
            db0.get(b("often"));
        }
        for (int i = 0; i < 2; i++) {
            db1.get(b("twice"));
        }
        assertEquals(List.of("0:once", "1:twice", "0:often"), evictAll("allkeys-lfu"));
    }

    @Test
    void aKeyDeletedAfterItEnteredThePoolIsPassedOver() {
        db0.set(b("old"), b("v"));
        now += 10_000;
        db0.set(b("deleted"), b("v"));
        now += 10_000;
        // The pick samples both into the pool and takes "old" out; "deleted" stays in it.
        assertEquals("old", new String(pool.pick("allkeys-lru", ALL).key(), StandardCharsets.US_ASCII));
        db0.delete(b("deleted"));
        db0.set(b("newer"), b("v"));
        assertEquals(List.of("0:old", "0:newer"), evictAll("allkeys-lru"));
    }

    @Test
    void randomPoliciesTakeEveryKeyTheyMayAndNoOther() {
        db0.set(b("a"), b("v"));
        db1.set(b("b"), b("v"));
        db1.expireAt(b("b"), now + 10_000);
        assertEquals(List.of("1:b"), evictAll("volatile-random"));
        assertEquals(List.of("0:a"), evictAll("allkeys-random"));
        assertNull(pool.pick("allkeys-random", ALL));
    }
}
