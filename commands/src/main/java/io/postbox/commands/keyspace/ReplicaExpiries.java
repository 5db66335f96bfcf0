package io.postbox.commands.keyspace;

/**
 * The keys a writable replica's own clients gave an expiry time (replica-read-only no): its master
 * knows nothing of them and sends no deletion, so the replica expires them itself, as Redis's
 * expireSlaveKeys does. A key name keeps the databases it got its expiry in; the replica's cron checks
 * names at random, forgetting those that no longer have an expiry to come, until more than three still
 * do or a millisecond is up (INFO's slave_expires_tracked_keys counts them). Executor thread only.
 */
public final class ReplicaExpiries {

    /** A name's databases as bits, as Redis keeps them: databases from 64 on are not tracked. */
    private static final int TRACKED_DATABASES = Long.SIZE;
    private static final long TIME_LIMIT_NANOS = 1_000_000;
    /** Keys checked between two reads of the clock. */
    private static final int KEYS_PER_CLOCK_READ = 64;
    private static final int PENDING_ENOUGH = 3;

    private static final class Tracked extends Dict.Entry {
        long databases;

        Tracked(byte[] key, int hash) {
            super(key, hash);
        }
    }

    private Dict<Tracked> keys = new Dict<>();

    /** A client of this writable replica gave {@code key} in database {@code db} an expiry time. */
    public void remember(int db, byte[] key) {
        if (db >= TRACKED_DATABASES) {
            return;
        }
        int hash = Dict.hash(key);
        Tracked tracked = keys.find(key, hash);
        if (tracked == null) {
            tracked = new Tracked(key, hash);
            keys.add(tracked);
        }
        tracked.databases |= 1L << db;
    }

    /** The replica's cron: deletes remembered keys whose time has passed in {@code databases}. */
    void expire(Database[] databases) {
        long start = System.nanoTime();
        int checked = 0;
        int pending = 0;
        while (keys.size() > 0) {
            Tracked tracked = keys.random();
            long left = 0;
            int databaseCount = Math.min(databases.length, TRACKED_DATABASES);
            for (int db = 0; db < databaseCount && tracked.databases >>> db != 0; db++) {
                if ((tracked.databases >>> db & 1) != 0 && databases[db].expiresLater(tracked.key())) {
                    left |= 1L << db;
                    pending++;
                }
            }
            if (left != 0) {
                tracked.databases = left;
            } else {
                keys.remove(tracked.key(), tracked.hash());
            }
            checked++;
            if (pending > PENDING_ENOUGH
                    || checked % KEYS_PER_CLOCK_READ == 0 && System.nanoTime() - start > TIME_LIMIT_NANOS) {
                return;
            }
        }
    }

    /** Forgets every key: the databases were emptied or swapped (FLUSHALL, SWAPDB, a full sync). */
    public void clear() {
        keys = new Dict<>();
    }

    public int size() {
        return keys.size();
    }
}
