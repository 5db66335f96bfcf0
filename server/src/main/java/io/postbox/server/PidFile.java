package io.postbox.server;

import io.postbox.commands.Strerror;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code pidfile}: the process id and a newline, written at startup and removed at shutdown, as Redis does. */
final class PidFile {

    private final Path path;
    private final ServerLog log;

    PidFile(Path path, ServerLog log) {
        this.path = path;
        this.log = log;
    }

    /** Writes the file; failing to is logged, not fatal (as in Redis). */
    void write() {
        try {
            Files.writeString(path, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            log.warning("Failed to write PID file: " + Strerror.describe(e));
        }
    }

    void remove() {
        log.notice("Removing the pid file.");
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warning("Failed to remove PID file: " + Strerror.describe(e));
        }
    }
}
