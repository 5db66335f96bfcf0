package io.postbox.persistence.aof;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Writes a manifest in place atomically and durably: a temporary file, fsync, rename, fsync the directory. */
public final class ManifestFile {

    private ManifestFile() {
    }

    /** Blocks on the disk: call from the AOF writer thread, or at startup. */
    public static void write(Path manifest, String text) throws IOException {
        Path temp = manifest.resolveSibling("temp-" + manifest.getFileName());
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(temp, manifest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(manifest.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
