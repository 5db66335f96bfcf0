package io.postbox.persistence;

import io.postbox.commands.Engine;
import io.postbox.commands.Errors;
import io.postbox.commands.admin.Durability;
import io.postbox.commands.admin.PersistenceStatus;
import io.postbox.commands.config.Config;
import io.postbox.commands.config.SavePoint;
import io.postbox.persistence.rdb.RdbInput;
import io.postbox.persistence.rdb.SnapshotReader;
import io.postbox.resp.ErrorReply;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The server's data on disk, as Redis keeps it: RDB snapshots (SAVE, BGSAVE, save points, the save
 * at shutdown) and loading at startup. It records what it does in the engine's
 * {@link PersistenceStatus}, which LASTSAVE, INFO persistence and the MISCONF refusal of writes read.
 *
 * <p>Background work never forks: a {@link SnapshotJob} encodes the keyspace on the executor in
 * slices and writes it on a thread of its own. One background job runs at a time.
 *
 * <p>Executor thread only, except {@link #loadAtStartup()} (before the executor serves clients).
 */
public final class Persistence implements Durability {

    /** Seconds a failed background save waits before save points try again (Redis's retry delay). */
    private static final long RETRY_DELAY_SECONDS = 5;

    private final Engine engine;
    private final Config config;
    private final PersistenceStatus status;
    private final Log log;
    private SnapshotJob bgsave;
    private long changesAtBgsave;

    public Persistence(Engine engine, Log log) {
        this.engine = engine;
        this.config = engine.config();
        this.status = engine.persistence();
        this.log = log;
    }

    private Path rdbFile() {
        return config.resolve(config.getString("dbfilename"));
    }

    private SnapshotJob.Options rdbOptions() {
        return new SnapshotJob.Options(rdbFile(), config.resolve("temp-" + ProcessHandle.current().pid() + ".rdb"),
                config.getBool("rdbcompression"), config.getBool("rdbchecksum"),
                config.getBool("rdb-save-incremental-fsync"), false);
    }

    /* ---------------------------------------------------------------- startup */

    /**
     * Loads the dataset at startup: the RDB file if there is one. Logs what it found and how long it
     * took; a file that cannot be loaded is an error naming it and the offset.
     */
    public void loadAtStartup() throws IOException {
        Path file = rdbFile();
        if (!Files.exists(file)) {
            return;
        }
        long started = System.nanoTime();
        SnapshotReader.Result result;
        try (InputStream in = Files.newInputStream(file)) {
            result = new SnapshotReader(engine, true, config.getBool("rdbchecksum"), log::notice)
                    .load(new RdbInput(in, file.toString()));
        }
        status.lastLoadKeysLoaded = result.keysLoaded();
        status.lastLoadKeysExpired = result.keysExpired();
        status.changesAtLastSave = engine.changes();
        log.notice("Done loading RDB, keys loaded: " + result.keysLoaded() + ", keys expired: "
                + result.keysExpired() + ".");
        log.notice(String.format("DB loaded from disk: %.3f seconds", (System.nanoTime() - started) / 1e9));
    }

    /* ---------------------------------------------------------------- commands */

    @Override
    public void save(Consumer<ErrorReply> done) {
        if (status.bgsaveInProgress()) {
            throw Errors.err("Background save already in progress");
        }
        long changes = engine.changes();
        long started = System.currentTimeMillis();
        SnapshotJob.start(engine, rdbOptions(), error -> {
            if (error == null) {
                log.notice("DB saved on disk");
                savedAt(changes, started);
                done.accept(null);
            } else {
                log.warning(IoErrors.snapshotFailure(error));
                done.accept(new ErrorReply("ERR"));
            }
        });
    }

    @Override
    public String backgroundSave(boolean schedule) {
        if (status.bgsaveInProgress()) {
            throw Errors.err("Background save already in progress");
        }
        if (status.aofRewriteInProgress()) {
            if (!schedule) {
                throw Errors.err("Another child process is active (AOF?): can't BGSAVE right now. "
                        + "Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
            }
            status.bgsaveScheduled = true;
            return "Background saving scheduled";
        }
        startBackgroundSave();
        return "Background saving started";
    }

    @Override
    public String rewriteAppendOnlyFile() {
        throw Errors.err("Postbox has no append-only file yet");
    }

    private void startBackgroundSave() {
        long started = System.currentTimeMillis();
        status.bgsaveStartMillis = started;
        status.lastBgsaveTrySeconds = started / 1000;
        status.bgsaveScheduled = false;
        changesAtBgsave = engine.changes();
        bgsave = SnapshotJob.start(engine, rdbOptions(), this::backgroundSaveDone);
        status.saveKeysTotal = bgsave.keysTotal();
        status.saveKeysProcessed = 0;
        log.notice("Background saving started");
    }

    private void backgroundSaveDone(Throwable error) {
        long started = status.bgsaveStartMillis;
        if (started == 0) {
            return; // abandoned (shutdown): its outcome no longer matters
        }
        status.bgsaveStartMillis = 0;
        status.lastBgsaveSeconds = (System.currentTimeMillis() - started) / 1000;
        bgsave = null;
        if (error == null) {
            log.notice("Background saving terminated with success");
            savedAt(changesAtBgsave, started);
        } else {
            status.lastBgsaveOk = false;
            log.warning(IoErrors.snapshotFailure(error));
            log.warning("Background saving error");
        }
    }

    /** A snapshot of the data as of {@code changes} (and time {@code startedMillis}) is on disk. */
    private void savedAt(long changes, long startedMillis) {
        status.lastSaveSeconds = System.currentTimeMillis() / 1000;
        status.changesAtLastSave = changes;
        status.rdbSaves++;
        status.lastBgsaveOk = true;
    }

    /* ---------------------------------------------------------------- cron */

    /**
     * Periodic work, as in Redis's serverCron: progress for INFO, a scheduled BGSAVE once nothing else
     * runs, and save points ({@code save <seconds> <changes>}).
     */
    public void cron() {
        if (bgsave != null) {
            status.saveKeysProcessed = bgsave.keysProcessed();
            return;
        }
        if (status.aofRewriteInProgress()) {
            return;
        }
        long now = System.currentTimeMillis() / 1000;
        boolean mayRetry = status.lastBgsaveOk || now - status.lastBgsaveTrySeconds > RETRY_DELAY_SECONDS;
        if (status.bgsaveScheduled && mayRetry) {
            startBackgroundSave();
            return;
        }
        long dirty = engine.changes() - status.changesAtLastSave;
        for (SavePoint point : config.savePoints()) {
            if (dirty >= point.changes() && now - status.lastSaveSeconds > point.seconds() && mayRetry) {
                log.notice(point.changes() + " changes in " + point.seconds() + " seconds. Saving...");
                startBackgroundSave();
                return;
            }
        }
    }

    /* ---------------------------------------------------------------- shutdown */

    /** The server is stopping without a shutdown save (an in-JVM server closed): abandons background work. */
    public void close() {
        if (bgsave != null) {
            bgsave.abort();
            bgsave = null;
            status.bgsaveStartMillis = 0;
        }
    }

    /**
     * The save before the server exits: a snapshot if asked ({@code save}) or if save points are set,
     * unless {@code noSave}; a background save in progress is abandoned first. Runs to the end before
     * returning (the server is stopping; nothing else runs).
     *
     * @return false if a save was due and failed (the server must not exit unless forced)
     */
    public boolean saveBeforeExit(boolean save, boolean noSave) {
        if (bgsave != null) {
            log.warning("There is a child saving an .rdb. Killing it!");
            bgsave.abort();
            bgsave = null;
            status.bgsaveStartMillis = 0;
        }
        if (noSave || (!save && config.savePoints().isEmpty())) {
            return true;
        }
        log.notice("Saving the final RDB snapshot before exiting.");
        try {
            long changes = engine.changes();
            long started = System.currentTimeMillis();
            SnapshotJob.writeNow(engine, rdbOptions());
            savedAt(changes, started);
            log.notice("DB saved on disk");
            return true;
        } catch (IOException e) {
            log.warning(IoErrors.snapshotFailure(e));
            return false;
        }
    }
}
