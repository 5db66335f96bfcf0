package io.postbox.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.postbox.commands.Commands;
import io.postbox.commands.Engine;
import io.postbox.commands.config.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SnapshotRehearsalTest {

    @Test
    void rehearsalLeavesTheEngineAndTheTemporaryDirectoryAsItFoundThem() throws IOException {
        Engine engine = new Engine(new Config(), Commands.groups());
        byte[] key = "queue".getBytes(StandardCharsets.ISO_8859_1);
        byte[] value = "job".getBytes(StandardCharsets.ISO_8859_1);
        engine.database(0).set(key, value);
        long changes = engine.changes();
        long leftBefore = rehearsalDirectories();

        SnapshotRehearsal.run(engine);

        assertEquals(1, engine.database(0).size());
        assertArrayEquals(value, (byte[]) engine.database(0).getWithoutTouch(key));
        assertEquals(changes, engine.changes());
        assertEquals(leftBefore, rehearsalDirectories());
    }

    private static long rehearsalDirectories() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(path -> path.getFileName().toString().startsWith("postbox-rehearsal")).count();
        }
    }
}
