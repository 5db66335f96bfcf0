package io.postbox.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class YoungCollectionTest {

    private static final long MB = 1 << 20;

    @Test
    void doesNothingWhereSurvivorsStayYoungForFifteenCollections() {
        assumeFalse(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(argument -> argument.startsWith("-XX:MaxTenuringThreshold")));
        long youngCollections = collections("Young");

        assertFalse(YoungCollection.promoteAll());
        assertEquals(youngCollections, collections("Young"));
    }

    @Test
    void movesEveryYoungObjectToTheOldGenerationWithoutAFullCollection() throws IOException, InterruptedException {
        assertPromotedByYoungCollections("0");
    }

    @Test
    void takesTwoYoungCollectionsWhereObjectsSurviveOneBeforeTheyArePromoted()
            throws IOException, InterruptedException {
        String[] figures = assertPromotedByYoungCollections("1");
        assertTrue(Long.parseLong(figures[4]) >= 2, String.join(" ", figures));
    }

    @Test
    void leavesItToAFullCollectionWhereObjectsStayYoungLonger() throws IOException, InterruptedException {
        String[] figures = runChild("2", "-Xmx512m", "-Xmn64m", "16");
        String output = String.join(" ", figures);
        assertEquals("false", figures[0], output);
        assertEquals(0, Long.parseLong(figures[4]), "no young collection: " + output);
    }

    private static String[] assertPromotedByYoungCollections(String tenuringThreshold)
            throws IOException, InterruptedException {
        // promoted, young data before, survivor after, old growth, young collections, full collections
        String[] figures = runChild(tenuringThreshold, "-Xmx512m", "-Xmn32m", "16");
        String output = String.join(" ", figures);
        assertEquals("true", figures[0], output);
        assertTrue(Long.parseLong(figures[1]) >= 16 * MB, "the live data was young: " + output);
        assertEquals(0, Long.parseLong(figures[2]), "nothing stays in a survivor space: " + output);
        assertTrue(Long.parseLong(figures[3]) >= 16 * MB, "the old generation took it: " + output);
        assertTrue(Long.parseLong(figures[4]) >= 1, output);
        assertEquals(0, Long.parseLong(figures[5]), "no full collection: " + output);
        return figures;
    }

    @Test
    void leavesItToAFullCollectionWhenTheYoungGenerationHasMoreRoomThanTheHeapHolds()
            throws IOException, InterruptedException {
        String[] figures = runChild("0", "-Xmx2g", "-Xmn1g", "1");
        String output = String.join(" ", figures);
        assertEquals("false", figures[0], output);
        assertEquals(0, Long.parseLong(figures[4]), "no young collection either: " + output);
    }

    /** Runs {@link Child} in a G1 JVM with this tenuring threshold and these heap sizes; returns what it printed. */
    private static String[] runChild(String tenuringThreshold, String maxHeap, String youngHeap, String liveMegabytes)
            throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-XX:+UseG1GC",
                "-XX:MaxTenuringThreshold=" + tenuringThreshold, maxHeap,
                youngHeap, "-cp", System.getProperty("java.class.path"), Child.class.getName(), liveMegabytes)
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, child.waitFor(), output);
        return output.split(" ");
    }

    /** Allocates the megabytes its argument says, kept live, then has them promoted; prints what the pools and collectors say. */
    public static final class Child {
        public static void main(String[] args) {
            List<byte[]> live = new ArrayList<>();
            for (int i = 0; i < Integer.parseInt(args[0]) * 128; i++) {
                live.add(new byte[8 * 1024]);
            }
            long eden = used("Eden Space");
            long old = used("Old Gen");
            boolean promoted = YoungCollection.promoteAll();
            System.out.println(promoted + " " + eden + " " + used("Survivor Space") + " " + (used("Old Gen") - old)
                    + " " + collections("Young") + " " + collections("Old") + " " + live.size());
        }
    }

    private static long used(String pool) {
        for (MemoryPoolMXBean bean : ManagementFactory.getMemoryPoolMXBeans()) {
            if (bean.getName().endsWith(pool)) {
                return bean.getUsage().getUsed();
            }
        }
        throw new AssertionError("no pool " + pool);
    }

    private static long collections(String generation) {
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (bean.getName().contains(generation)) {
                return bean.getCollectionCount();
            }
        }
        return 0;
    }
}
