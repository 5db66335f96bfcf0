package io.postbox.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotRehearsalTest {

    /** Three background saves and a SAVE. */
    private static final int SAVES = 4;

    @Test
    void rehearsalLeavesTheTemporaryDirectoryAsItFoundIt(@TempDir Path temp) throws IOException {
        assertEquals(SAVES, SnapshotRehearsal.run(new Config(), temp));

        assertEquals(0, entries(temp));
    }

    @Test
    void anInterruptedRehearsalAbortsItsSaveAndRemovesItsFile(@TempDir Path temp) throws Exception {
        AtomicInteger saves = new AtomicInteger(-1);
        Thread rehearsal = new Thread(() -> saves.set(SnapshotRehearsal.run(new Config(), temp)));
        rehearsal.start();
        while (!savingTo(temp) && rehearsal.isAlive()) {
            Thread.onSpinWait();
        }
        rehearsal.interrupt();
        rehearsal.join();

        assertTrue(saves.get() >= 0 && saves.get() < SAVES, "saves rehearsed: " + saves.get());
        assertEquals(0, entries(temp));
    }

    @Test
    void aRehearsalInterruptedBeforeItStartsSavesNothing(@TempDir Path temp) throws IOException {
        Thread.currentThread().interrupt();
        try {
            assertEquals(0, SnapshotRehearsal.run(new Config(), temp));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertEquals(0, entries(temp));
    }

    /** Whether a save's temporary file exists under {@code dir}: a save is in progress. */
    private static boolean savingTo(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(file -> file.getFileName().toString().equals("temp.rdb"));
        } catch (IOException | UncheckedIOException e) {
            return false; // The directory changed under the walk: look again.
        }
    }

    private static long entries(Path dir) throws IOException {
        try (Stream<Path> left = Files.list(dir)) {
            return left.count();
        }
    }
}
