package io.postbox.persistence.aof;

import io.postbox.commands.Engine;
import io.postbox.commands.admin.PersistenceStatus;
import io.postbox.commands.config.ConfigOption;
import io.postbox.persistence.Log;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongConsumer;

/**
 * The append-only file while it is on: every write that changed data is appended as the RESP
 * command Redis would log ({@link RespCommandLog}); the current incremental file of the
 * {@link AofManifest} receives it. The executor collects a batch's commands in memory and
 * {@link #submit() submits} them when the batch ends (before its replies are sent); the
 * {@link AofWriter} thread writes and fsyncs them. The server holds those replies until
 * {@link #onDurable} reports the batch written (fsynced, with {@code appendfsync always}).
 *
 * <p>Executor thread only.
 */
public final class AppendOnlyFile extends RespCommandLog {

    private final Engine engine;
    private final Log log;
    private final PersistenceStatus status;
    private final ConfigOption<?> appendfsync;
    private final ConfigOption<Boolean> timestamps;
    private final Path dir;
    private final AofManifest manifest;
    private final AofWriter writer;
    /** The Unix second of the last {@code #TS:} annotation ({@code aof-timestamp-enabled}), 0 before any. */
    private long annotatedSecond;
    private long submitted;
    private long durable;
    private LongConsumer durableListener = seq -> { };
    /** Tasks {@link #whenWritten} holds, each with the batch it waits for, in batch order. */
    private final List<Map.Entry<Long, Runnable>> waitingForWrites = new ArrayList<>();
    private long baseSize;
    private long earlierIncrsSize;
    /** Whether the manifest on disk lists the files written: not while the file is being turned on. */
    private boolean listed;

    /**
     * Starts appending to the last incremental file of {@code manifest}, in {@code dir}. If not
     * {@code listed} (appendonly turned on at runtime), the manifest on disk is left alone until the
     * first rewrite installs a base, so a crash before then loads what was there before.
     */
    public AppendOnlyFile(Engine engine, Path dir, AofManifest manifest, boolean listed, Log log) throws IOException {
        super(TO_AOF);
        this.engine = engine;
        this.log = log;
        this.status = engine.persistence();
        this.appendfsync = engine.config().option("appendfsync");
        this.timestamps = engine.config().option("aof-timestamp-enabled");
        this.dir = dir;
        this.manifest = manifest;
        List<AofManifest.Entry> incrs = manifest.incrs();
        this.writer = new AofWriter(dir.resolve(incrs.get(incrs.size() - 1).file()), this::durableOnWriter,
                this::writeErrorOnWriter);
        this.baseSize = manifest.base() == null ? 0 : sizeOf(dir.resolve(manifest.base().file()));
        for (int i = 0; i < incrs.size() - 1; i++) {
            earlierIncrsSize += sizeOf(dir.resolve(incrs.get(i).file()));
        }
        this.listed = listed;
        status.aofEnabled = true;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Whether the manifest on disk lists this file's increments (false until a runtime start's first rewrite). */
    public boolean listed() {
        return listed;
    }

    public AofManifest manifest() {
        return manifest;
    }

    /**
     * With {@code aof-timestamp-enabled}, a {@code #TS:<unix seconds>} line before the first command of
     * each second (command time), as Redis annotates its file for redis-check-aof --truncate-to-timestamp.
     */
    @Override
    protected void beforeCommand() {
        if (!timestamps.value()) {
            return;
        }
        long second = engine.now() / 1000;
        if (second > annotatedSecond) {
            appendBytes(timestampAnnotation(second));
            annotatedSecond = second;
        }
    }

    /** {@code #TS:<second>} and a line end: the annotation Redis writes in its append-only files. */
    static byte[] timestampAnnotation(long second) {
        return ("#TS:" + second + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Hands the commands of the batch that just ran to the writer; returns the newest batch number. */
    public long submit() {
        byte[] commands = takeBytes();
        if (commands != null) {
            writer.submit(new AofWriter.Append(commands, ++submitted, fsyncPolicy()));
        }
        return submitted;
    }

    private AofWriter.Fsync fsyncPolicy() {
        return switch (appendfsync.formatted()) {
            case "always" -> AofWriter.Fsync.ALWAYS;
            case "no" -> AofWriter.Fsync.NO;
            default -> AofWriter.Fsync.EVERYSEC;
        };
    }

    /**
     * The newest batch whose replies may go out: fsynced with {@code appendfsync always}; otherwise
     * handed to the kernel (or, after a failed write, kept for the retry), as Redis writes before it
     * replies, so a killed process loses no acknowledged write.
     */
    public long durable() {
        return durable;
    }

    /** DEBUG AOF-FLUSH-SLEEP: how long the writer sleeps before each write ({@link AofWriter#flushSleep}). */
    public void flushSleep(long micros) {
        writer.flushSleep(micros);
    }

    /** Who hears, on the executor, that batches up to a number are durable. */
    public void onDurable(LongConsumer listener) {
        this.durableListener = listener;
    }

    /**
     * Runs {@code task} on the executor once everything appended so far is written (fsynced, with
     * {@code appendfsync always}), so that the files can be read back (DEBUG LOADAOF).
     */
    public void whenWritten(Runnable task) {
        long batch = submit();
        if (durable >= batch) {
            task.run();
        } else {
            waitingForWrites.add(Map.entry(batch, task));
        }
    }

    private void durableOnWriter(long seq) {
        onExecutor(() -> {
            if (seq > durable) {
                durable = seq;
                durableListener.accept(seq);
                while (!waitingForWrites.isEmpty() && waitingForWrites.get(0).getKey() <= seq) {
                    waitingForWrites.remove(0).getValue().run();
                }
            }
        });
    }

    private void writeErrorOnWriter(String error) {
        onExecutor(() -> {
            if (error != null && status.aofWriteError == null) {
                log.warning("Error writing to the AOF file: " + error);
            } else if (error == null && status.aofWriteError != null) {
                log.warning("AOF write error looks solved, the server can write again.");
            }
            status.aofWriteError = error;
        });
    }

    private void onExecutor(Runnable task) {
        try {
            engine.scheduler().schedule(0, task);
        } catch (RejectedExecutionException stopped) {
            // The server is gone; so is whoever waited.
        }
    }

    /**
     * Where the writes after a rewrite's cut go: a new incremental file ({@link #rotate}), or, for the
     * first rewrite of a file turned on at runtime that has logged nothing yet, the one it started
     * with, so that the manifest names base 1 and incremental file 1 as Redis's does.
     *
     * @throws IOException if a new file cannot be created
     */
    public AofManifest.Entry cutForRewrite() throws IOException {
        if (!listed && submitted == 0 && nothingWritten()) {
            List<AofManifest.Entry> incrs = manifest.incrs();
            return incrs.get(incrs.size() - 1);
        }
        return rotate();
    }

    /**
     * Starts a new incremental file for the writes from now on (a rewrite's cut is taken at the same
     * moment), listed in the manifest before the first of them is written. The file is created here,
     * as Redis creates it before a rewrite starts, so a directory that takes no new file fails the
     * rewrite and nothing else: writes go on to the current file.
     *
     * @throws IOException if the new file cannot be created
     */
    private AofManifest.Entry rotate() throws IOException {
        AofManifest.Entry next = manifest.nextIncr();
        FileChannel channel = AofWriter.open(dir.resolve(next.file()));
        // A rewrite started inside a transaction: the cut holds what the unit wrote so far, so that
        // part belongs to the file before the cut (as a block of its own), the rest to the next file.
        appendUnit();
        submit();
        earlierIncrsSize += writer.incrSize();
        manifest.addIncr();
        writer.submit(new AofWriter.Rotate(channel, listed ? manifestPath() : null, manifest.format()));
        forgetSelectedDb();
        return next;
    }

    /** A rewrite wrote {@code base}: it replaces the old base and the incremental files before {@code firstKept}. */
    public void installBase(AofManifest.Entry base, AofManifest.Entry firstKept) {
        submit();
        manifest.installBase(base, firstKept);
        List<Path> obsolete = new ArrayList<>();
        for (AofManifest.Entry old : manifest.history()) {
            obsolete.add(dir.resolve(old.file()));
        }
        String text = withoutHistory();
        writer.submit(new AofWriter.Install(manifestPath(), text, obsolete));
        baseSize = sizeOf(dir.resolve(base.file()));
        earlierIncrsSize = 0;
        listed = true;
    }

    /** The manifest once the history files are deleted: what is written after the rewrite. */
    private String withoutHistory() {
        manifest.clearHistory();
        return manifest.format();
    }

    private Path manifestPath() {
        return dir.resolve(engine.config().getString("appendfilename") + ".manifest");
    }

    /** Sizes for INFO persistence: the base, and all files together. */
    public void updateStatus() {
        status.aofBaseSize = baseSize;
        status.aofCurrentSize = baseSize + earlierIncrsSize + writer.incrSize();
        status.aofBufferLength = bufferedBytes();
    }

    /**
     * Writes and fsyncs everything, closes the file and waits for it: shutdown. Returns why some
     * writes could not be saved (the disk still failing), or null when all were.
     */
    public String close() {
        CountDownLatch closed = new CountDownLatch(1);
        closeThen(closed::countDown);
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return writer.closeError();
    }

    /** Writes, fsyncs and closes the file on the writer thread, without waiting: appendonly turned off. */
    public void closeThen(Runnable closed) {
        appendUnit();
        submit();
        writer.submit(new AofWriter.Close(closed));
        status.aofEnabled = false;
    }
}
