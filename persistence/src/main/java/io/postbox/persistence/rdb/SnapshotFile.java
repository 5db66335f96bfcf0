package io.postbox.persistence.rdb;

import io.postbox.persistence.OwnThreadPriority;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Writes the segments of a {@link SnapshotWriter} to disk on a writer thread, so the executor
 * never waits for the disk: encodes the nodes of the large lists handed to it (from frozen copies),
 * compresses the strings left to it, appends the CRC-64 trailer, fsyncs, converts the file if the job
 * asks for another format ({@link SnapshotConversion}: an append-only file's base as commands),
 * and renames the result over the target only once it is complete and durable (then fsyncs
 * the directory, so the rename survives a crash too). With {@code rdb-save-incremental-fsync} it
 * fsyncs every 4 MB as well, so the final fsync does not have gigabytes to flush at once. Helper threads
 * (one per further core) encode long lists beside it ({@link NodeStretches}): for a save clients wait
 * for, as busy as the writer; for one in the background, only on cores nobody else wants
 * ({@link IdleCoreThreads}), while the writer yields to the executor after each node.
 *
 * <p>Threads: {@link #write}, {@link #finish} and {@link #abort} are called by one producer thread
 * (the executor); everything else happens on the writer thread, which reports the outcome once,
 * to the completion callback, on the writer thread. {@link #writeHere} instead writes on the caller's
 * thread, without a writer thread.
 */
public final class SnapshotFile {

    private static final Object FINISH = new Object();
    private static final Object ABORT = new Object();
    private static final int WRITE_BUFFER = 1 << 20;
    private static final long INCREMENTAL_FSYNC_BYTES = 4L << 20;
    /** Writer threads for saves clients wait for (SAVE), at the priority of the rest of the server. */
    private static final ExecutorService WRITERS = writerThreads(false);
    /**
     * Writer threads for saves in the background, at a lower priority ({@link OwnThreadPriority#lowerToBackground}):
     * the executor gets a core ahead of them. On a loaded 2-core machine, with the 10M-element list
     * benchmark, the executor waited 24-32 ms for a core during a BGSAVE instead of 37-41 ms (3 runs, medians of
     * 10-12 saves) and the saves took no longer.
     */
    private static final ExecutorService BACKGROUND_WRITERS = writerThreads(true);

    /** Thrown inside the writer thread when the snapshot was abandoned. */
    private static final class Aborted extends IOException {
        Aborted() {
            super("the snapshot was aborted");
        }
    }

    /** The temporary file could not be created: the cause says why. */
    public static final class OpenFailed extends IOException {
        private final Path temp;

        OpenFailed(Path temp, IOException cause) {
            super("cannot open " + temp, cause);
            this.temp = temp;
        }

        public Path temp() {
            return temp;
        }
    }

    private final Path target;
    private final Path temp;
    private final boolean checksum;
    private final boolean incrementalFsync;
    private final boolean clientsWait;
    private final SnapshotConversion conversion;
    private final Consumer<Throwable> completion;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();

    /**
     * @param clientsWait whether nothing is served until the file is written (SAVE, startup, shutdown):
     *                    then every core may work on it; else only idle ones, beside the writer
     * @param conversion  what the complete RDB file becomes before it is renamed over {@code target}, or
     *                    null to keep it as it is
     * @param completion  gets null once {@code target} is in place, or the error that stopped the write
     *                    (the temporary files are removed then)
     */
    public SnapshotFile(Path target, Path temp, boolean checksum, boolean incrementalFsync, boolean clientsWait,
                        SnapshotConversion conversion, Consumer<Throwable> completion) {
        this.target = target;
        this.temp = temp;
        this.checksum = checksum;
        this.incrementalFsync = incrementalFsync;
        this.conversion = conversion;
        this.clientsWait = clientsWait;
        this.completion = completion;
    }

    public void start() {
        (clientsWait ? WRITERS : BACKGROUND_WRITERS).execute(this::run);
    }

    /**
     * One thread waits between saves, as starting a thread cost the executor 0.4-4 ms on a busy 2-core
     * machine (Thread.start waits until the new thread has been scheduled); more while saves overlap (the
     * startup rehearsal's and a first BGSAVE), each ending after a minute idle.
     */
    private static ExecutorService writerThreads(boolean background) {
        return new ThreadPoolExecutor(1, Integer.MAX_VALUE, 1, TimeUnit.MINUTES, new SynchronousQueue<>(), work -> {
            Thread thread = new Thread(() -> {
                if (background) {
                    OwnThreadPriority.lowerToBackground();
                }
                work.run();
            }, "postbox-snapshot-writer");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Queues segments (from {@link RdbOutput#drain()}) for writing. */
    public void write(List<Object> segments) {
        if (segments.isEmpty()) {
            return;
        }
        long bytes = 0;
        for (Object segment : segments) {
            bytes += size(segment);
        }
        queuedBytes.addAndGet(bytes);
        queue.add(segments);
    }

    /** Everything is queued: write the trailer, fsync and rename. */
    public void finish() {
        queue.add(FINISH);
    }

    /** Stops writing and removes the temporary file; the completion gets an error. */
    public void abort() {
        queue.add(ABORT);
    }

    /** Segment bytes queued and not written yet (strings counted uncompressed): the backlog. */
    public long queuedBytes() {
        return queuedBytes.get();
    }

    private static long size(Object segment) {
        return RdbOutput.length(segment);
    }

    /**
     * Writes the whole snapshot on the calling thread instead, for a save that blocks by contract (SAVE
     * at shutdown, the first AOF base at startup): {@code producer} hands the segments to the sink it
     * gets, in order; then the trailer is written, the file fsynced and renamed into place. No writer
     * thread takes part. Throws what stopped the write, the temporary file removed.
     */
    public void writeHere(SegmentProducer producer) throws IOException {
        boolean written = false;
        try (Output output = new Output(open())) {
            producer.produce(segments -> {
                for (Object segment : segments) {
                    output.encode(segment);
                }
            });
            output.finish();
            written = true;
        } finally {
            if (!written) {
                Files.deleteIfExists(temp);
            }
        }
        install();
    }

    /** Produces a snapshot's segments into a sink, for {@link #writeHere}. */
    public interface SegmentProducer {
        void produce(SegmentSink sink) throws IOException;
    }

    public interface SegmentSink {
        void write(List<Object> segments) throws IOException;
    }

    private void run() {
        Throwable failure = null;
        try (Output output = new Output(open())) {
            writeAll(output);
        } catch (Throwable e) {
            failure = e;
        }
        if (failure == null) {
            try {
                install();
            } catch (IOException e) {
                failure = e;
            }
        }
        if (failure != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // The failure reported is the one that matters.
            }
        }
        completion.accept(failure);
    }

    private void install() throws IOException {
        Path complete = temp;
        if (conversion != null) {
            complete = temp.resolveSibling(temp.getFileName() + ".converted");
            try {
                conversion.convert(temp, complete);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(complete);
                throw e;
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        Files.move(complete, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(target.toAbsolutePath().getParent());
    }

    private FileChannel open() throws OpenFailed {
        try {
            return FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new OpenFailed(temp, e);
        }
    }

    private void writeAll(Output output) throws IOException, InterruptedException {
        while (true) {
            Object item = queue.take();
            if (item == ABORT) {
                throw new Aborted();
            }
            if (item == FINISH) {
                break;
            }
            @SuppressWarnings("unchecked")
            List<Object> segments = (List<Object>) item;
            for (Object segment : segments) {
                output.encode(segment);
                queuedBytes.addAndGet(-size(segment));
            }
        }
        output.finish();
    }

    /** The temporary file being written: segments encoded through a buffer, the CRC trailer, the fsyncs. */
    private final class Output implements AutoCloseable {
        private final FileChannel channel;
        /** Direct: a channel writes a heap buffer by copying it into a direct one first. */
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(WRITE_BUFFER);
        private final SegmentEncoder encoder;
        /** Threads that encode list nodes beside this one, or null. */
        private final ExecutorService helpers;
        private long lastSync;

        Output(FileChannel channel) {
            this.channel = channel;
            int helperCount = Runtime.getRuntime().availableProcessors() - 1;
            // Clients served meanwhile: the helpers may only use cores that the executor, the clients and
            // everyone else leave idle.
            ThreadFactory threads = clientsWait ? Output::helperThread : new IdleCoreThreads("postbox-snapshot-idle-helper");
            this.helpers = helperCount > 0 ? Executors.newFixedThreadPool(helperCount, threads) : null;
            this.encoder = new SegmentEncoder((bytes, offset, length) -> {
                while (length > 0) {
                    int n = Math.min(length, buffer.remaining());
                    buffer.put(bytes, offset, n);
                    offset += n;
                    length -= n;
                    if (!buffer.hasRemaining()) {
                        drainBuffer();
                    }
                }
            }, helpers == null ? null : new NodeStretches(helpers, helperCount, !clientsWait, NodeEncoder::encode));
        }

        private static Thread helperThread(Runnable work) {
            Thread thread = new Thread(work, "postbox-snapshot-helper");
            thread.setDaemon(true);
            return thread;
        }

        void encode(Object segment) throws IOException {
            encoder.encode(segment);
            if (incrementalFsync && encoder.written() - lastSync >= INCREMENTAL_FSYNC_BYTES) {
                drainBuffer();
                channel.force(false);
                lastSync = encoder.written();
            }
        }

        /** The CRC-64 trailer (zero without rdbchecksum), then everything to disk. */
        void finish() throws IOException {
            long crc = checksum ? encoder.crc() : 0;
            for (int i = 0; i < 8; i++) {
                if (!buffer.hasRemaining()) {
                    drainBuffer();
                }
                buffer.put((byte) (crc >>> (8 * i)));
            }
            drainBuffer();
            channel.force(true);
        }

        private void drainBuffer() throws IOException {
            buffer.flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.clear();
        }

        @Override
        public void close() throws IOException {
            if (helpers != null) {
                helpers.shutdownNow();
            }
            channel.close();
        }
    }

    /** Makes a rename in {@code dir} durable. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
