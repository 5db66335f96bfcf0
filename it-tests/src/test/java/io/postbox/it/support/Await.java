package io.postbox.it.support;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting in a test for what a server does asynchronously. */
public final class Await {

    private Await() {
    }

    /** Waits up to 5 seconds, polling every 10 ms, for {@code condition}; fails with {@code what} if it stays false. */
    public static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        awaitTrue(condition, what, 5);
    }

    /** As above, waiting up to {@code seconds}: for what takes a reference server's own timers (a failover). */
    public static void awaitTrue(BooleanSupplier condition, String what, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what);
            }
            Thread.sleep(10);
        }
    }
}
