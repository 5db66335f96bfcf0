package io.postbox.persistence;

import io.postbox.commands.admin.PersistenceStatus;
import java.util.function.LongConsumer;

/**
 * The startup load as INFO shows it (loading and its progress fields), and the pauses in it where the
 * server serves clients: every {@link #SERVE_EVERY_BYTES} read, as Redis processes events while it
 * loads. What clients send meanwhile is refused with -LOADING unless its command is flagged
 * {@code loading} (INFO, CONFIG, SHUTDOWN, ...).
 */
final class LoadProgress implements LongConsumer, AutoCloseable {

    /** Redis's loading-process-events-interval-bytes: how much is loaded between two rounds of serving. */
    private static final long SERVE_EVERY_BYTES = 2 * 1024 * 1024;

    private final PersistenceStatus status;
    private final Runnable serveClients;
    private long serveAt = SERVE_EVERY_BYTES;

    LoadProgress(PersistenceStatus status, long totalBytes, Runnable serveClients) {
        this.status = status;
        this.serveClients = serveClients;
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
            serveAt = bytes + SERVE_EVERY_BYTES;
            serveClients.run();
        }
    }

    /** The load is over, done or not. */
    @Override
    public void close() {
        status.loading = false;
    }
}
