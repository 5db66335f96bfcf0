package io.postbox.persistence;

/**
 * Redis's brake on the AOF rewrites the cron starts, scheduled or automatic, once they keep failing
 * (aofRewriteLimited): every try adds an incremental file to the manifest, so a disk that refuses each
 * one would otherwise grow the manifest ten times a second. From the third failure in a row, one try
 * is allowed after 1 minute, then 2, 4, ... at most 60. A BGREWRITEAOF by hand is never held.
 */
final class RewriteLimit {

    private static final long FAILURES_BEFORE_LIMIT = 3;
    private static final int MAX_DELAY_MINUTES = 60;

    private int delayMinutes;
    private long retryAtSeconds;

    /**
     * Whether the cron must not start a rewrite at {@code nowSeconds}, after {@code failures} failures in
     * a row. Logs when a new wait begins.
     */
    boolean holds(long failures, long nowSeconds, Log log) {
        if (failures < FAILURES_BEFORE_LIMIT) {
            delayMinutes = 0;
            retryAtSeconds = 0;
            return false;
        }
        if (retryAtSeconds != 0) {
            if (nowSeconds < retryAtSeconds) {
                return true;
            }
            retryAtSeconds = 0;
            return false;
        }
        delayMinutes = delayMinutes == 0 ? 1 : Math.min(delayMinutes * 2, MAX_DELAY_MINUTES);
        retryAtSeconds = nowSeconds + delayMinutes * 60L;
        log.warning("Background AOF rewrite has repeatedly failed and triggered the limit, will retry in "
                + delayMinutes + " minutes");
        return true;
    }
}
