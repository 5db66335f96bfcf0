package io.postbox.persistence;

import io.postbox.commands.Engine;
import io.postbox.commands.Scheduler;
import io.postbox.commands.Stats;
import io.postbox.commands.admin.info.JvmMemory;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.keyspace.KeyspaceCut;
import io.postbox.persistence.rdb.KeyPace;
import io.postbox.persistence.rdb.ReplicationPoint;
import io.postbox.persistence.rdb.SnapshotConversion;
import io.postbox.persistence.rdb.SnapshotFile;
import io.postbox.persistence.rdb.SnapshotWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One snapshot of the keyspace into one RDB file: a {@link KeyspaceCut} encoded by a
 * {@link SnapshotWriter} on the executor, one slice at a time between the connections' I/O, and
 * written by a {@link SnapshotFile} on its own thread, which also encodes the nodes of long lists
 * (handed to it as frozen copies; with helper threads, which in a background save run only on idle
 * cores). If the writer thread falls behind, slices wait for it, so the encoded bytes waiting in memory
 * stay bounded (a handed-over list counts as its bytes until written). The same job also runs to the
 * end at once on the calling thread ({@link #writeNow}), for startup and shutdown.
 *
 * <p>Executor thread only, except the file's own thread.
 */
public final class SnapshotJob {

    /**
     * What to write where. {@code temp} is the file written and renamed over {@code target}, after the
     * {@code conversion}, if any, made it another file. {@code keySaveDelayMicros} is Redis's test hook
     * {@code rdb-key-save-delay} ({@link KeyPace}), kept by pacing the slices, so the executor still
     * never sleeps; 0 for none. {@code replication}: where the snapshot stands in the replication
     * stream, for the file's aux fields; null for none.
     */
    public record Options(Path target, Path temp, boolean compression, boolean checksum, boolean incrementalFsync,
                          boolean aofBase, SnapshotConversion conversion, long keySaveDelayMicros,
                          ReplicationPoint replication) {

        public Options(Path target, Path temp, boolean compression, boolean checksum, boolean incrementalFsync,
                       boolean aofBase, SnapshotConversion conversion) {
            this(target, temp, compression, checksum, incrementalFsync, aofBase, conversion, 0, null);
        }

        /** An RDB file, as it is written. */
        public Options(Path target, Path temp, boolean compression, boolean checksum, boolean incrementalFsync,
                       boolean aofBase) {
            this(target, temp, compression, checksum, incrementalFsync, aofBase, null);
        }

        /** These options, with each key delayed by {@code micros} ({@code rdb-key-save-delay}). */
        public Options withKeySaveDelay(long micros) {
            return new Options(target, temp, compression, checksum, incrementalFsync, aofBase, conversion, micros,
                    replication);
        }

        /** These options, with the file's point in the replication stream. */
        public Options withReplication(ReplicationPoint point) {
            return new Options(target, temp, compression, checksum, incrementalFsync, aofBase, conversion,
                    keySaveDelayMicros, point);
        }
    }

    /**
     * What a job saves: the {@code databases} and function {@code libraries}, and the {@code stats}
     * whose count of reads tells it whether clients sent anything while it ran.
     */
    record Source(List<Database> databases, List<byte[]> libraries, Stats stats) {

        static Source of(Engine engine) {
            List<Database> databases = new ArrayList<>(engine.databaseCount());
            for (int i = 0; i < engine.databaseCount(); i++) {
                databases.add(engine.database(i));
            }
            return new Source(databases, engine.functionStore().libraryCodes(), engine.stats());
        }
    }

    /**
     * About how long one slice runs on the executor while clients are served. A request that arrives
     * during a slice waits for its end, so this bounds the latency a snapshot adds to each command.
     */
    private static final long SLICE_NANOS = 200_000;
    /**
     * Slices of a save clients wait for (SAVE, or one on the calling thread), which no request can
     * interrupt. Each slice ends in a round of the executor's I/O and a hand-over that wakes the writer
     * thread: at 200 us, 5,000 of each a second, whose code the JIT compiled in the middle of the first
     * SAVE 3 s after a start (C2 0.54-0.65 s of CPU during it on a mixed 113 MB dump, against 0.78-0.92 s).
     */
    private static final long SYNCHRONOUS_SLICE_NANOS = 10_000_000;
    /**
     * Encoded bytes the writer thread may have waiting before slices pause for it. They are live heap
     * for as long as they wait: more only adds to the memory a save takes and to what a young
     * collection copies meanwhile (2 MB is several milliseconds of compression for the writer).
     */
    private static final long MAX_BACKLOG = 2L << 20;

    /**
     * Slice time after which the executor rests for a millisecond (waiting for I/O only), if clients
     * sent anything since it last rested. Busy without a break for the whole save, the executor looks
     * like a batch job to the kernel's scheduler, which then lets it wait whole time slices behind
     * other runnable threads (the snapshot's writer, other processes) while requests queue: on a loaded
     * 2-core machine the median of the maximum latency during a BGSAVE went from 8.1 to 5.8 ms and
     * p99.9 from 4.0 to 2.3 ms, the save taking about 1.6 times as long. Redis's own thread rests too,
     * its forked child doing the encoding. With no client to answer, a rest only makes the save longer.
     */
    private static final long REST_AFTER_NANOS = 1_000_000;

    private final Scheduler scheduler;
    private final Stats stats;
    private final SnapshotWriter writer;
    private final SnapshotFile file;
    private final KeyspaceCut cut;
    private boolean encoded;
    private boolean aborted;
    /** Whether the executor rests between slices ({@link #REST_AFTER_NANOS}): clients are served. */
    private final boolean rests;
    private final long sliceNanos;
    /** Slice time since the executor last rested. */
    private long busyNanos;
    /** {@link Stats#readsProcessed} when the executor last rested (or the job started). */
    private long readsAtRest;
    /** {@code rdb-key-save-delay}: a slice visits no more keys than the time since the start allows. */
    private final KeyPace pace;

    private SnapshotJob(Source source, Scheduler scheduler, Options options, boolean rests,
                        Consumer<Throwable> completion) {
        this.scheduler = scheduler;
        this.stats = source.stats();
        this.readsAtRest = stats.readsProcessed;
        this.rests = rests;
        this.sliceNanos = rests ? SLICE_NANOS : SYNCHRONOUS_SLICE_NANOS;
        this.pace = KeyPace.of(options.keySaveDelayMicros());
        this.writer = new SnapshotWriter(options.compression(), new SnapshotWriter.Header(Engine.REDIS_VERSION,
                System.currentTimeMillis() / 1000, JvmMemory.heapUsed(), options.replication(), options.aofBase()));
        writer.libraries(source.libraries());
        // A save whose executor does not rest is one that clients wait for: it may use every core.
        this.file = new SnapshotFile(options.target(), options.temp(), options.checksum(), options.incrementalFsync(),
                !rests, options.conversion(), completion);
        this.cut = KeyspaceCut.take(source.databases(), writer);
        writer.cut(cut);
    }

    /**
     * Takes the cut now and writes it in the background; {@code completion} runs on the executor with
     * null once the file is in place, or with the error that stopped it. With {@code clientsServed} the
     * executor rests between slices now and then (BGSAVE, a rewrite); without, clients are frozen
     * meanwhile (SAVE) and slices follow each other.
     */
    public static SnapshotJob start(Engine engine, Options options, boolean clientsServed,
                                    Consumer<Throwable> completion) {
        return start(Source.of(engine), engine.scheduler(), options, clientsServed, completion);
    }

    /** {@link #start} of another source, served by another scheduler: the startup rehearsal's. */
    static SnapshotJob start(Source source, Scheduler scheduler, Options options, boolean clientsServed,
                             Consumer<Throwable> completion) {
        SnapshotJob[] job = new SnapshotJob[1];
        job[0] = new SnapshotJob(source, scheduler, options, clientsServed, error -> {
            try {
                scheduler.schedule(0, () -> {
                    job[0].cut.close();
                    completion.accept(error);
                });
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                // The server stopped meanwhile: nobody is left to tell.
            }
        });
        job[0].file.start();
        scheduler.afterIo(job[0]::slice);
        return job[0];
    }

    /**
     * Writes the keyspace to {@code options.target()} before returning, encoding and writing on the
     * calling thread (nothing else is served meanwhile: startup, shutdown, tests). A key delay
     * ({@code rdb-key-save-delay}, a test hook) is slept here, as Redis's foreground saves sleep it.
     */
    public static void writeNow(Engine engine, Options options) throws IOException {
        new SnapshotJob(Source.of(engine), engine.scheduler(), options, false, error -> { }).runHere();
    }

    private void runHere() throws IOException {
        try {
            file.writeHere(sink -> {
                boolean visitedAll = false;
                while (!visitedAll) {
                    long started = System.nanoTime();
                    visitedAll = cut.step(started + SYNCHRONOUS_SLICE_NANOS, pace.keysAllowed(started));
                    sink.write(writer.output().drain());
                    LockSupport.parkNanos(pace.waitBefore(cut.visited(), System.nanoTime()));
                }
                encoded = true;
                cut.close();
                writer.finish();
                sink.write(writer.output().drain());
            });
        } finally {
            cut.close();
        }
    }

    private void slice() {
        if (aborted || encoded) {
            return;
        }
        if (file.queuedBytes() > MAX_BACKLOG) {
            rest();
            return;
        }
        long started = System.nanoTime();
        long keysAllowed = pace.keysAllowed(started);
        if (cut.visited() >= keysAllowed) {
            rest();
            return;
        }
        boolean done = cut.step(started + sliceNanos, keysAllowed);
        file.write(writer.output().drain());
        busyNanos += System.nanoTime() - started;
        if (done) {
            finishEncoding();
        } else if (rests && busyNanos >= REST_AFTER_NANOS && stats.readsProcessed != readsAtRest) {
            rest();
        } else {
            scheduler.afterIo(this::slice);
        }
    }

    private void rest() {
        busyNanos = 0;
        readsAtRest = stats.readsProcessed;
        scheduler.schedule(1, this::slice);
    }

    private void finishEncoding() {
        encoded = true;
        // The cut stays hooked until the file is complete only if it is still walking; it is done now.
        cut.close();
        writer.finish();
        file.write(writer.output().drain());
        file.finish();
    }

    /** Stops the job: the file is not written, and the completion gets an error. */
    public void abort() {
        aborted = true;
        cut.close();
        file.abort();
    }

    /** Keys saved so far, and in all (INFO's current_save_keys_processed and _total). */
    public long keysProcessed() {
        return cut.visited();
    }

    public long keysTotal() {
        return cut.total();
    }
}
