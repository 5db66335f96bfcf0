package io.postbox.persistence;

import io.postbox.commands.Engine;
import io.postbox.commands.Stats;
import io.postbox.commands.hashes.HashLimits;
import io.postbox.commands.hashes.HashValue;
import io.postbox.commands.keyspace.AccessTracking;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.keyspace.KeyspaceCut;
import io.postbox.commands.lists.PackedList;
import io.postbox.commands.sets.SetValue;
import io.postbox.commands.zsets.SortedSetLoader;
import io.postbox.persistence.rdb.SnapshotFile;
import io.postbox.persistence.rdb.SnapshotWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A snapshot of a small made-up keyspace, encoded and thrown away once per process before clients are
 * served. Without it the first BGSAVE loads and links the snapshot classes, bootstraps their lambdas
 * and interprets their first calls on the executor, between commands: a 20-40 ms stall measured on
 * the first save after start (none on later saves). The rehearsal runs the code a BGSAVE runs, on the
 * executor (a {@link KeyspaceCut} walked in slices by a {@link SnapshotWriter}, one value of each type,
 * a list written to while it is being saved) and on the writer thread (a {@link SnapshotFile}: list nodes, LZF,
 * CRC-64, fsync and rename), long enough for the JIT to compile the loops that encode list nodes.
 *
 * <p>Its keyspace is a database of its own and its file goes to the system's temporary directory and is
 * removed: the engine's data, statistics, change counters and data directory are not touched.
 */
final class SnapshotRehearsal {

    /** List elements: a few hundred nodes, so node encoding and compression run compiled by the end. */
    private static final int LIST_ELEMENTS = 60_000;
    /**
     * A save copies each long list it writes, to hand it to the writer thread (its chunk objects, not
     * their bytes), and sums its chunks' bytes: a pass or two over every node, once per save, so the
     * JIT leaves them interpreted for many saves (2-3 ms each for a 10M-element list). This many
     * passes over the rehearsal's list get them compiled.
     */
    private static final int LIST_COPIES = 1000;
    private static final AtomicBoolean DONE = new AtomicBoolean();

    private SnapshotRehearsal() {
    }

    /** Runs the rehearsal, the first time only (the JIT's work lasts as long as the process). */
    static void runOnce(Engine engine) {
        if (DONE.compareAndSet(false, true)) {
            run(engine);
        }
    }

    static void run(Engine engine) {
        Path dir;
        try {
            dir = Files.createTempDirectory("postbox-rehearsal");
        } catch (IOException | SecurityException e) {
            return; // A first BGSAVE that starts cold is slower, not wrong.
        }
        Path target = dir.resolve("rehearsal.rdb");
        Path temp = dir.resolve("temp.rdb");
        Database db = new Database(0, engine, new Stats(), new AccessTracking(engine.config()));
        fill(db, engine);
        SnapshotWriter writer = new SnapshotWriter(true, new SnapshotWriter.Header(Engine.REDIS_VERSION, 0, 0, false));
        KeyspaceCut cut = KeyspaceCut.take(List.of(db), engine.now(), writer);
        writer.cut(cut);
        SnapshotFile file = new SnapshotFile(target, temp, true, false, false, error -> { });
        file.start();
        byte[] queue = bytes("queue");
        int round = 0;
        boolean finished = false;
        try {
            while (!cut.step(System.nanoTime() + 200_000)) {
                file.write(writer.output().drain());
                // A producer and a consumer at work on the list being saved, and writes to keys not saved yet.
                PackedList list = db.getForWrite(queue, PackedList.class);
                list.push(PackedList.End.HEAD, bytes("new-" + round));
                list.pop(PackedList.End.TAIL);
                db.modified(queue);
                db.set(bytes("string:" + (round++ % 8)), bytes("changed"));
            }
            file.write(writer.output().drain());
            writer.finish();
            file.write(writer.output().drain());
            file.finish();
            finished = true;
            PackedList list = db.getForWrite(queue, PackedList.class);
            for (int i = 0; i < LIST_COPIES; i++) {
                list.copy().usedBytes();
            }
            file.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            cut.close();
            if (!finished) {
                file.abort();
            }
            for (Path path : new Path[] {target, temp, dir}) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // Only a small file in the temporary directory is left behind.
                }
            }
        }
    }

    private static void fill(Database db, Engine engine) {
        PackedList list = new PackedList();
        for (int i = 0; i < LIST_ELEMENTS; i++) {
            list.push(PackedList.End.TAIL, bytes(i % 3 == 0 ? Integer.toString(i) : "message-" + i));
        }
        db.set(bytes("queue"), list);
        for (int i = 0; i < 8; i++) {
            db.set(bytes("string:" + i), bytes(i % 2 == 0 ? Integer.toString(i * 1000) : "value-".repeat(20 * i)));
        }
        db.expireAt(bytes("string:1"), engine.now() + 3_600_000);
        HashValue hash = new HashValue();
        SetValue set = SetValue.startingWith(bytes("member-0"));
        SortedSetLoader zset = new SortedSetLoader(engine.config());
        HashLimits limits = HashLimits.of(engine.config());
        for (int i = 0; i < 200; i++) {
            hash.put(bytes("field-" + i), bytes("value-" + i), limits);
            set.add(bytes("member-" + i), 512);
            zset.add(bytes("member-" + i), i * 1.5);
        }
        db.set(bytes("hash"), hash);
        db.set(bytes("set"), set);
        db.set(bytes("zset"), zset.finish());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
