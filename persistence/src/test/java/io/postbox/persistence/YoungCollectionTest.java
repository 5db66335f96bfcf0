package io.postbox.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.List;
import org.junit.jupiter.api.Test;

class YoungCollectionTest {

    @Test
    void returnsOnceTheCollectorHasClearedWhatNothingHolds() {
        WeakReference<Object> unheld = new WeakReference<>(new Object());

        YoungCollection.run();

        assertNull(unheld.get());
    }

    @Test
    void collectsTheYoungGenerationOnlyUnderG1() {
        List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
        GarbageCollectorMXBean young = named(collectors, "G1 Young Generation");
        GarbageCollectorMXBean full = named(collectors, "G1 Old Generation");
        assumeTrue(young != null && full != null, "the test JVM does not run G1, the server's default collector");
        long youngBefore = young.getCollectionCount();
        long fullBefore = full.getCollectionCount();

        YoungCollection.run();

        assertTrue(young.getCollectionCount() > youngBefore);
        assertEquals(fullBefore, full.getCollectionCount());
    }

    private static GarbageCollectorMXBean named(List<GarbageCollectorMXBean> collectors, String name) {
        return collectors.stream().filter(collector -> collector.getName().equals(name)).findFirst().orElse(null);
    }
}
