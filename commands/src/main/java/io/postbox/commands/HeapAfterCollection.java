package io.postbox.commands;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import io.postbox.commands.admin.info.JvmMemory;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.RuntimeMXBean;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The heap in use right after the latest garbage collection, as the collectors report it: the live
 * data, plus garbage no collection has reached yet (in G1, the old generation's until a marking
 * cycle), without what was allocated since. Unlike the heap in use at any moment, it does not swing
 * with the young generation's garbage. Updated on the JVM's notification thread and by the thread that
 * asks for a collection, whichever measured last; read from any.
 */
final class HeapAfterCollection {

    /** Young collections a G1 mixed phase takes at most: a prepare-mixed one and G1MixedGCCountTarget's 8. */
    private static final int MIXED_PHASE_COLLECTIONS = 9;
    /** Well under half of G1's smallest region, so that fillers are allocated in the young generation. */
    private static final int FILLER_BYTES = 16 << 10;
    private static final int FILLERS_BETWEEN_LOOKS = 64;
    /** Where fillers are stored, so that the compiler cannot drop their allocation. */
    private static volatile byte[] filler;

    private final Set<String> heapPools = new HashSet<>();
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private final RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
    private volatile long used;
    /** JVM uptime when {@link #used} was measured: a collection's notification may arrive after a newer measure. */
    private volatile long measuredAtMillis = -1;

    /** Starts listening, from the measure of the latest collection so far, if there was one. */
    HeapAfterCollection() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        GcInfo latest = latestReport();
        if (latest != null) {
            measured(latest);
        }
        for (GarbageCollectorMXBean collector : collectors) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> collected(notification), null, null);
            }
        }
    }

    /** Whether a collection has measured the heap: until then, {@link #used} is 0. */
    boolean measured() {
        return measuredAtMillis >= 0;
    }

    long used() {
        return used;
    }

    /**
     * Runs a collection (what System.gc() runs: a full one, or a G1 marking cycle, which has no
     * notification of its own) and measures the heap after it: the smaller of the heap in use then and
     * the latest collection's report, both of which can only count too much. The heap in use also holds
     * what every thread allocated since, and the buffers the collector handed them (10 MB of a 17 MB
     * figure after a full collection of Serial's); the latest report, after a marking cycle, is that of
     * the young pause it began with, before it freed anything.
     */
    void collect() {
        // Told by the counts, not by times: the reports' clock starts later than the JVM's uptime.
        long collectionsBefore = collections();
        System.gc();
        long inUse = JvmMemory.heapUsed();
        GcInfo reported = collections() > collectionsBefore ? latestReport() : null;
        synchronized (this) {
            measuredAtMillis = runtime.getUptime();
            used = reported != null ? Math.min(inUse, heapAfter(reported)) : inUse;
        }
    }

    /** The collectors' report of the latest collection, or null before the first. */
    private GcInfo latestReport() {
        GcInfo latest = null;
        for (GarbageCollectorMXBean collector : collectors) {
            if (collector instanceof com.sun.management.GarbageCollectorMXBean reporting) {
                GcInfo info = reporting.getLastGcInfo();
                if (info != null && (latest == null || info.getEndTime() > latest.getEndTime())) {
                    latest = info;
                }
            }
        }
        return latest;
    }

    /**
     * Has G1 free the garbage a marking cycle found among live objects, until the heap is at {@code limit}
     * or below or the mixed phase is over. A marking cycle frees only the old regions with nothing live
     * left in them; the others are emptied by mixed collections, which G1 runs in place of young ones,
     * that is, as the application allocates. A server that refuses writes allocates little and could
     * wait for them indefinitely, so this allocates short-lived fillers in its place. The phase is over
     * at the first collection that leaves as much in use as the one before (it freed only fillers), or
     * after as many collections as a phase takes at most. Where nothing is left to mix (after a full
     * collection, say), it costs one young collection.
     */
    void runMixedCollections(long limit) {
        long collectionsBefore = collections();
        long measure = measuredAtMillis;
        long usedBefore = used;
        while (Long.compareUnsigned(used, limit) > 0 && collections() - collectionsBefore < MIXED_PHASE_COLLECTIONS) {
            for (int i = 0; i < FILLERS_BETWEEN_LOOKS; i++) {
                filler = new byte[FILLER_BYTES];
            }
            if (measuredAtMillis != measure) {
                if (used >= usedBefore) {
                    break;
                }
                measure = measuredAtMillis;
                usedBefore = used;
            }
        }
        filler = null;
    }

    /** Collections of every kind so far. */
    long collections() {
        long total = 0;
        for (GarbageCollectorMXBean collector : collectors) {
            total += Math.max(0, collector.getCollectionCount());
        }
        return total;
    }

    private void collected(Notification notification) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        measured(GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()).getGcInfo());
    }

    /** What the heap held after the collection {@code info} reports, unless a newer measure is in. */
    private void measured(GcInfo info) {
        long total = heapAfter(info);
        synchronized (this) {
            if (info.getEndTime() >= measuredAtMillis) {
                measuredAtMillis = info.getEndTime();
                used = total;
            }
        }
    }

    private long heapAfter(GcInfo info) {
        long total = 0;
        for (Map.Entry<String, MemoryUsage> pool : info.getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                total += pool.getValue().getUsed();
            }
        }
        return total;
    }
}
