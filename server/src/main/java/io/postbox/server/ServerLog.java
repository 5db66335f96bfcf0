package io.postbox.server;

import io.postbox.commands.admin.LogLevel;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;

/**
 * The server log in Redis's line format, {@code pid:M 20 Nov 2026 23:14:43.123 * message}, written to
 * standard output or to {@code logfile}; the role is S instead of M while the server is a replica.
 * Levels are Redis's: debug, verbose, notice, warning.
 * Thread-safe: lines are written whole.
 */
public final class ServerLog {

    private static final long PID = ProcessHandle.current().pid();

    private volatile LogLevel threshold = LogLevel.NOTICE;
    private volatile PrintStream out = System.out;
    private volatile char role = 'M';
    private final LogTimestamp timestamp = new LogTimestamp(ZoneId.systemDefault());

    public void level(String name) {
        threshold = LogLevel.named(name);
    }

    /** Logs to {@code path}, appending, or to standard output when the path is empty. */
    public void file(String path) throws IOException {
        out = path.isEmpty() ? System.out
                : new PrintStream(new FileOutputStream(path, true), true, StandardCharsets.UTF_8);
    }

    /** Whether the server follows a master, as the lines show it. */
    void replica(boolean replica) {
        role = replica ? 'S' : 'M';
    }

    public void debug(String message) {
        log(LogLevel.DEBUG, message);
    }

    public void verbose(String message) {
        log(LogLevel.VERBOSE, message);
    }

    public void notice(String message) {
        log(LogLevel.NOTICE, message);
    }

    public void warning(String message) {
        log(LogLevel.WARNING, message);
    }

    public void log(LogLevel level, String message) {
        if (level.ordinal() < threshold.ordinal()) {
            return;
        }
        // Bytes, not println: its character encoder costs a line about 0.15 ms more, run this rarely.
        synchronized (this) {
            StringBuilder line = new StringBuilder(48 + message.length()).append(PID).append(':').append(role)
                    .append(' ');
            timestamp.appendTo(line, System.currentTimeMillis());
            byte[] bytes = line.append(' ').append(level.mark()).append(' ').append(message).append('\n')
                    .toString().getBytes(StandardCharsets.UTF_8);
            out.write(bytes, 0, bytes.length);
            out.flush();
        }
    }
}
