package io.postbox.persistence.rdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot file converted before it replaces the target: in place when converted, untouched when not. */
class SnapshotConversionTest {

    private static final byte[] OLD = "the previous base".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void theConvertedFileReplacesTheTargetAndTheRdbFileIsRemoved() throws IOException {
        Path target = target();
        write(target, (snapshot, converted) -> {
            assertTrue(new String(Files.readAllBytes(snapshot), StandardCharsets.ISO_8859_1).startsWith("REDIS0010"));
            Files.writeString(converted, "*1\r\n$4\r\nPING\r\n");
        });
        assertEquals("*1\r\n$4\r\nPING\r\n", Files.readString(target));
        assertEquals(List.of(target), files());
    }

    @Test
    void aFailedConversionLeavesTheTargetAsItWasAndNoTemporaryFile() throws IOException {
        Path target = target();
        IOException failure = assertThrows(IOException.class, () -> write(target, (snapshot, converted) -> {
            Files.writeString(converted, "*1\r\n$4\r\nPI");
            throw new IOException("No space left on device");
        }));
        assertEquals("No space left on device", failure.getMessage());
        assertArrayEquals(OLD, Files.readAllBytes(target));
        assertEquals(List.of(target), files());
    }

    private Path target() throws IOException {
        return Files.write(dir.resolve("appendonly.aof.2.base.aof"), OLD);
    }

    /** An empty keyspace's snapshot, written on this thread through {@code conversion}. */
    private void write(Path target, SnapshotConversion conversion) throws IOException {
        SnapshotWriter writer = new SnapshotWriter(false, new SnapshotWriter.Header("7.0.15", 0, 0, null, true));
        SnapshotFile file = new SnapshotFile(target, dir.resolve("temp.aof"), true, false, true, conversion,
                error -> { });
        file.writeHere(sink -> {
            writer.finish();
            sink.write(writer.output().drain());
        });
    }

    private List<Path> files() throws IOException {
        try (var listing = Files.list(dir)) {
            return listing.toList();
        }
    }
}
