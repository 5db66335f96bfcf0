package io.postbox.persistence;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Collections of the young generation only, asked for by filling what is left of it with garbage:
 * Java has no call for one ({@code System.gc()} collects the whole heap). After a load they settle
 * the loaded keys where they stay, if the JVM promotes an object after at most
 * {@link #MAX_THRESHOLD} + 1 young collections ({@code -XX:MaxTenuringThreshold}, which the launcher
 * sets to 1): then they copy only the keys allocated since the load's last collections, where a full
 * collection marks and compacts every key (0.25-0.3 s for load_bench's 1.1 million keys, where this
 * takes some tens of milliseconds).
 *
 * <p>Any thread; the caller is alone in the process then (startup), so the garbage it allocates is
 * what fills the young generation.
 */
final class YoungCollection {

    /** The largest tenuring threshold worked with: each collection costs a young generation of garbage. */
    private static final int MAX_THRESHOLD = 1;
    /** Garbage is allocated in arrays of this size: small enough not to be a region of its own in G1. */
    private static final int CHUNK = 256 << 10;
    /** Garbage allocated at least before giving up, however little the heap holds. */
    private static final long MIN_LIMIT = 64L << 20;
    /** Keeps the compiler from eliding the garbage (it would be a dead allocation). */
    private static volatile byte[] sink;

    private YoungCollection() {
    }

    /**
     * Collects the young generation until nothing is left in it, every object moved to the old one.
     * Returns false, having left that undone, when this JVM keeps survivors young for more than
     * {@link #MAX_THRESHOLD} collections or has no young generation to watch, or when the garbage
     * needed comes to more than the heap holds (a full collection, whose work grows with what the
     * heap holds, is then the cheaper one): then only a full collection settles the heap.
     */
    static boolean promoteAll() {
        MemoryPoolMXBean eden = heapPool("Eden Space");
        MemoryPoolMXBean survivor = heapPool("Survivor Space");
        int threshold = tenuringThreshold();
        if (eden == null || survivor == null || threshold < 0 || threshold > MAX_THRESHOLD) {
            return false;
        }
        Runtime runtime = Runtime.getRuntime();
        long budget = Math.max(runtime.totalMemory() - runtime.freeMemory(), MIN_LIMIT);
        try {
            for (int collection = 0; collection <= threshold; collection++) {
                budget = collect(eden, budget);
                if (budget < 0) {
                    return false;
                }
                if (survivor.getUsage().getUsed() == 0) {
                    return true;
                }
            }
            return false;
        } finally {
            sink = null;
        }
    }

    /** Allocates garbage until a collection empties the eden; returns what is left of the budget, negative if spent. */
    private static long collect(MemoryPoolMXBean eden, long budget) {
        long used = eden.getUsage().getUsed();
        while (budget >= 0) {
            sink = null; // Else the last chunk is live when the collection comes, and survives it.
            sink = new byte[CHUNK];
            budget -= CHUNK;
            long now = eden.getUsage().getUsed();
            if (now < used) {
                return Math.max(budget, 0);
            }
            used = now;
        }
        return budget;
    }

    private static MemoryPoolMXBean heapPool(String suffix) {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getName().endsWith(suffix) && pool.isValid()) {
                return pool;
            }
        }
        return null;
    }

    /** MaxTenuringThreshold, or -1 if this JVM has none. */
    private static int tenuringThreshold() {
        try {
            HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotSpot == null ? -1 : Integer.parseInt(hotSpot.getVMOption("MaxTenuringThreshold").getValue());
        } catch (IllegalArgumentException | LinkageError e) {
            return -1; // Not HotSpot, or no such option.
        }
    }
}
