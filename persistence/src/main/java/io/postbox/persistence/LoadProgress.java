package io.postbox.persistence;

import io.postbox.commands.admin.PersistenceStatus;
import java.util.function.LongConsumer;

/**
 * The startup load as INFO shows it (loading and its progress fields), and the pauses in it where the
 * server serves clients: every {@code loading-process-events-interval-bytes} read (2 MB), as Redis
 * processes events while it loads. What clients send meanwhile is refused with -LOADING unless its
 * command is flagged {@code loading} (INFO, CONFIG, SHUTDOWN, ...).
 */
final class LoadProgress implements LongConsumer, AutoCloseable {

    private final PersistenceStatus status;
    private final Runnable serveClients;
    /** How much is loaded between two rounds of serving. */
    private final long serveEveryBytes;
    private long serveAt;

    LoadProgress(PersistenceStatus status, long totalBytes, long serveEveryBytes, Runnable serveClients) {
        this.status = status;
        this.serveClients = serveClients;
        this.serveEveryBytes = serveEveryBytes;
        this.serveAt = serveEveryBytes;
        status.loading = true;
        status.loadingStartSeconds = System.currentTimeMillis() / 1000;
        status.loadingTotalBytes = totalBytes;
        status.loadingLoadedBytes = 0;
        status.loadingRdbUsedMemory = 0;
        status.lastLoadKeysLoaded = 0;
        status.lastLoadKeysExpired = 0;
    }

    /** The load has read {@code bytes} of its files. */
    @Override
    public void accept(long bytes) {
        status.loadingLoadedBytes = bytes;
        if (bytes >= serveAt) {
            // The next multiple of the interval, as Redis serves each time its byte count crosses one.
            serveAt = (bytes / serveEveryBytes + 1) * serveEveryBytes;
            serveClients.run();
        }
    }

    /** The load is over, done or not. */
    @Override
    public void close() {
        status.loading = false;
    }
}
