package io.postbox.commands;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.postbox.commands.admin.LogLevel;
import io.postbox.commands.admin.info.JvmMemory;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Gives the heap that the data no longer needs back to the operating system, as Redis's allocator
 * returns the pages it freed within seconds. G1 gives heap back only when it resizes, after a full
 * collection or at the remark of a marking cycle, and it starts marking only as the old generation
 * fills. So a server whose backlog drained kept its peak heap resident for good: 1,000,000 messages
 * of 100 bytes pushed and then popped left it at 400-490 MB, idle, where redis-server went back to 10-14 MB.
 *
 * <p>A thread of its own looks once a second. When no collection has run for {@link #QUIET_NANOS}
 * (the server allocates little: it is idle, or nearly), it asks for a collection, which the launcher
 * makes a concurrent marking cycle ({@code ExplicitGCInvokesConcurrent}): no pause beyond a young
 * collection's, and G1 shrinks the heap at its remark, down to what it keeps free
 * ({@code MaxHeapFreeRatio}). Old regions that the drained data shared with live objects are emptied
 * only by mixed collections, which an idle server does not run; so after a cycle that gave heap back,
 * fillers drive a mixed phase and a second cycle gives those regions back too.
 *
 * <p>Whether there is anything to give back cannot be told beforehand: the heap in use after the
 * latest collection still counts the drained messages, until a marking cycle finds them dead. So a
 * cycle that gives nothing back doubles the wait before the next, up to an hour: an idle server with a
 * large dataset is not marked over and over. MEMORY PURGE asks for a cycle at once. Where asking for a
 * collection would not start a concurrent cycle (another collector, or the flag off) this does
 * nothing: a full collection would stop every client meanwhile.
 */
public final class HeapReturn {

    private static final long CHECK_MILLIS = 1_000;
    private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long FIRST_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long LONGEST_WAIT_NANOS = TimeUnit.HOURS.toNanos(1);

    private final Object signal = new Object();
    /** MEMORY PURGE asked for a cycle that has not started yet; guarded by {@link #signal}. */
    private boolean purgeAsked;
    private BiConsumer<LogLevel, String> log = (level, message) -> { };
    private Thread thread;

    /** Starts looking, once; {@code log} takes the server log's lines. Called by the server that owns the engine. */
    public synchronized void start(BiConsumer<LogLevel, String> log) {
        if (thread != null) {
            return;
        }
        this.log = log;
        thread = new Thread(this::run, "postbox-heap-return");
        thread.setDaemon(true);
        thread.start();
    }

    /** MEMORY PURGE: a marking cycle now, or after the one running (where this looks at all). */
    public void purge() {
        synchronized (signal) {
            purgeAsked = true;
            signal.notifyAll();
        }
    }

    public synchronized void close() {
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void run() {
        if (!concurrentCollectionOnRequest()) {
            return;
        }
        HeapAfterCollection heap = new HeapAfterCollection();
        long wait = FIRST_WAIT_NANOS;
        long collections = heap.collections();
        long quietSince = System.nanoTime();
        long notBefore = quietSince + wait;
        try {
            while (true) {
                boolean purge = awaitCheck();
                long now = System.nanoTime();
                long collectionsNow = heap.collections();
                if (collectionsNow != collections) {
                    collections = collectionsNow;
                    quietSince = now;
                }
                if (!purge && (now - quietSince < QUIET_NANOS || now - notBefore < 0)) {
                    continue;
                }
                long committed = JvmMemory.heapCommitted();
                heap.collect();
                if (JvmMemory.heapCommitted() < committed) {
                    // Partly live old regions: emptied by a mixed phase, given back at the next remark.
                    heap.runMixedCollections(0);
                    heap.collect();
                }
                long after = JvmMemory.heapCommitted();
                if (after < committed) {
                    log.accept(LogLevel.VERBOSE, "Heap given back to the system: " + megabytes(committed - after)
                            + " (committed " + megabytes(committed) + " -> " + megabytes(after) + ")");
                    wait = FIRST_WAIT_NANOS;
                } else {
                    wait = Math.min(2 * wait, LONGEST_WAIT_NANOS);
                }
                collections = heap.collections();
                quietSince = System.nanoTime();
                notBefore = quietSince + wait;
            }
        } catch (InterruptedException stopped) {
            // The server stopped.
        }
    }

    /** Waits until the next look; true if MEMORY PURGE asked for a cycle meanwhile (or before). */
    private boolean awaitCheck() throws InterruptedException {
        synchronized (signal) {
            if (!purgeAsked) {
                signal.wait(CHECK_MILLIS);
            }
            boolean asked = purgeAsked;
            purgeAsked = false;
            return asked;
        }
    }

    /** Whether System.gc() starts a G1 marking cycle rather than a full collection. */
    private static boolean concurrentCollectionOnRequest() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotspot != null && isOn(hotspot, "UseG1GC") && isOn(hotspot, "ExplicitGCInvokesConcurrent");
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return false; // Not HotSpot: its options are not there.
        }
    }

    private static boolean isOn(HotSpotDiagnosticMXBean hotspot, String option) {
        return Boolean.parseBoolean(hotspot.getVMOption(option).getValue());
    }

    private static String megabytes(long bytes) {
        return (bytes >> 20) + " MB";
    }
}
