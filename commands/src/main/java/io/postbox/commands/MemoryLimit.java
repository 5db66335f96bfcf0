package io.postbox.commands;

import io.postbox.commands.admin.LogLevel;
import io.postbox.commands.config.ConfigOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * maxmemory: over it, commands that may grow the data (flagged denyoom) are refused with -OOM, as
 * Redis's noeviction policy refuses them; reads, deletes and pops still run, so consumers can make
 * room. The dispatcher asks before each command, scripts before their first write.
 *
 * <p>What is compared with the limit: Redis counts its allocations. A JVM's heap in use also holds the
 * young generation's garbage, so it swings by the young generation's size between collections, and a
 * limit on it would refuse and accept writes in turn. Postbox compares the heap in use right after the
 * latest collection ({@link HeapAfterCollection}). That lags by what was allocated since (at most a
 * young generation), and it still counts data deleted since the old generation was last marked. So
 * while over the limit, if the data changed since it last asked (a consumer popped, a key was deleted),
 * it asks for a collection, at most once a second, on a thread of its own. The launcher makes that a
 * concurrent marking cycle (ExplicitGCInvokesConcurrent) rather than a full pause.
 *
 * <p>Postbox evicts no keys: under the other policies it refuses writes as under noeviction, and says
 * so in the log when it first does. Executor thread only, but for the collection thread's flag.
 */
public final class MemoryLimit {

    private static final long COLLECTION_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Engine engine;
    private final ConfigOption<Long> maxmemory;
    private final ConfigOption<String> policy;
    private final AtomicBoolean collecting = new AtomicBoolean();
    /** Started at the first check with a limit: its management beans cost a cold JVM about 50 ms. */
    private HeapAfterCollection heap;
    private long changesAtCollection = -1;
    private long collectionStartedNanos;
    private String policyWarnedOf;
    /** When the heap last went over the limit (0: it is not over), and the milliseconds over before that. */
    private long exceededSinceMillis;
    private long exceededBeforeMillis;

    MemoryLimit(Engine engine) {
        this.engine = engine;
        this.maxmemory = engine.config().option("maxmemory");
        this.policy = engine.config().option("maxmemory-policy");
    }

    /** Whether maxmemory is set and the data takes more. */
    public boolean exceeded() {
        long limit = maxmemory.value();
        boolean exceeded = limit != 0 && Long.compareUnsigned(heap().used(), limit) > 0;
        if (exceeded) {
            collectIfChanged();
            warnOfPolicy();
        }
        noteExceeded(exceeded);
        return exceeded;
    }

    /** INFO's total_eviction_exceeded_time: milliseconds spent over the limit, as last checked. */
    public long totalExceededMillis() {
        return exceededBeforeMillis + currentExceededMillis();
    }

    /** INFO's current_eviction_exceeded_time: milliseconds since the heap went over the limit, or 0. */
    public long currentExceededMillis() {
        return exceededSinceMillis == 0 ? 0 : engine.now() - exceededSinceMillis;
    }

    private HeapAfterCollection heap() {
        if (heap == null) {
            heap = new HeapAfterCollection();
        }
        return heap;
    }

    private void noteExceeded(boolean exceeded) {
        if (exceeded && exceededSinceMillis == 0) {
            exceededSinceMillis = engine.now();
        } else if (!exceeded && exceededSinceMillis != 0) {
            exceededBeforeMillis += engine.now() - exceededSinceMillis;
            exceededSinceMillis = 0;
        }
    }

    /** Has the collector find out what deletes freed, if anything changed since it last did. */
    private void collectIfChanged() {
        long now = System.nanoTime();
        if (collecting.get() || now - collectionStartedNanos < COLLECTION_INTERVAL_NANOS) {
            return;
        }
        long changes = engine.changes();
        if (changes == changesAtCollection) {
            return;
        }
        changesAtCollection = changes;
        collectionStartedNanos = now;
        collecting.set(true);
        HeapAfterCollection measured = heap;
        Thread thread = new Thread(() -> {
            try {
                System.gc();
                measured.collectedNow();
            } finally {
                collecting.set(false);
            }
        }, "maxmemory-collection");
        thread.setDaemon(true);
        thread.start();
    }

    private void warnOfPolicy() {
        String current = policy.value();
        if (!current.equals("noeviction") && !current.equals(policyWarnedOf)) {
            policyWarnedOf = current;
            engine.process().log(LogLevel.WARNING, "maxmemory-policy " + current + ": Postbox evicts no keys;"
                    + " over maxmemory it refuses commands that may add data, as noeviction does");
        }
    }
}
