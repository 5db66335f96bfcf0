package io.postbox.persistence.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.postbox.persistence.OwnThreadPriority;
import io.postbox.persistence.ThisThread;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which priority a snapshot's writer thread runs at: lower in the background than for a save clients wait for. */
class SnapshotFilePriorityTest {

    /** The nice value's field in /proc/thread-self/stat. */
    private static final int NICE = 19;

    @TempDir
    Path dir;

    @Test
    void aBackgroundSaveIsWrittenAtTheBackgroundNiceValue() throws Exception {
        assumeTrue(ThisThread.isOnLinux(), "Linux only");
        assumeTrue(ThisThread.toolRuns("renice", "--version"), "util-linux renice is not installed");
        assertEquals(Integer.toString(OwnThreadPriority.BACKGROUND_NICE), niceOfWriterThread(false));
    }

    @Test
    void aSaveClientsWaitForIsWrittenAtTheServersOwnPriority() throws Exception {
        assumeTrue(ThisThread.isOnLinux(), "Linux only");
        assertEquals(ThisThread.statField(NICE), niceOfWriterThread(true));
    }

    /** Writes an empty snapshot; the nice value of the thread that reported its outcome, the writer. */
    private String niceOfWriterThread(boolean clientsWait) throws Exception {
        CompletableFuture<String> nice = new CompletableFuture<>();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        SnapshotFile file = new SnapshotFile(dir.resolve("dump.rdb"), dir.resolve("temp.rdb"), true, false,
                clientsWait, null, error -> {
                    nice.complete(ThisThread.statField(NICE));
                    outcome.complete(error);
                });
        SnapshotWriter writer = new SnapshotWriter(true, new SnapshotWriter.Header("7.0.15", 0, 0, null, false));
        writer.finish();
        file.write(writer.output().drain());
        file.finish();
        file.start();
        assertNull(outcome.get(30, TimeUnit.SECONDS));
        return nice.get();
    }
}
