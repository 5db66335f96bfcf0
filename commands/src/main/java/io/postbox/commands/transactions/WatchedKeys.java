package io.postbox.commands.transactions;

import io.postbox.commands.keyspace.Database;
import io.postbox.commands.keyspace.KeyWatchers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every WATCHed key, by database and key, so a change to a key reaches the transactions watching it:
 * the per-database watched_keys of Redis. A database object stands for its index (SWAPDB exchanges
 * contents, not objects), so a watch stays on the index the client chose, as in Redis.
 *
 * <p>Redis 7.0's rule for keys that had already expired when they were watched: they count as
 * absent, so deleting them (lazily, actively or by a flush) is no change; anything else is.
 * And a watched key that expires before EXEC fails it even if nothing has deleted it yet
 * ({@link #anyExpired}).
 *
 * <p>Executor thread only. With nothing watched, a change costs one comparison.
 */
public final class WatchedKeys implements KeyWatchers {

    /** One transaction watching one key. */
    static final class Watch {
        final Transaction owner;
        final Database db;
        final byte[] key;
        /** The key had expired (but was still stored) when it was watched. */
        boolean expired;

        Watch(Transaction owner, Database db, byte[] key, boolean expired) {
            this.owner = owner;
            this.db = db;
            this.key = key;
            this.expired = expired;
        }
    }

    private final Map<Database, Map<String, List<Watch>>> byDatabase = new IdentityHashMap<>();
    private int count;

    /** WATCH of {@code key} in {@code db}; watching a key twice is watching it once. */
    public void watch(Transaction transaction, Database db, byte[] key) {
        for (Watch watch : transaction.watches) {
            if (watch.db == db && Arrays.equals(watch.key, key)) {
                return;
            }
        }
        Watch watch = new Watch(transaction, db, key, db.isExpired(key));
        transaction.watches.add(watch);
        byDatabase.computeIfAbsent(db, d -> new HashMap<>())
                .computeIfAbsent(name(key), k -> new ArrayList<>(2)).add(watch);
        count++;
    }

    /** Forgets every key {@code transaction} watches (UNWATCH, EXEC, DISCARD, disconnection). */
    public void unwatchAll(Transaction transaction) {
        for (Watch watch : transaction.watches) {
            Map<String, List<Watch>> keys = byDatabase.get(watch.db);
            String name = name(watch.key);
            List<Watch> watchers = keys.get(name);
            watchers.remove(watch);
            if (watchers.isEmpty()) {
                keys.remove(name);
            }
            count--;
        }
        transaction.watches.clear();
    }

    /** Whether a key {@code transaction} watches has expired since it was watched (EXEC then fails). */
    boolean anyExpired(Transaction transaction) {
        for (Watch watch : transaction.watches) {
            if (!watch.expired && watch.db.isExpired(watch.key)) {
                return true;
            }
        }
        return false;
    }

    /** How many keys are watched, all clients together. */
    public int size() {
        return count;
    }

    @Override
    public void modified(Database db, byte[] key) {
        if (count == 0) {
            return;
        }
        Map<String, List<Watch>> keys = byDatabase.get(db);
        List<Watch> watchers = keys == null ? null : keys.get(name(key));
        if (watchers == null) {
            return;
        }
        for (Watch watch : watchers) {
            if (watch.expired && !db.holds(key)) {
                // An expired key was deleted: it was absent to the watcher and still is.
                watch.expired = false;
            } else {
                watch.owner.watchedKeyChanged();
            }
        }
    }

    @Override
    public void emptying(Database db, Database replacement) {
        Map<String, List<Watch>> keys = count == 0 ? null : byDatabase.get(db);
        if (keys == null) {
            return;
        }
        for (List<Watch> watchers : keys.values()) {
            byte[] key = watchers.get(0).key;
            boolean wasThere = db.holds(key);
            boolean comesIn = replacement != null && replacement.holds(key);
            if (!wasThere && !comesIn) {
                continue;
            }
            for (Watch watch : watchers) {
                if (watch.expired) {
                    if (!comesIn) {
                        watch.expired = false;
                        continue;
                    }
                    if (replacement.isExpired(key)) {
                        continue;
                    }
                } else if (!wasThere && replacement.isExpired(key)) {
                    // Absent before and absent after (an expired key comes in): no change.
                    watch.expired = true;
                    continue;
                }
                watch.owner.watchedKeyChanged();
            }
        }
    }

    private static String name(byte[] key) {
        return new String(key, StandardCharsets.ISO_8859_1);
    }
}
