package io.postbox.commands;

import io.postbox.commands.admin.info.JvmMemory;
import io.postbox.commands.config.ConfigOption;
import io.postbox.commands.connection.ClientPause;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.keyspace.EvictionPool;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * maxmemory: over it, keys are evicted as {@code maxmemory-policy} says, before each command, as Redis's
 * performEvictions does; if that cannot bring the data under the limit (noeviction, or no key the
 * policy may evict), commands that may grow the data (flagged denyoom) are refused with -OOM. Reads,
 * deletes and pops still run, so consumers can make room. The dispatcher asks before each command,
 * scripts before their first write.
 *
 * <p>What is compared with the limit: Redis counts its allocations. A JVM's heap in use also holds the
 * young generation's garbage, so it swings by the young generation's size between collections, and a
 * limit on it would refuse and accept writes in turn. Postbox compares the heap in use right after the
 * latest collection ({@link HeapAfterCollection}). That lags by what was allocated since (at most a
 * young generation), and it still counts data deleted since the old generation was last marked. So
 * while over the limit, if the data changed since it last asked (a consumer popped, a key was deleted),
 * it asks for a collection, at most once a second, on a thread of its own. The launcher makes that a
 * concurrent marking cycle (ExplicitGCInvokesConcurrent) rather than a full pause. If the data has not
 * changed since a collection began and is still over the limit, what is left may be garbage that only
 * G1's mixed collections free, so it has those run once; if the data is still over after them, the
 * next such run waits twice as long, up to a minute. Before the first collection of a server's life
 * there is no such measure, only the heap in use, which holds all the garbage of the start: if that is
 * over the limit, a collection is asked for at once, and writes wait for it (a write pause, some ms).
 *
 * <p>An evicted key's memory shows in that measure only after such a collection, so each eviction's
 * estimate of the key's size (MEMORY USAGE's) counts as freed until a collection that started after it
 * has ended.
 *
 * <p>Clients' input and output buffers count too, as Redis's allocator counts them with the data: those
 * on the heap are in its measure, those in the sockets' direct buffers are added as last counted
 * ({@link ClientEviction#offHeap}). So a client that does not read its replies can push the server
 * over the limit, as in Redis: keys are evicted for it, or writes refused, until it reads them, leaves
 * or is disconnected by client-output-buffer-limit or maxmemory-clients.
 * Executor thread only, but for the collection thread's flag and freed count.
 */
public final class MemoryLimit {

    private static final long COLLECTION_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MIXED_COLLECTIONS_MAX_WAIT_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** Elements MEMORY USAGE samples by default: the size estimate of an evicted key. */
    private static final int SIZE_SAMPLES = 5;
    /** Evictions between two looks at the clock, as Redis's loop looks every 16 keys. */
    private static final int EVICTIONS_PER_CLOCK_CHECK = 16;

    private final Engine engine;
    private final ConfigOption<Long> maxmemory;
    private final ConfigOption<String> policy;
    private final ConfigOption<Long> samples;
    private final ConfigOption<Long> tenacity;
    private final ConfigOption<Boolean> replicaIgnoresMaxmemory;
    private final AtomicBoolean collecting = new AtomicBoolean();
    /** Estimated bytes of the keys evicted since the start of the latest collection that has ended. */
    private final AtomicLong freed = new AtomicLong();
    private EvictionPool pool;
    /** Started at the first check with a limit: its management beans cost a cold JVM about 50 ms. */
    private HeapAfterCollection heap;
    private long changesAtCollection = -1;
    private long collectionStartedNanos;
    /** Whether mixed collections were run for the data as they are since {@link #changesAtCollection}. */
    private boolean mixedSinceChange;
    /** How long after the latest collection mixed ones may run: doubled by each run that leaves the data over. */
    private long mixedCollectionsWaitNanos = COLLECTION_INTERVAL_NANOS;
    /** When the heap last went over the limit (0: it is not over), and the milliseconds over before that. */
    private long exceededSinceMillis;
    private long exceededBeforeMillis;

    MemoryLimit(Engine engine) {
        this.engine = engine;
        this.maxmemory = engine.config().option("maxmemory");
        this.replicaIgnoresMaxmemory = engine.config().option("replica-ignore-maxmemory");
        this.policy = engine.config().option("maxmemory-policy");
        this.samples = engine.config().option("maxmemory-samples");
        this.tenacity = engine.config().option("maxmemory-eviction-tenacity");
        // A limit set at runtime is enforced right after the command that set it, not at the next command:
        // Redis's CONFIG SET maxmemory starts its eviction time event.
        engine.config().onApply("maxmemory", config -> engine.scheduler().schedule(0, this::exceeded));
    }

    /**
     * Whether maxmemory is set and the data takes more after evicting what the policy allows. Eviction
     * stops after a time that maxmemory-eviction-tenacity sets (500 us by default), as in Redis: the
     * command then runs, still over the limit (counted as time over it), and the next one evicts further.
     */
    public boolean exceeded() {
        if (engine.pause().active()) {
            // The data stays as it is during a pause, as in Redis: nothing is evicted, nothing refused.
            return false;
        }
        if (engine.masterLink().following() && replicaIgnoresMaxmemory.value()) {
            // A replica's data is its master's, which evicts for it (replica-ignore-maxmemory, on by default).
            return false;
        }
        long limit = maxmemory.value();
        boolean overBefore = limit != 0 && over(limit);
        boolean exceeded = overBefore && !evictedEnough(limit);
        // Asked again only after an eviction that ran out of time: under the limit, one look per command.
        noteExceeded(exceeded || overBefore && over(limit));
        return exceeded;
    }

    private boolean over(long limit) {
        HeapAfterCollection heap = heap();
        long clients = engine.clientEviction().offHeap();
        if (!heap.measured()) {
            // The heap in use counts every object since the start, garbage included: under the limit it
            // settles the question; over it, writes wait for a collection to measure what is live.
            if (Long.compareUnsigned(JvmMemory.heapUsed() + clients, limit) > 0) {
                engine.pause().freeze(ClientPause.Purpose.MEMORY_MEASURE, ClientPause.Mode.WRITE);
                // A collection already running thaws them when it ends, as every collection does.
                if (!collecting.get()) {
                    startCollection(engine.dataChanges(), false, limit);
                }
            }
            return false;
        }
        long measured = heap.used() + clients;
        if (Long.compareUnsigned(measured, limit) <= 0) {
            mixedCollectionsWaitNanos = COLLECTION_INTERVAL_NANOS;
            return false;
        }
        collectIfDue(limit);
        return Long.compareUnsigned(measured - Math.min(measured, freed.get()), limit) > 0;
    }

    /** Evicts until under {@code limit} or out of time: false if the policy found nothing to evict. */
    private boolean evictedEnough(long limit) {
        String current = policy.value();
        if (current.equals("noeviction")) {
            return false;
        }
        if (pool == null) {
            Database[] databases = new Database[engine.databaseCount()];
            Arrays.setAll(databases, engine::database);
            pool = new EvictionPool(databases);
        }
        long started = System.nanoTime();
        long budget = timeLimitNanos();
        int evicted = 0;
        try {
            do {
                EvictionPool.Victim victim = pool.pick(current, samples.value().intValue());
                if (victim == null) {
                    return false;
                }
                freed.addAndGet(victim.db().memoryUsage(victim.key(), SIZE_SAMPLES));
                victim.db().evict(victim.key());
                evicted++;
                if (evicted % EVICTIONS_PER_CLOCK_CHECK == 0 && System.nanoTime() - started > budget) {
                    return true;
                }
            } while (over(limit));
            return true;
        } finally {
            engine.latencyMonitor().sampleIfNeeded("eviction-cycle", (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** Redis's evictionTimeLimitUs: 50 us a step of tenacity up to 10, then 15 % more a step; 100 is no limit. */
    private long timeLimitNanos() {
        long steps = tenacity.value();
        if (steps == 100) {
            return Long.MAX_VALUE;
        }
        double micros = steps <= 10 ? 50.0 * steps : 500.0 * Math.pow(1.15, steps - 10);
        return (long) (micros * 1000);
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

    /**
     * Has the collector find out what deletes freed: with a collection if the data changed since the
     * latest one began, else with mixed collections, once for the data as they are.
     */
    private void collectIfDue(long limit) {
        if (collecting.get()) {
            return;
        }
        long sinceLatest = System.nanoTime() - collectionStartedNanos;
        long changes = engine.dataChanges();
        if (changes != changesAtCollection && sinceLatest >= COLLECTION_INTERVAL_NANOS) {
            startCollection(changes, false, limit);
        } else if (changes == changesAtCollection && !mixedSinceChange && sinceLatest >= mixedCollectionsWaitNanos) {
            mixedCollectionsWaitNanos = Math.min(2 * mixedCollectionsWaitNanos, MIXED_COLLECTIONS_MAX_WAIT_NANOS);
            startCollection(changes, true, limit);
        }
    }

    private void startCollection(long changes, boolean mixed, long limit) {
        changesAtCollection = changes;
        mixedSinceChange = mixed;
        collectionStartedNanos = System.nanoTime();
        collecting.set(true);
        HeapAfterCollection measured = heap;
        long freedBefore = freed.get();
        Thread thread = new Thread(() -> {
            try {
                if (mixed) {
                    measured.runMixedCollections(limit);
                } else {
                    measured.collect();
                }
                // The keys evicted before the collection started are in what it measured now.
                freed.addAndGet(-freedBefore);
            } finally {
                collecting.set(false);
                try {
                    engine.scheduler().schedule(0, () -> engine.pause().thaw(ClientPause.Purpose.MEMORY_MEASURE));
                } catch (RejectedExecutionException stopped) {
                    // The server stopped meanwhile: nothing waits any more.
                }
            }
        }, "maxmemory-collection");
        thread.setDaemon(true);
        thread.start();
    }

}
