package io.postbox.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.postbox.commands.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotRehearsalTest {

    @Test
    void rehearsalLeavesTheTemporaryDirectoryAsItFoundIt(@TempDir Path temp) throws IOException {
        SnapshotRehearsal.run(new Config(), temp);

        try (Stream<Path> left = Files.list(temp)) {
            assertEquals(0, left.count());
        }
    }
}
