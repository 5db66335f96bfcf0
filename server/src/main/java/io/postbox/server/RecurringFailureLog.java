package io.postbox.server;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Reports of a failure that can recur on every turn of a loop: the first at once, then at most one a
 * second, each saying how many were left out since the one before. A loop that fails on every turn
 * then costs a line a second, not a log that fills the disk in minutes. One thread reports at a time.
 */
final class RecurringFailureLog {

    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Consumer<String> log;
    private final LongSupplier nanoTime;
    private boolean reported;
    private long lastReport;
    private long leftOut;

    RecurringFailureLog(Consumer<String> log, LongSupplier nanoTime) {
        this.log = log;
        this.nanoTime = nanoTime;
    }

    void report(String message) {
        long now = nanoTime.getAsLong();
        if (reported && now - lastReport < INTERVAL_NANOS) {
            leftOut++;
            return;
        }
        log.accept(leftOut == 0 ? message : message + " (" + leftOut + " more like it since the last report)");
        reported = true;
        lastReport = now;
        leftOut = 0;
    }
}
