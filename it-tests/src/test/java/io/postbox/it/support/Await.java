package io.postbox.it.support;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting in a test for what a server does asynchronously. */
public final class Await {

    private Await() {
    }

    /** Waits up to 5 seconds, polling every 10 ms, for {@code condition}; fails with {@code what} if it stays false. */
    public static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what);
            }
            Thread.sleep(10);
        }
    }
}
