package io.postbox.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessDirectoriesTest {

    private static final String PREFIX = "work-";

    @Test
    void removesTheDirectoriesOfProcessesThatAreGoneAndNothingElse(@TempDir Path parent) throws Exception {
        ProcessDirectories directories = new ProcessDirectories(parent, PREFIX, List.of("file"));
        long gone = exitedProcessPid();
        Path abandoned = withFile(parent.resolve(PREFIX + gone), "file");
        Path running = withFile(parent.resolve(PREFIX + ProcessHandle.current().pid()), "file");
        Path notPid = withFile(parent.resolve(PREFIX + "other"), "file");
        Path otherName = withFile(parent.resolve("other-" + gone), "file");

        directories.removeAbandoned();

        assertFalse(Files.exists(abandoned));
        assertTrue(Files.exists(running.resolve("file")));
        assertTrue(Files.exists(notPid.resolve("file")));
        assertTrue(Files.exists(otherName.resolve("file")));
    }

    @Test
    void leavesFilesItDoesNotKnowAndWhatALinkPointsTo(@TempDir Path parent, @TempDir Path outside) throws Exception {
        ProcessDirectories directories = new ProcessDirectories(parent, PREFIX, List.of("file"));
        Path withOther = withFile(parent.resolve(PREFIX + exitedProcessPid()), "other");
        Files.writeString(withOther.resolve("file"), "x");
        withFile(outside, "file");
        Path link = Files.createSymbolicLink(parent.resolve(PREFIX + exitedProcessPid()), outside);

        directories.removeAbandoned();

        assertFalse(Files.exists(withOther.resolve("file")));
        assertTrue(Files.exists(withOther.resolve("other")));
        assertTrue(Files.exists(outside.resolve("file")));
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    void createReplacesALeftoverOfAnEarlierProcessWithTheSamePid(@TempDir Path parent) throws IOException {
        ProcessDirectories directories = new ProcessDirectories(parent, PREFIX, List.of("file"));
        withFile(parent.resolve(PREFIX + ProcessHandle.current().pid()), "file");

        Path dir = directories.create();

        assertEquals(parent.resolve(PREFIX + ProcessHandle.current().pid()), dir);
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count());
        }
    }

    private static Path withFile(Path dir, String file) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(file), "x");
        return dir;
    }

    /** The pid of a process that has exited (until the system hands it out again). */
    private static long exitedProcessPid() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }
}
