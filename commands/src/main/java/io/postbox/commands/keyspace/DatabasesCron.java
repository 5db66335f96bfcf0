package io.postbox.commands.keyspace;

import io.postbox.commands.Stats;

/**
 * The keyspace's share of the server cron, as Redis's databasesCron: active expiry with a quarter
 * of the cron period as its budget (on a replica, only of the keys its own clients gave an expiry:
 * {@link ReplicaExpiries}), then a one-millisecond incremental-rehash slice for the first database
 * (in rotation) with a dict being resized, so idle dicts still finish their resizes.
 */
public final class DatabasesCron {

    private static final int REHASH_SLICE_MILLIS = 1;
    private static final int EXPIRY_BUDGET_PERCENT = 25;
    private static final int DATABASES_PER_CALL = 16;

    private final ActiveExpiry expiry = new ActiveExpiry();
    private final ReplicaExpiries replicaExpiries = new ReplicaExpiries();
    private int rehashDatabase;
    private boolean activeExpire = true;

    /** DEBUG SET-ACTIVE-EXPIRE: turns active expiry off or on, so that tests see keys expire only lazily. */
    public void activeExpire(boolean enabled) {
        activeExpire = enabled;
    }

    public ReplicaExpiries replicaExpiries() {
        return replicaExpiries;
    }

    /**
     * One run; {@code periodMillis} is the time between runs. Active expiry runs on a master
     * ({@code replica} false) unless {@code paused}; a replica leaves its master's keys to the master's
     * deletions. Returns the nanoseconds a master's active expiry took (Redis's expire-cycle latency
     * event), counted in {@code stats} too.
     */
    public long run(Database[] databases, long periodMillis, Stats stats, boolean replica, boolean paused) {
        if (activeExpire && replica) {
            replicaExpiries.expire(databases);
        }
        long expiryNanos = activeExpire && !replica && !paused
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
