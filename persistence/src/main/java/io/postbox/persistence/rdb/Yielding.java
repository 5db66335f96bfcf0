package io.postbox.persistence.rdb;

import java.util.function.LongSupplier;

/**
 * When a thread that encodes beside a serving executor yields its core: after every node while a
 * yield gives the core away briefly (to the executor, woken by a request: its work takes microseconds),
 * and ever more rarely while yields give it away for long, to another busy thread or process. Each
 * yield then hands that one a whole time slice (milliseconds, for tens of microseconds of encoding):
 * a thread yielding after every node gets about a hundredth of its share of a busy core, and a BGSAVE
 * of a second takes minutes (measured: 0.7 s against 30 s, sharing one core with a busy loop).
 *
 * <p>One instance per thread.
 */
final class Yielding {

    /** A yield that kept the thread off its core this long gave the core to someone busy. */
    static final long LONG_YIELD_NANOS = 500_000;
    /** The most nodes between two yields: about 10 ms of encoding. */
    static final int MAX_NODES_BETWEEN_YIELDS = 1024;

    private final LongSupplier clock;
    private final Runnable yield;
    private int nodesBetweenYields = 1;
    private int nodesSinceYield;

    Yielding() {
        this(System::nanoTime, Thread::yield);
    }

    /** With the clock and yield given (tests). */
    Yielding(LongSupplier clock, Runnable yield) {
        this.clock = clock;
        this.yield = yield;
    }

    /** Call after each node: yields if it is time, and learns from how long the yield took. */
    void afterNode() {
        if (++nodesSinceYield < nodesBetweenYields) {
            return;
        }
        nodesSinceYield = 0;
        long start = clock.getAsLong();
        yield.run();
        nodesBetweenYields = clock.getAsLong() - start >= LONG_YIELD_NANOS
                ? Math.min(2 * nodesBetweenYields, MAX_NODES_BETWEEN_YIELDS) : 1;
    }

    int nodesBetweenYields() {
        return nodesBetweenYields;
    }
}
