package io.postbox.persistence.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which priority a snapshot's writer thread runs at: lower in the background than for a save clients wait for. */
class SnapshotFilePriorityTest {

    @TempDir
    Path dir;

    @Test
    void aBackgroundSaveIsWrittenAtTheBackgroundNiceValue() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self/stat")), "Linux only");
        assumeTrue(reniceRuns(), "util-linux renice is not installed");
        assertEquals(Integer.toString(OwnThreadPriority.BACKGROUND_NICE), niceOfWriterThread(false));
    }

    @Test
    void aSaveClientsWaitForIsWrittenAtTheServersOwnPriority() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self/stat")), "Linux only");
        assertEquals(niceOfThisThread(), niceOfWriterThread(true));
    }

    /** Writes an empty snapshot; the nice value of the thread that reported its outcome, the writer. */
    private String niceOfWriterThread(boolean clientsWait) throws Exception {
        CompletableFuture<String> nice = new CompletableFuture<>();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        SnapshotFile file = new SnapshotFile(dir.resolve("dump.rdb"), dir.resolve("temp.rdb"), true, false,
                clientsWait, null, error -> {
                    nice.complete(niceOfThisThread());
                    outcome.complete(error);
                });
        SnapshotWriter writer = new SnapshotWriter(true, new SnapshotWriter.Header("7.0.15", 0, 0, false));
        writer.finish();
        file.write(writer.output().drain());
        file.finish();
        file.start();
        assertNull(outcome.get(30, TimeUnit.SECONDS));
        return nice.get();
    }

    /** Field 19 of /proc/thread-self/stat, counted after the command name (which may hold spaces). */
    private static String niceOfThisThread() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16];
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean reniceRuns() throws InterruptedException {
        try {
            return new ProcessBuilder("renice", "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
