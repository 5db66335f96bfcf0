package io.postbox.commands.keyspace;

import io.postbox.commands.Stats;

/**
 * The keyspace's share of the server cron, as Redis's databasesCron: active expiry with a quarter
 * of the cron period as its budget, then a one-millisecond incremental-rehash slice for the first
 * database (in rotation) with a dict being resized, so idle dicts still finish their resizes.
 */
public final class DatabasesCron {

    private static final int REHASH_SLICE_MILLIS = 1;
    private static final int EXPIRY_BUDGET_PERCENT = 25;
    private static final int DATABASES_PER_CALL = 16;

    private final ActiveExpiry expiry = new ActiveExpiry();
    private int rehashDatabase;
    private boolean activeExpire = true;

    /** DEBUG SET-ACTIVE-EXPIRE: turns active expiry off or on, so that tests see keys expire only lazily. */
    public void activeExpire(boolean enabled) {
        activeExpire = enabled;
    }

    /**
     * One run; {@code periodMillis} is the time between runs, and active expiry runs only if
     * {@code mayExpire} (not during a pause). Returns the nanoseconds active expiry took (Redis's
     * expire-cycle latency event), counted in {@code stats} too.
     */
    public long run(Database[] databases, long periodMillis, Stats stats, boolean mayExpire) {
        long expiryNanos = activeExpire && mayExpire
                ? expiry.cycle(databases, periodMillis * 1_000_000 * EXPIRY_BUDGET_PERCENT / 100, stats) : 0;
        int count = Math.min(DATABASES_PER_CALL, databases.length);
        for (int j = 0; j < count; j++) {
            if (databases[rehashDatabase].rehashFor(REHASH_SLICE_MILLIS)) {
                break;
            }
            rehashDatabase = (rehashDatabase + 1) % databases.length;
        }
        return expiryNanos;
    }
}
