package io.postbox.persistence.aof;

import io.postbox.persistence.OwnThreadPriority;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The append-only file's own thread: every write, fsync, file switch and manifest update of the AOF
 * happens here, in the order the executor queued them, so the executor never waits for the disk.
 *
 * <p>Writes are group commits: the thread takes everything queued, writes it in one go and, with
 * {@code appendfsync always}, fsyncs once for all of it before reporting the batches durable; with
 * {@code everysec} it fsyncs at most once a second (and within a second of the last write); with
 * {@code no} it leaves flushing to the kernel. A failed write is cut back to the file's previous
 * length (no half command is left behind), reported, and retried every second and before anything
 * else, until it succeeds; so is a failed file switch or manifest update, holding back everything
 * queued after it. Only closing gives up: what could not be written then is reported by
 * {@link #closeError()}.
 *
 * <p>A failed fsync is retried too, but with {@code always} not on its own: after one, Linux may have
 * dropped the pages it could not write and marked them clean, so a later fsync succeeds without them
 * ever reaching the disk, and their replies would go out. So the bytes written since the last good
 * fsync are kept until the next one, and after a failure the file is cut back to that fsync's length
 * and they are written again. (Redis exits instead. With {@code everysec} and {@code no}, which
 * acknowledge before any fsync, a failure is reported and the fsync retried, as Redis does.)
 *
 * <p>With {@code everysec} and {@code no} the thread runs in SCHED_BATCH ({@link
 * OwnThreadPriority#lowerToBatch}). The executor wakes it at the end of every round that wrote; at
 * the default policy it then took the executor's core at once, mid-round, once every 8 to 10 requests
 * of LPUSH at {@code -c 50 -P 1}, and such runs went 1-13 % slower. Waking up without preempting,
 * it takes a core that is free, or the executor's once the round is done. Not with {@code always}:
 * there it wakes from an fsync while the executor serves the next round, and the replies it releases
 * would wait for that round to end.
 *
 * <p>Threads: {@link #submit} from the executor; the callbacks run on this thread.
 */
final class AofWriter {

    enum Fsync { ALWAYS, EVERYSEC, NO }

    /** Commands (RESP) of batch {@code seq}. */
    record Append(byte[] bytes, long seq, Fsync fsync) {
    }

    /** Start writing to {@code incr}, a new file already open, after installing {@code manifest} that lists it (if not null). */
    record Rotate(FileChannel incr, Path manifest, String manifestText) {
    }

    /** Install {@code manifestText}, then delete {@code obsolete} (files a rewrite replaced). */
    record Install(Path manifest, String manifestText, List<Path> obsolete) {
    }

    /** Write and fsync everything, close the file, and stop. */
    record Close(Runnable done) {
    }

    private static final long RETRY_MILLIS = 1000;

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final LongConsumer durable;
    private final Consumer<String> writeError;
    private final Thread thread;
    private FileChannel incr;
    private final List<byte[]> unwritten = new ArrayList<>();
    private long unwrittenSeq;
    private Fsync fsync = Fsync.EVERYSEC;
    private boolean inSchedBatch;
    private long lastFsyncMillis;
    private boolean unsynced;
    /** The file's length at its last good fsync. */
    private long syncedSize;
    /** The bytes written since then, in order, to be written again after a failed fsync. */
    private final List<byte[]> writtenUnsynced = new ArrayList<>();
    /** Whether that is all of them: only {@code always} batches are kept ({@code everysec} may be megabytes). */
    private boolean unsyncedHeld = true;
    /** After a failed fsync with {@code always}: cut the file back to {@link #syncedSize} before writing. */
    private boolean rewriteUnsynced;
    private boolean failing;
    private String lastError;
    private long reported;
    private volatile long incrSize;
    /** DEBUG AOF-FLUSH-SLEEP: microseconds to sleep before each write, as Redis's test hook does. */
    private volatile long flushSleepMicros;
    /** Set when a Close is queued: retries stop, so that shutdown cannot hang on a full disk. */
    private volatile boolean closing;
    private volatile String closeError;

    /**
     * @param incr        the incremental file to append to (created if missing)
     * @param durable     told the newest batch whose replies may go: fsynced with always; else written, or
     *                    kept for a retry after a failed write
     * @param writeError  told why writing fails, or null once it works again
     */
    AofWriter(Path incr, LongConsumer durable, Consumer<String> writeError) throws IOException {
        this(open(incr), durable, writeError);
    }

    /** As above, appending to {@code incr} (tests hand a channel that fails). */
    AofWriter(FileChannel incr, LongConsumer durable, Consumer<String> writeError) throws IOException {
        this.incr = incr;
        this.incrSize = incr.size();
        this.syncedSize = incrSize;
        this.durable = durable;
        this.writeError = writeError;
        this.thread = new Thread(this::run, "postbox-aof-writer");
        thread.setDaemon(true);
        thread.start();
    }

    void submit(Object item) {
        if (item instanceof Close) {
            closing = true;
            LockSupport.unpark(thread); // out of a DEBUG AOF-FLUSH-SLEEP, however long
        }
        queue.add(item);
    }

    /** Why writes queued before Close could not all be written, or null when they were. */
    String closeError() {
        return closeError;
    }

    /** Sleeps {@code micros} before each later write of appended commands (none if zero or less). */
    void flushSleep(long micros) {
        flushSleepMicros = micros;
    }

    /** Bytes in the incremental file being written. */
    long incrSize() {
        return incrSize;
    }

    static FileChannel open(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private void run() {
        List<Object> batch = new ArrayList<>();
        while (true) {
            Object first;
            try {
                first = queue.poll(waitMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            batch.clear();
            if (first != null) {
                batch.add(first);
                queue.drainTo(batch);
            }
            for (Object item : batch) {
                if (item instanceof Append append) {
                    unwritten.add(append.bytes());
                    unwrittenSeq = append.seq();
                    fsync = append.fsync();
                } else if (!process(item)) {
                    return;
                }
            }
            scheduleFor(fsync);
            if (flush(false)) {
                recovered();
            }
        }
    }

    /** Puts the thread in the scheduling policy that suits {@code policy} (see the class comment). */
    private void scheduleFor(Fsync policy) {
        boolean batch = policy != Fsync.ALWAYS;
        if (batch != inSchedBatch) {
            inSchedBatch = batch;
            if (batch) {
                OwnThreadPriority.lowerToBatch();
            } else {
                OwnThreadPriority.restoreNormal();
            }
        }
    }

    /** How long to wait for work: a retry or an everysec fsync may be due before any arrives. */
    private long waitMillis() {
        if (failing) {
            return RETRY_MILLIS;
        }
        if (unsynced && fsync == Fsync.EVERYSEC) {
            return Math.max(1, lastFsyncMillis + 1000 - System.currentTimeMillis());
        }
        return Long.MAX_VALUE;
    }

    /** Writes what is pending, then fsyncs as the policy says (always when {@code force}); false if that failed. */
    private boolean flush(boolean force) {
        if (!unwritten.isEmpty() && flushSleepMicros > 0 && !closing) {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(flushSleepMicros));
        }
        boolean ok = (unwritten.isEmpty() || write()) && fsyncIfDue(force);
        // With always, replies wait for their fsync. Otherwise they wait only for the attempt to write, as
        // Redis replies after its write(): a failed write is kept for the retry, and MISCONF refuses
        // writes meanwhile.
        boolean acknowledged = fsync != Fsync.ALWAYS || (ok && !unsynced);
        if (acknowledged && unwrittenSeq > reported) {
            reported = unwrittenSeq;
            durable.accept(unwrittenSeq);
        }
        return ok;
    }

    private boolean fsyncIfDue(boolean force) {
        long now = System.currentTimeMillis();
        boolean due = force || fsync == Fsync.ALWAYS || (fsync == Fsync.EVERYSEC && now - lastFsyncMillis >= 1000);
        if (unsynced && due) {
            try {
                incr.force(false);
                unsynced = false;
                lastFsyncMillis = now;
                syncedSize = incrSize;
                writtenUnsynced.clear();
                unsyncedHeld = true;
            } catch (IOException e) {
                if (unsyncedHeld && !writtenUnsynced.isEmpty()) {
                    unwritten.addAll(0, writtenUnsynced);
                    writtenUnsynced.clear();
                    rewriteUnsynced = true;
                }
                fail(e);
                return false;
            }
        }
        return true;
    }

    private void recovered() {
        if (failing) {
            failing = false;
            writeError.accept(null);
        }
    }

    private boolean write() {
        long before;
        try {
            if (rewriteUnsynced) {
                incr.truncate(syncedSize);
                rewriteUnsynced = false;
            }
            before = incr.size();
        } catch (IOException e) {
            fail(e);
            return false;
        }
        try {
            ByteBuffer[] buffers = new ByteBuffer[unwritten.size()];
            long total = 0;
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = ByteBuffer.wrap(unwritten.get(i));
                total += unwritten.get(i).length;
            }
            long written = 0;
            while (written < total) {
                written += incr.write(buffers);
            }
            unsyncedHeld &= fsync == Fsync.ALWAYS;
            if (unsyncedHeld) {
                writtenUnsynced.addAll(unwritten);
            } else {
                writtenUnsynced.clear();
            }
            unwritten.clear();
            unsynced = true;
            incrSize = before + total;
            return true;
        } catch (IOException e) {
            try {
                // No half command may stay behind: the retry writes the whole batch again.
                incr.truncate(before);
            } catch (IOException ignored) {
                // Loading truncates a torn tail if this could not.
            }
            fail(e);
            return false;
        }
    }

    private void fail(IOException e) {
        failing = true;
        lastError = describe(e);
        writeError.accept(lastError);
    }

    /**
     * Everything but appends: they change files, so pending writes go first, and nothing after them
     * happens until they succeed (retried every second). False to stop.
     */
    private boolean process(Object item) {
        if (item instanceof Close close) {
            if (!flush(true)) {
                closeError = unwritten.stream().mapToLong(bytes -> bytes.length).sum() + " bytes of writes were not "
                        + "saved: " + lastError;
            }
            try {
                incr.close();
            } catch (IOException ignored) {
                // Everything that could be written is; the file is being left.
            }
            close.done().run();
            return false;
        }
        while (true) {
            if (flush(true)) {
                try {
                    apply(item);
                    recovered();
                    return true;
                } catch (IOException e) {
                    fail(e);
                }
            }
            if (closing) {
                return true;
            }
            try {
                Thread.sleep(RETRY_MILLIS);
            } catch (InterruptedException e) {
                return false;
            }
        }
    }

    /** Switches files or installs a manifest; safe to repeat after a failure. */
    private void apply(Object item) throws IOException {
        if (item instanceof Rotate rotate) {
            if (incr != rotate.incr()) {
                incr.close();
                incr = rotate.incr();
                incrSize = 0;
                syncedSize = 0;
            }
            if (rotate.manifest() != null) {
                ManifestFile.write(rotate.manifest(), rotate.manifestText());
            }
        } else if (item instanceof Install install) {
            ManifestFile.write(install.manifest(), install.manifestText());
            for (Path file : install.obsolete()) {
                Files.deleteIfExists(file);
            }
        }
    }

    static String describe(IOException e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
