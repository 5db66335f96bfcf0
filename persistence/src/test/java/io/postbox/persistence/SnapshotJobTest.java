package io.postbox.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.Commands;
import io.postbox.commands.Engine;
import io.postbox.commands.Scheduler;
import io.postbox.commands.Stats;
import io.postbox.commands.config.Config;
import io.postbox.commands.keyspace.AccessTracking;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.lists.PackedList;
import io.postbox.persistence.rdb.SnapshotReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotJobTest {

    @Test
    void jobOnDatabasesAndSchedulerOfItsOwnSavesThoseDatabasesNotTheEngines(@TempDir Path dir) throws Exception {
        Engine engine = new Engine(new Config(), Commands.groups());
        engine.database(0).set(bytes("engine-key"), bytes("not saved"));
        Database own = new Database(0, engine, new Stats(), new AccessTracking(engine.config()));
        own.set(bytes("own-key"), bytes("saved"));
        PackedList list = new PackedList();
        for (int i = 0; i < 100_000; i++) {
            list.push(PackedList.End.TAIL, bytes("job-" + i)); // long enough for the writer thread to encode
        }
        own.set(bytes("queue"), list);
        LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
        Scheduler scheduler = (delayMillis, task) -> tasks.add(task);
        Throwable[] outcome = new Throwable[1];
        boolean[] done = {false};

        SnapshotJob.start(new SnapshotJob.Source(List.of(own), List.of(), engine.stats()), scheduler,
                new SnapshotJob.Options(dir.resolve("dump.rdb"), dir.resolve("temp.rdb"), true, true, false, false),
                true, error -> {
                    outcome[0] = error;
                    done[0] = true;
                });
        runUntilDone(tasks, done, () -> { });

        assertNull(outcome[0]);
        Engine loaded = new Engine(new Config(), Commands.groups());
        new SnapshotReader(loaded, true, true, message -> { })
                .load(java.nio.file.Files.newInputStream(dir.resolve("dump.rdb")), "dump.rdb");
        Database db = loaded.database(0);
        assertEquals(2, db.size());
        assertArrayEquals(bytes("saved"), (byte[]) db.getWithoutTouch(bytes("own-key")));
        assertEquals(100_000, ((PackedList) db.getWithoutTouch(bytes("queue"))).size());
    }

    @Test
    void backgroundSaveRestsOnlyWhileClientsSendRequests(@TempDir Path dir) throws Exception {
        assertEquals(0, restsOfBackgroundSave(dir.resolve("idle"), false));
        assertTrue(restsOfBackgroundSave(dir.resolve("served"), true) > 0);
    }

    /**
     * How often a background save of 150,000 small strings rests (schedules its next slice a
     * millisecond later), with a client read counted before each of its tasks or with none. Its file
     * is under 2 MB, so it never waits for the writer thread, the other reason to pause.
     */
    private static int restsOfBackgroundSave(Path dir, boolean clientsSending) throws Exception {
        java.nio.file.Files.createDirectories(dir);
        Engine engine = new Engine(new Config(), Commands.groups());
        for (int i = 0; i < 150_000; i++) {
            engine.database(0).set(bytes("k" + i), bytes("v"));
        }
        LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
        int[] rests = {0};
        Scheduler scheduler = (delayMillis, task) -> {
            if (delayMillis > 0) {
                rests[0]++;
            }
            tasks.add(task);
        };
        boolean[] done = {false};
        SnapshotJob.start(SnapshotJob.Source.of(engine), scheduler, new SnapshotJob.Options(
                dir.resolve("dump.rdb"), dir.resolve("temp.rdb"), true, true, false, false), true, error -> {
                    assertNull(error);
                    done[0] = true;
                });
        runUntilDone(tasks, done, () -> {
            if (clientsSending) {
                engine.stats().readsProcessed++;
            }
        });
        return rests[0];
    }

    @Test
    void aKeySaveDelayPacesTheSaveWithoutSleepingInASlice(@TempDir Path dir) throws Exception {
        Engine engine = new Engine(new Config(), Commands.groups());
        for (int i = 0; i < 40; i++) {
            engine.database(0).set(bytes("k" + i), bytes("v"));
        }
        LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
        // Delays kept, as the executor keeps them: a rest is time no slice runs.
        Scheduler scheduler = (delayMillis, task) -> CompletableFuture.delayedExecutor(delayMillis,
                TimeUnit.MILLISECONDS).execute(() -> tasks.add(task));
        boolean[] done = {false};
        long[] busy = {0};
        long started = System.nanoTime();
        SnapshotJob.start(SnapshotJob.Source.of(engine), scheduler, new SnapshotJob.Options(dir.resolve("dump.rdb"),
                dir.resolve("temp.rdb"), true, true, false, false).withKeySaveDelay(20_000), true, error -> {
                    assertNull(error);
                    done[0] = true;
                });
        runUntilDone(tasks, done, () -> { }, busy);
        long elapsed = System.nanoTime() - started;
        assertTrue(elapsed >= 39 * 20_000_000L, "40 keys at 20 ms each took only " + elapsed / 1_000_000 + " ms");
        // The delays pass between slices, with the executor free: its slices ran for a small part of the save.
        assertTrue(busy[0] < elapsed / 2, "slices ran " + busy[0] / 1_000_000 + " of " + elapsed / 1_000_000 + " ms");
    }

    /** Runs the scheduled tasks as the executor would, {@code beforeEach} first each time, until {@code done}. */
    private static void runUntilDone(LinkedBlockingQueue<Runnable> tasks, boolean[] done, Runnable beforeEach)
            throws InterruptedException {
        runUntilDone(tasks, done, beforeEach, new long[1]);
    }

    /** As above, adding to {@code busy} the nanoseconds the tasks ran. */
    private static void runUntilDone(LinkedBlockingQueue<Runnable> tasks, boolean[] done, Runnable beforeEach,
                                     long[] busy) throws InterruptedException {
        while (!done[0]) {
            Runnable task = tasks.poll(30, TimeUnit.SECONDS);
            assertNotNull(task, "the job stopped scheduling before it completed");
            beforeEach.run();
            long started = System.nanoTime();
            task.run();
            busy[0] += System.nanoTime() - started;
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
