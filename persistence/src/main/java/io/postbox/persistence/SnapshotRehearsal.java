package io.postbox.persistence;

import io.postbox.commands.Scheduler;
import io.postbox.commands.Stats;
import io.postbox.commands.config.Config;
import io.postbox.commands.hashes.HashLimits;
import io.postbox.commands.hashes.HashValue;
import io.postbox.commands.keyspace.AccessTracking;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.lists.PackedList;
import io.postbox.commands.sets.SetValue;
import io.postbox.commands.zsets.SortedSetLoader;
import io.postbox.persistence.rdb.Listpack;
import io.postbox.persistence.rdb.SealedListpack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Snapshots of a small made-up keyspace, encoded and thrown away once per process, on a thread of
 * its own that starts once the server listens and runs alongside the first clients. Without them
 * the first BGSAVE loads and links the snapshot classes, bootstraps their lambdas and interprets
 * their first calls on the executor, between commands, and its writer thread encodes list nodes
 * interpreted until the JIT catches up, competing with the executor for a CPU for twice as long as
 * on later saves. The rehearsal runs the {@link SnapshotJob} a BGSAVE runs: its slices and
 * completion on the rehearsal's thread, as the executor runs them, a list written to while it is
 * being saved, a large value of each type and thousands of small keys, and on the writer thread and
 * its idle-core helper list nodes, LZF, CRC-64, fsyncs and rename, often enough for the JIT to
 * compile what a save runs per key and per list node; then the job a SAVE runs, whose helpers
 * encode as busily as the writer and which the writer waits for (else the first SAVE runs that code
 * cold, and its nodes partly in code the JIT has not optimised yet: about 1.5 times the CPU of a
 * later SAVE). Compiled code serves every thread, so it does not matter which one ran it first.
 *
 * <p>It shares nothing the executor changes: its keyspace is a database of its own, on the wall clock,
 * with statistics of its own and no function libraries, it only reads the configuration, and its file
 * goes to the system's temporary directory and is removed (by a later start if the process is killed
 * meanwhile). An empty start uses about 1.7 s of CPU in its first 8 s with it, 0.8 s of that the JIT's
 * (1.2-1.4 s and 0.6 s with a rehearsal of large values only): run before the server listened,
 * it kept clients waiting about 180 ms longer on 2 cores; started then on this thread, still about
 * 170 ms longer after a load ({@link Persistence#startRehearsal}). A server that stops meanwhile
 * interrupts it, and it stops. A real save does not: stopping it then made the first SAVE right after
 * a start no faster (median of 5 starts 2.33 s, against 2.13 s letting it run).
 */
final class SnapshotRehearsal {

    private static final byte[] QUEUE = bytes("queue");
    /**
     * The list's chunk size: small, for many nodes from few elements. The JIT optimises a method once
     * it has run some thousands of times, and a save runs the encoding of a node once per node.
     */
    private static final int LIST_CHUNK_BYTES = 512;
    /** List elements: about 3,000 nodes of those chunks. */
    private static final int LIST_ELEMENTS = 100_000;
    /**
     * Nodes of the list as a start leaves those it loaded from a snapshot, still sealed
     * ({@link SealedListpack}), behind the others: copied and written as they are, unpacked by the pops
     * that reach them. Code the JIT compiled from lists without them is thrown away when a save or a
     * pop first meets one, which after a load is the first of each.
     */
    private static final int SEALED_NODES = 40;
    /** Elements per sealed node: about 8 KB, as Redis fills its nodes. */
    private static final int SEALED_NODE_ELEMENTS = 500;
    /**
     * Elements of a second list, in chunks of the size clients' lists have: a dozen nodes, whose longer
     * inputs take branches the small chunks never do (LZF references 8 KB back, for one). Code the JIT
     * compiled without ever seeing them is thrown away when the first real save takes them, and runs
     * interpreted until compiled again, in the middle of that save.
     */
    private static final int FULL_CHUNK_ELEMENTS = 8_000;
    /**
     * Saves rehearsed as BGSAVE runs them: together more node encodings than the JIT waits for, also
     * when it is busy. One more follows as SAVE runs it.
     */
    private static final int BACKGROUND_SAVES = 3;
    /**
     * Keys of each small kind: strings (an integer, a short text, a text long enough to compress) and
     * packed hashes, sets and sorted sets. A save runs its per-key code (the walk over the keyspace,
     * the string and LZF writers, the listpack, intset and score encoders) once per key, so a keyspace
     * of a few keys left all of it for the first real save to run cold. With 500,000 strings, 6,000
     * small aggregates and a 10,000,000-element list, that save spent 0.47 s of C2 compilation on the
     * CPUs it encodes on (its executor, writer and helper), and took 0.66-0.94 s where the next took
     * 0.46-0.59 s. With this many small keys rehearsed it took 0.55-0.69 s (5,000 did no better).
     */
    private static final int SMALL_KEYS = 2_000;
    /**
     * A save copies each long list it writes, to hand it to the writer thread (its chunk objects, not
     * their bytes), and sums its chunks' bytes: a pass or two over every node, once per save, so the
     * JIT leaves them interpreted for many saves. This many passes over the rehearsal's list get them
     * compiled. They come first: a BGSAVE that arrives while the rehearsal still runs (it can take
     * over a second on a busy machine after a long load) otherwise copies a 10M-element list
     * interpreted, 13 ms in one go on the executor.
     */
    private static final int LIST_COPIES = 50;
    /**
     * Writes to the list during a save: every {@link #WRITE_PAUSE_MICROS}, this many. Code the JIT
     * compiles from clients' writes before the first save has never seen a write during a save; it is
     * thrown away and compiled again (on the CPUs the executor needs) when one comes, unless writes
     * during the rehearsal's saves were profiled too.
     */
    private static final int WRITES_PER_ROUND = 5;
    private static final long WRITE_PAUSE_MICROS = 20;
    private static final AtomicBoolean DONE = new AtomicBoolean();
    private static final String DIRECTORY_PREFIX = "postbox-rehearsal-";
    private static final String TARGET = "rehearsal.rdb";
    private static final String TEMP = "temp.rdb";

    private SnapshotRehearsal() {
    }

    /**
     * Starts the rehearsal on a daemon thread, the first time only (the JIT's work lasts as long as the
     * process): the thread, or null if the rehearsal was started before.
     */
    static Thread startOnce(Config config) {
        if (!DONE.compareAndSet(false, true)) {
            return null;
        }
        Thread thread = new Thread(() -> run(config, Path.of(System.getProperty("java.io.tmpdir"))),
                "postbox-rehearsal");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * Runs the rehearsal, its file in a directory of this process's own in {@code parent}, removed
     * afterwards; first removes those of earlier processes killed during theirs. Interrupting the thread
     * stops it early (the server stops): the save in progress is aborted,
     * its file removed. Returns how many saves it rehearsed to the end.
     */
    static int run(Config config, Path parent) {
        ProcessDirectories directories = new ProcessDirectories(parent, DIRECTORY_PREFIX, List.of(TARGET, TEMP));
        directories.removeAbandoned();
        Path dir;
        try {
            dir = directories.create();
        } catch (IOException | SecurityException e) {
            return 0; // A first BGSAVE that starts cold is slower, not wrong.
        }
        int saves = 0;
        try {
            Stats stats = new Stats();
            Database db = new Database(0, System::currentTimeMillis, stats, new AccessTracking(config));
            fill(db, config);
            SnapshotJob.Source source = new SnapshotJob.Source(List.of(db), List.of(), stats);
            PackedList list = db.getForWrite(QUEUE, PackedList.class);
            for (int i = 0; i < LIST_COPIES && !Thread.currentThread().isInterrupted(); i++) {
                list.copy().usedBytes();
            }
            SnapshotJob.Options options = new SnapshotJob.Options(dir.resolve(TARGET), dir.resolve(TEMP), true, true,
                    true, false);
            while (saves <= BACKGROUND_SAVES && save(source, db, options, saves < BACKGROUND_SAVES)) {
                saves++;
            }
        } finally {
            directories.remove(dir);
        }
        return saves;
    }

    /**
     * One BGSAVE of {@code db} ({@code background}), or one SAVE: its job's slices, rests and completion
     * run here, in order, as the executor runs them; in a BGSAVE, between them, all along, a producer
     * and a consumer at work on the list being saved (while the writer thread encodes it) and writes to
     * keys not saved yet. Returns false if the thread was interrupted meanwhile: the job was aborted then,
     * and the thread is left interrupted.
     */
    private static boolean save(SnapshotJob.Source source, Database db, SnapshotJob.Options options,
                                boolean background) {
        LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
        Scheduler scheduler = (delayMillis, task) -> tasks.add(delayMillis == 0 ? task : () -> {
            LockSupport.parkNanos(delayMillis * 1_000_000);
            task.run();
        });
        boolean[] done = {false};
        SnapshotJob job = SnapshotJob.start(source, scheduler, options, background, error -> done[0] = true);
        boolean interrupted = false;
        for (int round = 0; !done[0]; round++) {
            Runnable task;
            try {
                task = tasks.poll(WRITE_PAUSE_MICROS, TimeUnit.MICROSECONDS);
            } catch (InterruptedException e) {
                // Its writer removes the file, then completes the job through this thread's tasks.
                interrupted = true;
                job.abort();
                continue;
            }
            if (task != null) {
                task.run();
            }
            if (background && !interrupted) {
                write(db, round);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return !interrupted;
    }

    /** What clients do between two slices of a BGSAVE: push and pop on the list, set a string. */
    private static void write(Database db, int round) {
        for (int i = 0; i < WRITES_PER_ROUND; i++) {
            PackedList list = db.getForWrite(QUEUE, PackedList.class);
            list.push(PackedList.End.HEAD, bytes("new-" + round));
            list.pop(PackedList.End.TAIL);
            db.modified(QUEUE);
        }
        db.set(bytes("string:" + (round % 8)), bytes("changed"));
    }

    private static void fill(Database db, Config config) {
        PackedList list = new PackedList(LIST_CHUNK_BYTES);
        for (int i = 0; i < LIST_ELEMENTS; i++) {
            list.push(PackedList.End.TAIL, bytes(i % 3 == 0 ? Integer.toString(i) : "message-" + i));
        }
        Listpack.Builder node = new Listpack.Builder();
        for (int n = 0; n < SEALED_NODES; n++) {
            for (int i = 0; i < SEALED_NODE_ELEMENTS; i++) {
                node.add(bytes("message-" + (LIST_ELEMENTS + n * SEALED_NODE_ELEMENTS + i)));
            }
            SealedListpack sealed = SealedListpack.loadedFrom(node);
            if (sealed != null) {
                list.appendSealed(sealed);
            }
        }
        db.set(QUEUE, list);
        PackedList fullChunks = new PackedList();
        for (int i = 0; i < FULL_CHUNK_ELEMENTS; i++) {
            fullChunks.push(PackedList.End.TAIL, bytes("message-" + i));
        }
        db.set(bytes("queue:full-chunks"), fullChunks);
        for (int i = 0; i < 8; i++) {
            db.set(bytes("string:" + i), bytes(i % 2 == 0 ? Integer.toString(i * 1000) : "value-".repeat(20 * i)));
        }
        db.expireAt(bytes("string:1"), System.currentTimeMillis() + 3_600_000);
        fillSmallKeys(db, config);
        HashValue hash = new HashValue();
        SetValue set = SetValue.startingWith(bytes("member-0"));
        SortedSetLoader zset = new SortedSetLoader(config);
        HashLimits limits = HashLimits.of(config);
        for (int i = 0; i < 200; i++) {
            hash.put(bytes("field-" + i), bytes("value-" + i), limits);
            set.add(bytes("member-" + i), 512);
            zset.add(bytes("member-" + i), i * 1.5);
        }
        db.set(bytes("hash"), hash);
        db.set(bytes("set"), set);
        db.set(bytes("zset"), zset.finish());
    }

    private static void fillSmallKeys(Database db, Config config) {
        HashLimits limits = HashLimits.of(config);
        for (int i = 0; i < SMALL_KEYS; i++) {
            String value = switch (i % 3) {
                case 0 -> Integer.toString(i);
                case 1 -> "value-" + i;
                default -> "value-" + i + "-" + "x".repeat(i % 80);
            };
            db.set(bytes("small:string:" + i), bytes(value));
            HashValue hash = new HashValue();
            SetValue set = SetValue.startingWith(bytes(Integer.toString(i)));
            SortedSetLoader zset = new SortedSetLoader(config);
            for (int j = 0; j < 5; j++) {
                hash.put(bytes("f" + j), bytes("v" + (i + j)), limits);
                set.add(bytes(Integer.toString(i + j)), 512);
                zset.add(bytes("m" + j), j % 2 == 0 ? j : j * 1.5);
            }
            db.set(bytes("small:hash:" + i), hash);
            db.set(bytes("small:set:" + i), set);
            db.set(bytes("small:zset:" + i), zset.finish());
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
