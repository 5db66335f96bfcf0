package io.postbox.persistence;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * A collection of the young generation only, asked for by filling what is left of it with garbage:
 * Java has no call for one ({@code System.gc()} collects the whole heap). After a load it settles
 * the loaded keys where they stay, if the JVM promotes every object that survives one young
 * collection ({@code -XX:MaxTenuringThreshold=0}, which the launcher sets): then the collection copies
 * only the keys allocated since the load's last collection, where a full one marks and compacts
 * every key (0.25-0.3 s for load_bench's 1.1 million keys, where this takes 20-40 ms).
 *
 * <p>Any thread; the caller is alone in the process then (startup), so the garbage it allocates is
 * what fills the young generation.
 */
final class YoungCollection {

    /** Garbage is allocated in arrays of this size: small enough not to be a region of its own in G1. */
    private static final int CHUNK = 256 << 10;
    /** Garbage allocated at least before giving up, however little the heap holds. */
    private static final long MIN_LIMIT = 64L << 20;
    /** Keeps the compiler from eliding the garbage. */
    private static volatile byte[] sink;

    private YoungCollection() {
    }

    /**
     * Collects the young generation, moving every object in it to the old one. Returns false, having
     * collected nothing, when this JVM keeps survivors young ({@code MaxTenuringThreshold} above 0), has no young generation to
     * watch, or has room for more garbage in it than the heap holds (a full collection, whose work
     * grows with what the heap holds, is then the cheaper one): then only a full collection settles
     * the heap.
     */
    static boolean promoteAll() {
        MemoryPoolMXBean eden = edenPool();
        if (eden == null || !promotesOnFirstCollection()) {
            return false;
        }
        Runtime runtime = Runtime.getRuntime();
        long limit = Math.max(runtime.totalMemory() - runtime.freeMemory(), MIN_LIMIT);
        long used = eden.getUsage().getUsed();
        try {
            for (long allocated = 0; allocated <= limit; allocated += CHUNK) {
                sink = new byte[CHUNK];
                long now = eden.getUsage().getUsed();
                if (now < used) {
                    return true; // A collection emptied the eden.
                }
                used = now;
            }
            return false;
        } finally {
            sink = null;
        }
    }

    private static MemoryPoolMXBean edenPool() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getName().endsWith("Eden Space") && pool.isValid()) {
                return pool;
            }
        }
        return null;
    }

    private static boolean promotesOnFirstCollection() {
        try {
            HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotSpot != null && "0".equals(hotSpot.getVMOption("MaxTenuringThreshold").getValue());
        } catch (IllegalArgumentException | LinkageError e) {
            return false; // Not HotSpot, or no such option.
        }
    }
}
