package io.postbox.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class YoungCollectionTest {

    /**
     * Under -XX:MaxTenuringThreshold=0 G1's young collections promote an object held only weakly rather
     * than clear the reference: a run that waited for that went on to the heap's size.
     */
    @Test
    void returnsAfterOneCollectionAlsoWhenAllThatSurvivesItIsPromoted() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-XX:+UseG1GC", "-XX:MaxTenuringThreshold=0", "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), CountedRun.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();

        assertEquals(0, process.waitFor(), output);
        assertTrue(Long.parseLong(output) <= 2, "young collections during one run: " + output);
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

    /** Runs {@link YoungCollection} once and prints how many young collections G1 made meanwhile. */
    static final class CountedRun {
        public static void main(String[] args) {
            GarbageCollectorMXBean young = named(ManagementFactory.getGarbageCollectorMXBeans(), "G1 Young Generation");
            long before = young.getCollectionCount();
            YoungCollection.run();
            System.out.println(young.getCollectionCount() - before);
        }
    }

    private static GarbageCollectorMXBean named(List<GarbageCollectorMXBean> collectors, String name) {
        return collectors.stream().filter(collector -> collector.getName().equals(name)).findFirst().orElse(null);
    }
}
