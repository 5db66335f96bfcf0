package io.postbox.commands.keyspace;

import io.postbox.commands.Stats;

/**
 * Active expiry, as Redis 7.0's activeExpireCycle (slow cycle): reclaims expired keys that nobody
 * reads. For each database in turn it samples 20 keys with a TTL, deleting those that expired, and
 * samples again while more than 10% of a sample had expired, so the memory held by expired keys
 * stays a small fraction. A cycle stops when it has used its time budget; the next cycle then
 * visits every database.
 *
 * <p>Sampling walks the expires dict with a per-database scan cursor rather than drawing random
 * keys, so successive rounds cover the whole dict.
 *
 * <p>Each cycle adds to INFO's figures as Redis's does: its time (expire_cycle_cpu_milliseconds), a
 * cycle cut short (expired_time_cap_reached_count), and the share of sampled keys that had expired,
 * as a running average in which each cycle weighs 5% (expired_stale_perc).
 */
final class ActiveExpiry {

    private static final int KEYS_PER_ROUND = 20;
    /** A round may visit this many buckets per wanted key before giving up on a sparse table. */
    private static final int BUCKETS_PER_KEY = 20;
    /** Sample again while more than this percentage of a sample had expired. */
    private static final int ACCEPTABLE_STALE_PERCENT = 10;
    private static final int DATABASES_PER_CYCLE = 16;
    /** The weight of one cycle in the running average of the stale share. */
    private static final double STALE_SHARE_WEIGHT = 0.05;

    private int nextDatabase;
    private boolean lastCycleTimedOut;
    private int roundSampled;
    private int roundExpired;

    /**
     * Runs one cycle over {@code databases}, for at most about {@code budgetNanos}, and counts it in
     * {@code stats}; returns the nanoseconds it took.
     */
    long cycle(Database[] databases, long budgetNanos, Stats stats) {
        long start = System.nanoTime();
        long sampled = 0;
        long expired = 0;
        int count = lastCycleTimedOut ? databases.length : Math.min(DATABASES_PER_CYCLE, databases.length);
        lastCycleTimedOut = false;
        int rounds = 0;
        for (int j = 0; j < count && !lastCycleTimedOut; j++) {
            Database db = databases[nextDatabase];
            nextDatabase = (nextDatabase + 1) % databases.length;
            boolean again;
            do {
                int withTtl = db.expiresSize();
                if (withTtl == 0) {
                    break;
                }
                roundSampled = 0;
                roundExpired = 0;
                int wanted = Math.min(withTtl, KEYS_PER_ROUND);
                db.sampleExpires(wanted, wanted * BUCKETS_PER_KEY, this);
                sampled += roundSampled;
                expired += roundExpired;
                rounds++;
                // Reading the clock is not free: check the budget every 16 rounds.
                if ((rounds & 0xf) == 0 && System.nanoTime() - start > budgetNanos) {
                    lastCycleTimedOut = true;
                    break;
                }
                again = roundSampled == 0 || roundExpired * 100 / roundSampled > ACCEPTABLE_STALE_PERCENT;
            } while (again);
        }
        long nanos = System.nanoTime() - start;
        stats.expireCycleMicros += nanos / 1000;
        if (lastCycleTimedOut) {
            stats.expireCyclesCut++;
        }
        double staleShare = sampled == 0 ? 0 : (double) expired / sampled;
        stats.expiredStaleShare = staleShare * STALE_SHARE_WEIGHT + stats.expiredStaleShare * (1 - STALE_SHARE_WEIGHT);
        return nanos;
    }

    /** Called by {@link Database#sampleExpires} for every key it looked at. */
    void sampled(boolean expired) {
        roundSampled++;
        if (expired) {
            roundExpired++;
        }
    }
}
