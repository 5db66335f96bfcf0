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
 * waited for a collection, whichever measured last; read from any.
 */
final class HeapAfterCollection {

    private final Set<String> heapPools = new HashSet<>();
    private final RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
    private volatile long used;
    /** JVM uptime when {@link #used} was measured: a collection's notification may arrive after a newer measure. */
    private long measuredAtMillis;

    /** Starts listening; until the first collection it reports the heap in use now, garbage included. */
    HeapAfterCollection() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        measuredAtMillis = runtime.getUptime();
        used = JvmMemory.heapUsed();
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> collected(notification), null, null);
            }
        }
    }

    long used() {
        return used;
    }

    /** After a collection the caller waited for, which may have left no notification (a G1 marking cycle). */
    synchronized void collectedNow() {
        measuredAtMillis = runtime.getUptime();
        used = JvmMemory.heapUsed();
    }

    private void collected(Notification notification) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GcInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()).getGcInfo();
        long total = 0;
        for (Map.Entry<String, MemoryUsage> pool : info.getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                total += pool.getValue().getUsed();
            }
        }
        synchronized (this) {
            if (info.getEndTime() >= measuredAtMillis) {
                measuredAtMillis = info.getEndTime();
                used = total;
            }
        }
    }
}
