package io.postbox.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Writes the snapshot a master sends to a file, on a thread of its own, so that the executor, which
 * reads the link, never waits for the disk. Reading the link stops while more than {@link
 * #PAUSE_READING_AT} bytes wait to be written and starts again once they fall under {@link
 * #RESUME_READING_AT}: a disk slower than the network holds back the master, not the heap.
 *
 * <p>{@link #write}, {@link #finish} and {@link #abort} are called on the link's event loop.
 */
final class SnapshotReceiver {

    private static final long PAUSE_READING_AT = 8L << 20;
    private static final long RESUME_READING_AT = 2L << 20;

    private final Path file;
    private final FileChannel out;
    private final Channel link;
    private final ExecutorService writer;
    private final AtomicLong queued = new AtomicLong();
    /** The first write that failed; the rest are skipped. Writer thread only. */
    private IOException failure;
    /** Whether reading stopped for the writer to catch up. Event loop only. */
    private boolean paused;
    private boolean finished;

    private SnapshotReceiver(Path file, FileChannel out, Channel link) {
        this.file = file;
        this.out = out;
        this.link = link;
        this.writer = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "postbox-sync-receiver");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A receiver that writes {@code file} (created, or emptied) with what arrives on {@code link}. */
    static SnapshotReceiver open(Path file, Channel link) throws IOException {
        FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        return new SnapshotReceiver(file, out, link);
    }

    Path file() {
        return file;
    }

    /** Queues {@code chunk} (released once written) to be appended to the file. */
    void write(ByteBuf chunk) {
        int length = chunk.readableBytes();
        if (queued.addAndGet(length) > PAUSE_READING_AT && !paused) {
            paused = true;
            link.config().setAutoRead(false);
        }
        writer.execute(() -> {
            try {
                while (failure == null && chunk.isReadable()) {
                    chunk.readBytes(out, chunk.readableBytes());
                }
            } catch (IOException e) {
                failure = e;
            } finally {
                chunk.release();
            }
            if (queued.addAndGet(-length) < RESUME_READING_AT) {
                link.eventLoop().execute(this::resumeReading);
            }
        });
    }

    private void resumeReading() {
        if (paused && !finished) {
            paused = false;
            link.config().setAutoRead(true);
        }
    }

    /**
     * Once every chunk is written, fsyncs and closes the file, then tells {@code done}, on the link's
     * event loop, the error that any of it met (null if none). Reading the link stays stopped.
     */
    void finish(Consumer<IOException> done) {
        finished = true;
        link.config().setAutoRead(false);
        writer.execute(() -> {
            try {
                if (failure == null) {
                    out.force(true);
                }
                out.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                }
            }
            IOException error = failure;
            link.eventLoop().execute(() -> done.accept(error));
        });
        writer.shutdown();
    }

    /** Stops writing: the file is closed and deleted once the chunks queued are dropped. */
    void abort() {
        finished = true;
        writer.execute(() -> {
            failure = new IOException("aborted");
            try {
                out.close();
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A temporary file that stays is removed with the next one of its name, or by hand.
            }
        });
        writer.shutdown();
    }
}
