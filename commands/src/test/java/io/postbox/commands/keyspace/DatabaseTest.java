package io.postbox.commands.keyspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.Errors;
import io.postbox.commands.Stats;
import io.postbox.commands.blocking.ReadyKeys;
import io.postbox.commands.config.Config;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatabaseTest {

    private long now = 1_700_000_000_000L;
    private final Config config = new Config();
    private final Stats stats = new Stats();
    private final AccessTracking access = new AccessTracking(config);
    private final Database db = new Database(0, () -> now, stats, access);

    private static byte[] b(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void loadedKeysAreStoredByFinishLoadingWithTheirExpiry() {
        // More keys than one batch holds (LoadBatch): the first batch is stored while loading goes on.
        for (int i = 0; i < 300_000; i++) {
            assertNull(db.addLoaded(b("key:" + i), b("v" + i), i % 2 == 0 ? -1 : now + 10_000));
        }
        assertNull(db.finishLoading());
        assertEquals(300_000, db.size());
        assertEquals(150_000, db.expiresSize());
        assertArrayEquals(b("v299999"), (byte[]) db.get(b("key:299999")));
        assertEquals(now + 10_000, db.expireAt(b("key:1")));
        assertEquals(-1, db.expireAt(b("key:2")));
    }

    @Test
    void aKeyLoadedTwiceIsReported() {
        assertNull(db.addLoaded(b("a"), b("1"), -1));
        assertNull(db.addLoaded(b("a"), b("2"), -1));
        assertArrayEquals(b("a"), db.finishLoading());
        assertNull(db.addLoaded(b("a"), b("3"), -1));
        assertArrayEquals(b("a"), db.finishLoading());
        assertArrayEquals(b("1"), (byte[]) db.get(b("a")));
    }

    @Test
    void populateAddsOnlyAbsentKeysAndCountsNoChange() {
        db.set(b("key:1"), b("mine"));
        long changes = db.changes();
        assertTrue(db.populate(b("key:0"), b("value:0")));
        assertFalse(db.populate(b("key:1"), b("value:1")));
        assertEquals(changes, db.changes());
        assertArrayEquals(b("value:0"), (byte[]) db.get(b("key:0")));
        assertArrayEquals(b("mine"), (byte[]) db.get(b("key:1")));
        assertEquals("embstr", db.encoding(b("key:0")));
        db.expireAt(b("key:1"), now + 10);
        now += 10;
        assertTrue(db.populate(b("key:1"), b("value:1")), "an expired key is absent");
        assertEquals(-1, db.expireAt(b("key:1")));
    }

    @Test
    void lazyExpiryHidesAndDeletesKeysOnAccess() {
        db.set(b("k"), b("v"));
        db.expireAt(b("k"), now + 100);
        now += 99;
        assertArrayEquals(b("v"), (byte[]) db.get(b("k")));
        now += 1;
        assertNull(db.get(b("k")));
        assertEquals(0, db.size());
        assertEquals(0, db.expiresSize());
        assertEquals(1, stats.expiredKeys);
        assertFalse(db.delete(b("k")));
    }

    @Test
    void readsCountHitsAndMissesWritesDoNot() {
        db.set(b("k"), b("v"));
        db.get(b("k"));
        db.get(b("missing"));
        db.getWithoutTouch(b("k"));
        assertEquals(2, stats.keyspaceHits);
        assertEquals(1, stats.keyspaceMisses);
        db.getForWrite(b("k"));
        db.getForWrite(b("missing"));
        db.exists(b("k"));
        assertEquals(2, stats.keyspaceHits);
        assertEquals(1, stats.keyspaceMisses);
    }

    @Test
    void typedLookupRefusesOtherTypes() {
        db.set(b("k"), b("v"));
        assertSame(Errors.WRONGTYPE, assertThrows(RuntimeException.class, () -> db.get(b("k"), Integer.class)));
        assertNull(db.get(b("missing"), byte[].class));
    }

    @Test
    void setClearsTheTtlAndSetKeepTtlKeepsIt() {
        db.set(b("k"), b("v"));
        db.expireAt(b("k"), now + 1000);
        db.setKeepTtl(b("k"), b("w"));
        assertEquals(now + 1000, db.expireAt(b("k")));
        db.set(b("k"), b("x"));
        assertEquals(-1, db.expireAt(b("k")));
        assertEquals(0, db.expiresSize());
    }

    @Test
    void persistRemovesTheTtl() {
        db.set(b("k"), b("v"));
        assertFalse(db.persist(b("k")));
        db.expireAt(b("k"), now + 1000);
        assertTrue(db.persist(b("k")));
        assertEquals(-1, db.expireAt(b("k")));
    }

    @Test
    void moveCarriesValueTtlAndAccessClockToAnotherDatabase() {
        Database other = new Database(1, () -> now, stats, access);
        db.set(b("k"), b("v"));
        db.expireAt(b("k"), now + 5000);
        other.set(b("k2"), b("old"));
        other.expireAt(b("k2"), now + 10);
        now += 3000;
        long idle = db.idleSeconds(b("k"));
        db.move(b("k"), other, b("k2"));
        assertNull(db.get(b("k")));
        assertEquals(0, db.expiresSize());
        assertArrayEquals(b("v"), (byte[]) other.getWithoutTouch(b("k2")));
        assertEquals(now + 2000, other.expireAt(b("k2")));
        assertEquals(idle, other.idleSeconds(b("k2")));
        assertEquals(1, other.size());
    }

    @Test
    void idleTimeCountsSecondsSinceTheLastAccess() {
        db.set(b("k"), b("v"));
        now += 5_000;
        assertEquals(5, db.idleSeconds(b("k")));
        db.getWithoutTouch(b("k"));
        assertEquals(5, db.idleSeconds(b("k")));
        db.get(b("k"));
        assertEquals(0, db.idleSeconds(b("k")));
    }

    @Test
    void idleTimeCarriesOverTheWrapOfTheTwentyFourBitClock() {
        long wrap = (1L << 24) * 1000;
        now = (now / wrap + 1) * wrap - 3_000;
        db.set(b("k"), b("v"));
        now += 10_000;
        assertEquals(9, db.idleSeconds(b("k")), "10 s, one short across the wrap as in Redis's estimateObjectIdleTime");
    }

    @Test
    void aStringKeepsHowItWasWrittenAcrossAccessesUntilWrittenAnew() {
        db.set(b("k"), b("12"), StringForm.RAW);
        assertEquals("raw", db.encoding(b("k")));
        now += 5_000;
        db.get(b("k"));
        assertEquals(0, db.idleSeconds(b("k")));
        assertEquals(StringForm.RAW, db.stringForm(b("k")));
        db.setKeepTtl(b("k"), b("13"), StringForm.BUILT);
        assertEquals("embstr", db.encoding(b("k")));
        assertEquals(1, db.refcount(b("k")));
        db.set(b("k"), b("14"));
        assertEquals("int", db.encoding(b("k")));
        assertEquals(Integer.MAX_VALUE, db.refcount(b("k")));
    }

    @Test
    void lfuCounterStartsAtFiveAndDecaysOncePerMinute() {
        config.set("maxmemory-policy", "allkeys-lfu");
        db.set(b("k"), b("v"));
        assertTrue(db.tracksFrequency());
        assertEquals(5, db.frequency(b("k")));
        db.get(b("k"));
        assertEquals(6, db.frequency(b("k")), "the first hit always counts");
        now += 3 * 60_000;
        assertEquals(3, db.frequency(b("k")));
        config.set("lfu-decay-time", "0");
        assertEquals(6, db.frequency(b("k")));
    }

    @Test
    void keysAndScanSeeLiveKeysWithoutDeletingExpiredOnes() {
        db.set(b("a"), b("1"));
        db.set(b("b"), b("2"));
        db.expireAt(b("b"), now + 10);
        now += 10;
        List<String> live = new ArrayList<>();
        db.forEachLiveKey(key -> live.add(new String(key, StandardCharsets.ISO_8859_1)));
        assertEquals(List.of("a"), live);
        assertEquals(2, db.size(), "KEYS leaves expired keys to the reclaimers, as Redis does");
        List<byte[]> scanned = new ArrayList<>();
        long cursor = 0;
        do {
            cursor = db.scan(cursor, scanned::add);
        } while (cursor != 0);
        assertEquals(2, scanned.size(), "a scan step returns keys as stored; the command filters");
    }

    @Test
    void randomKeyNeverReturnsAnExpiredKey() {
        for (int i = 0; i < 50; i++) {
            db.set(b("gone" + i), b("v"));
            db.expireAt(b("gone" + i), now + 1);
        }
        db.set(b("live"), b("v"));
        now += 1;
        assertArrayEquals(b("live"), db.randomKey());
        db.delete(b("live"));
        assertNull(db.randomKey());
        assertEquals(0, db.size());
    }

    @Test
    void activeExpiryReclaimsExpiredKeysAndLeavesTheRest() {
        for (int i = 0; i < 5000; i++) {
            db.set(b("v" + i), b("x"));
            db.expireAt(b("v" + i), now + 100);
        }
        for (int i = 0; i < 500; i++) {
            db.set(b("later" + i), b("x"));
            db.expireAt(b("later" + i), now + 1_000_000);
            db.set(b("kept" + i), b("x"));
        }
        now += 100;
        long changes = db.changes();
        DatabasesCron cron = new DatabasesCron();
        for (int run = 0; run < 1000 && db.size() > 1000; run++) {
            cron.run(new Database[] {db}, 100, stats, false, false);
        }
        assertEquals(1000, db.size());
        assertEquals(500, db.expiresSize());
        assertEquals(5000, stats.expiredKeys);
        assertEquals(changes, db.changes(), "Redis's dirty counter does not count expired keys");
        assertEquals(5000, db.removedByServer());
    }

    @Test
    void activeExpiryStopsSamplingWhenLittleHasExpired() {
        for (int i = 0; i < 10_000; i++) {
            db.set(b("k" + i), b("x"));
            db.expireAt(b("k" + i), now + (i < 50 ? 1 : 1_000_000));
        }
        now += 1;
        new DatabasesCron().run(new Database[] {db}, 100, stats, false, false);
        assertTrue(db.size() > 9_950 - 50 && db.size() <= 10_000,
                "one cycle returns once a sample is mostly live");
    }

    @Test
    void activeExpiryCountsItsCyclesAsRedisDoes() {
        for (int i = 0; i < 1000; i++) {
            db.set(b("k" + i), b("x"));
            db.expireAt(b("k" + i), now + 1);
        }
        now += 1;
        DatabasesCron cron = new DatabasesCron();
        // No time at all: the cycle stops at its first check of the clock, after 16 rounds of about 20 keys.
        long tookNanos = cron.run(new Database[] {db}, 0, stats, false, false);
        assertTrue(stats.expiredKeys >= 320 && stats.expiredKeys < 1000, stats.expiredKeys + " expired");
        assertEquals(1, stats.expireCyclesCut);
        assertEquals(tookNanos / 1000, stats.expireCycleMicros);
        assertEquals(0.05, stats.expiredStaleShare, 1e-9, "every key sampled had expired; a cycle weighs 5%");

        cron.run(new Database[] {db}, 100, stats, false, false);
        assertEquals(1000, stats.expiredKeys);
        assertEquals(1, stats.expireCyclesCut);
        assertEquals(0.0975, stats.expiredStaleShare, 1e-9);
        cron.run(new Database[] {db}, 100, stats, false, false);
        assertEquals(0.0975 * 0.95, stats.expiredStaleShare, 1e-9, "a cycle that sampled nothing counts as 0%");
    }

    /**
     * A writable replica expires the keys its own clients gave an expiry time, and only those: its
     * master's keys wait for the master's deletions. It forgets a key once it has no expiry to come.
     */
    @Test
    void aReplicaExpiresOnlyTheKeysItsOwnClientsGaveAnExpiry() {
        DatabasesCron cron = new DatabasesCron();
        SwitchedState state = new SwitchedState() {
            @Override
            public void expirySet(Database db, byte[] key) {
                cron.replicaExpiries().remember(db.index(), key);
            }
        };
        state.paused = true;
        Database replica = databaseIn(state);
        Database[] databases = {replica};
        for (String key : List.of("soon", "later", "persisted")) {
            replica.set(b(key), b("v"));
            replica.expireAt(b(key), now + (key.equals("soon") ? 10 : 10_000));
        }
        replica.set(b("masters"), b("v"));
        replica.addLoaded(b("masters-expired"), b("v"), now - 1);
        replica.finishLoading();
        assertEquals(3, cron.replicaExpiries().size());
        replica.persist(b("persisted"));
        now += 10;
        cron.run(databases, 100, stats, true, false);
        assertNull(replica.get(b("soon")));
        assertEquals(4, replica.size(), "deleted: soon; kept: later, persisted, and the master's keys");
        assertEquals(1, stats.expiredKeys);
        assertEquals(1, cron.replicaExpiries().size(), "later, still to expire");
        cron.activeExpire(false);
        now += 10_000;
        cron.run(databases, 100, stats, true, false);
        assertEquals(4, replica.size(), "DEBUG SET-ACTIVE-EXPIRE 0 holds it too");
        cron.activeExpire(true);
        cron.run(databases, 100, stats, true, false);
        assertEquals(3, replica.size());
        assertEquals(0, cron.replicaExpiries().size());
    }

    @Test
    void whileExpiryIsHeldExpiredKeysReadAsGoneButStay() {
        SwitchedState state = new SwitchedState();
        state.paused = true;
        Database paused = databaseIn(state);
        paused.set(b("lease"), b("v"));
        paused.expireAt(b("lease"), now + 10);
        now += 10;
        assertNull(paused.get(b("lease")));
        assertFalse(paused.exists(b("lease")));
        new DatabasesCron().run(new Database[] {paused}, 100, stats, false, true);
        assertEquals(1, paused.size(), "neither the read nor the cron deleted it");
        assertEquals(0, stats.expiredKeys);
        state.paused = false;
        assertNull(paused.get(b("lease")));
        assertEquals(0, paused.size());
        assertEquals(1, stats.expiredKeys);
    }

    @Test
    void whileTheDatasetLoadsNoKeyHasExpired() {
        SwitchedState state = new SwitchedState();
        state.loading = true;
        Database loading = databaseIn(state);
        loading.set(b("lease"), b("v"));
        loading.expireAt(b("lease"), now - 1000);
        assertArrayEquals(b("v"), (byte[]) loading.getForWrite(b("lease")), "a replayed write meets the key");
        assertFalse(loading.isExpired(b("lease")));
        state.loading = false;
        assertTrue(loading.isExpired(b("lease")));
        assertNull(loading.get(b("lease")));
        assertEquals(1, stats.expiredKeys);
    }

    private Database databaseIn(ExpiryState state) {
        return new Database(0, () -> now, stats, access, new ReadyKeys(), KeyWatchers.NONE, KeyspaceEvents.NONE,
                state);
    }

    /** A server state the test switches. */
    private static class SwitchedState implements ExpiryState {
        boolean loading;
        boolean paused;

        @Override
        public boolean loading() {
            return loading;
        }

        @Override
        public boolean paused() {
            return paused;
        }

        @Override
        public void expirySet(Database db, byte[] key) {
        }
    }

    @Test
    void cronFinishesResizesOfIdleDatabases() {
        for (int i = 0; i < 100_000; i++) {
            db.set(b("k" + i), b("x"));
        }
        for (int i = 0; i < 99_000; i++) {
            db.delete(b("k" + i));
        }
        // A table at least a tenth full, with no second table left over from a resize.
        long settled = 1000L * ObjectSizes.DICT_ENTRY + 1000L * 10 * ObjectSizes.REFERENCE;
        long before = db.overheadBytes(false);
        assertTrue(before > settled, "deleting leaves a resize open: " + before);
        DatabasesCron cron = new DatabasesCron();
        for (int run = 0; run < 100; run++) {
            cron.run(new Database[] {db}, 100, stats, false, false);
        }
        assertTrue(db.overheadBytes(false) <= settled, before + " -> " + db.overheadBytes(false));
        assertEquals(1000, db.size());
    }

    @Test
    void everyWriteSignalsTheModifiedKey() {
        long before = db.changes();
        db.set(b("k"), b("v"));
        db.expireAt(b("k"), now + 100);
        db.persist(b("k"));
        db.setKeepTtl(b("k"), b("w"));
        db.move(b("k"), db, b("k2"));
        assertEquals(before + 5, db.changes(), "a move is one change, as Redis's RENAME counts it");
        db.delete(b("k2"));
        assertEquals(before + 6, db.changes());
        db.get(b("k2"));
        db.persist(b("k2"));
        assertEquals(before + 6, db.changes(), "reads and no-op writes change nothing");
    }

    @Test
    void swapContentsExchangesKeysAndExpiries() {
        Database other = new Database(1, () -> now, stats, access);
        db.set(b("mine"), b("1"));
        db.expireAt(b("mine"), now + 100);
        other.set(b("theirs"), b("2"));
        db.swapContents(other);
        assertEquals(0, db.index());
        assertArrayEquals(b("2"), (byte[]) db.get(b("theirs")));
        assertEquals(now + 100, other.expireAt(b("mine")));
        assertEquals(0, db.expiresSize());
    }
}
