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
import org.junit.jupiter.api.io.TempDir;

class SnapshotRehearsalTest {

    @Test
    void rehearsalLeavesTheEngineAndTheTemporaryDirectoryAsItFoundThem(@TempDir Path temp) throws IOException {
        Engine engine = new Engine(new Config(), Commands.groups());
        byte[] key = "queue".getBytes(StandardCharsets.ISO_8859_1);
        byte[] value = "job".getBytes(StandardCharsets.ISO_8859_1);
        engine.database(0).set(key, value);
        long changes = engine.changes();

        SnapshotRehearsal.run(engine, temp);

        assertEquals(1, engine.database(0).size());
        assertArrayEquals(value, (byte[]) engine.database(0).getWithoutTouch(key));
        assertEquals(changes, engine.changes());
        try (Stream<Path> left = Files.list(temp)) {
            assertEquals(0, left.count());
        }
    }
}
