package io.postbox.persistence;

import io.postbox.commands.Client;
import io.postbox.commands.CommandLog;
import io.postbox.commands.Engine;
import io.postbox.commands.Errors;
import io.postbox.commands.Strerror;
import io.postbox.commands.admin.DetachedProcess;
import io.postbox.commands.admin.Durability;
import io.postbox.commands.admin.PersistenceStatus;
import io.postbox.commands.config.Config;
import io.postbox.commands.config.InvalidConfigValue;
import io.postbox.commands.config.SavePoint;
import io.postbox.commands.replication.ReplicationFeed;
import io.postbox.persistence.aof.AofLoader;
import io.postbox.persistence.aof.AofManifest;
import io.postbox.persistence.aof.AppendOnlyFile;
import io.postbox.persistence.aof.CommandFormBase;
import io.postbox.persistence.aof.ManifestFile;
import io.postbox.persistence.aof.OldStyleAppendOnlyFile;
import io.postbox.persistence.rdb.RdbInput;
import io.postbox.persistence.rdb.ReplicationPoint;
import io.postbox.persistence.rdb.SnapshotReader;
import io.postbox.resp.ErrorReply;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The server's data on disk, as Redis keeps it: RDB snapshots (SAVE, BGSAVE, save points, the save
 * at shutdown), the append-only file (logging, BGREWRITEAOF and automatic rewrites), and loading one
 * of them at startup (the append-only file when it is on, else the RDB file). It records what it does
 * in the engine's {@link PersistenceStatus}, which LASTSAVE, INFO persistence and the MISCONF refusal
 * of writes read.
 *
 * <p>Background work never forks: a {@link SnapshotJob} encodes the keyspace on the executor in
 * slices and writes it on a thread of its own. One background job (BGSAVE or rewrite) runs at a
 * time, as in Redis; the other waits, scheduled.
 *
 * <p>Executor thread only, but for {@link #removeTemporaryFiles}; {@link #loadAtStartup} runs on the
 * thread the executor's loop is lent to at startup.
 */
public final class Persistence implements Durability {

    /** How this process's snapshot files are named while written: a save's own number follows. */
    private static final String TEMPORARY_PREFIX = "temp-" + ProcessHandle.current().pid() + "-";
    /** Seconds a failed background save waits before save points try again (Redis's retry delay). */
    private static final long RETRY_DELAY_SECONDS = 5;
    /** How long stopping waits for a startup rehearsal still running: several times what one takes. */
    private static final long REHEARSAL_EXIT_WAIT_MILLIS = 2_000;

    private final Engine engine;
    private final Config config;
    private final PersistenceStatus status;
    private final Log log;
    private SnapshotJob bgsave;
    /**
     * FLUSHALL's reply when the background save is FLUSHALL's (null for others), run when the save ends
     * or stops. Such a save's failure is only logged, as Redis's rdbSave's.
     */
    private Runnable flushSaveDone;
    private long changesAtBgsave;
    private long snapshotsStarted;
    private SnapshotJob rewrite;
    private AppendOnlyFile appendOnly;
    /** DEBUG AOF-FLUSH-SLEEP's microseconds, for append-only files started later too. */
    private long aofFlushSleepMicros;
    /** The append-only file's size after the last rewrite (or load): what automatic rewrites measure growth from. */
    private long rewriteBaseSize;
    private final RewriteLimit rewriteLimit = new RewriteLimit();
    /** The thread of the startup rehearsal ({@link SnapshotRehearsal}) if this server started it, else null. */
    private Thread rehearsal;
    private LongConsumer durableListener = batch -> { };
    private final ReplicaSyncs replicas;
    private ReplicationStream stream;
    /** When this server last had a replica or followed a master (Redis's repl_no_slaves_since), Unix ms. */
    private long lastReplicatedMillis = System.currentTimeMillis();

    public Persistence(Engine engine, Log log) {
        this.engine = engine;
        this.config = engine.config();
        this.status = engine.persistence();
        this.log = log;
        this.replicas = new ReplicaSyncs(engine, log, this::replicationStream);
    }

    private Path rdbFile() {
        return rdbFile(config);
    }

    static Path rdbFile(Config config) {
        return config.resolve(config.getString("dbfilename"));
    }

    /**
     * Each save writes a temporary file of its own, as each of Redis's children does (temp-pid.rdb): a
     * save that was stopped may still be cleaning its file up while the next one writes.
     */
    private SnapshotJob.Options rdbOptions() {
        String temporary = TEMPORARY_PREFIX + ++snapshotsStarted + ".rdb";
        return new SnapshotJob.Options(rdbFile(), config.resolve(temporary),
                config.getBool("rdbcompression"), config.getBool("rdbchecksum"),
                config.getBool("rdb-save-incremental-fsync"), false).withKeySaveDelay(keySaveDelay())
                .withReplication(stream == null ? null : stream.point());
    }

    /**
     * Removes the temporary files of the snapshots this process is writing (their conversions too),
     * from any thread: what is left to do before an immediate exit, as Redis removes its temp-pid.rdb
     * when a second SIGINT ends it. The directory read may race with CONFIG SET dir, which leaves at
     * worst a file behind, as a SIGKILL would.
     */
    public void removeTemporaryFiles() {
        try (DirectoryStream<Path> temporaries = Files.newDirectoryStream(config.dir(), TEMPORARY_PREFIX + "*")) {
            for (Path temporary : temporaries) {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException | DirectoryIteratorException e) {
            log.warning("Could not remove the temporary snapshot files: " + e.getMessage());
        }
    }

    /** {@code loading-process-events-interval-bytes}: how much a load reads between two rounds of serving clients. */
    private long serveEveryBytes() {
        return config.getLong("loading-process-events-interval-bytes");
    }

    /** {@code rdb-key-save-delay}: Redis's saves and rewrites honour it, and Postbox's pace their slices by it. */
    private long keySaveDelay() {
        return config.getLong("rdb-key-save-delay");
    }

    private Path aofDir() {
        return config.resolve(config.getString("appenddirname"));
    }

    private String manifestName() {
        return config.getString("appendfilename") + ".manifest";
    }

    /** The append-only file when it is on, for the server to hold replies until fsync; else null. */
    public AppendOnlyFile appendOnly() {
        return appendOnly;
    }

    /* ---------------------------------------------------------------- startup */

    /**
     * Loads the dataset at startup: the append-only file when {@code appendonly} is on (creating it if
     * there is none yet, from the empty dataset, as Redis 7 does), else the RDB file if there is one,
     * whose parse {@code rdb} started ({@link StartupSnapshot#open}, null if there is no file).
     * Logs what it found and how long it took; a file that cannot be loaded is an error naming it.
     * The server listens already: every 2 MB loaded, {@code serveClients} serves what clients sent
     * meanwhile ({@link LoadProgress}), and may end the load by throwing (SHUTDOWN while loading).
     * Then has the collector move the loaded keys out of its young generation, so that the first
     * background save does not stall clients more than later ones; {@link #startRehearsal} does the
     * rest of that once the server listens.
     */
    public void loadAtStartup(StartupSnapshot rdb, Runnable serveClients) throws IOException {
        if (config.getBool("appendonly")) {
            openAppendOnlyAtStartup(serveClients);
        } else if (rdb != null) {
            try (LoadProgress progress = new LoadProgress(status, rdb.size(), serveEveryBytes(), serveClients)) {
                loadRdb(rdb, progress);
            }
        }
        status.changesAtLastSave = engine.changes();
        if (hasKeys()) {
            // The keys loaded last are still in the collector's young generation: its first collection
            // after start would copy them while clients wait (20-60 ms for a 10M-element list, on the
            // first BGSAVE). Collected now, before any client's command runs, they settle where they stay.
            YoungCollection.run();
        }
    }

    /**
     * Starts warming the snapshot code up in the background ({@link SnapshotRehearsal}), once per
     * process. The server calls it on the executor once it listens: started at the end of the load,
     * the rehearsal competed with binding the listeners for a CPU, and listening came a median 520 ms
     * after a 10M-element list was loaded, against 350 ms (8 starts each, busy 2-core machine).
     */
    public void startRehearsal() {
        // After the load's young collection, which leaves the young generation empty: the rehearsal's
        // garbage may fill it, so that the first young collection (and the resizing that follows it)
        // happens soon rather than early in the first BGSAVE. Often it does not (10M-element list, the
        // mixed benchmark dump); forcing one with more garbage added 25 ms and more to every start and
        // moved the first save's maximum latency by less than the noise, so it is left to chance.
        rehearsal = SnapshotRehearsal.startOnce(config);
    }

    /**
     * Stops a startup rehearsal still running and lets it remove its file: only a server asked to stop
     * within its first second or so waits, and for {@link #REHEARSAL_EXIT_WAIT_MILLIS} at most.
     */
    private void awaitRehearsal() {
        if (rehearsal == null) {
            return;
        }
        rehearsal.interrupt();
        try {
            rehearsal.join(REHEARSAL_EXIT_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        rehearsal = null;
    }

    private boolean hasKeys() {
        for (int i = 0; i < engine.databaseCount(); i++) {
            if (engine.database(i).size() > 0) {
                return true;
            }
        }
        return false;
    }

    private void loadRdb(StartupSnapshot rdb, LoadProgress progress) throws IOException {
        SnapshotReader.Result result = rdb.storeInto(engine, progress);
        log.notice(result.summary());
        log.notice(String.format("DB loaded from disk: %.3f seconds", (System.nanoTime() - rdb.startedNanos()) / 1e9));
        ReplicationPoint point = ReplicationPoint.of(result.aux());
        if (point != null) {
            resumeHistory(point, result.expiredKeys());
        }
    }

    /**
     * The stream the loaded file was taken at goes on, as Redis's loadDataFromDisk restores it, so that
     * replicas need no full sync after a restart. A replica ({@code replicaof} set) carries its master's
     * stream from there, and asks it to continue. A master takes a new ID and keeps the file's as its
     * second, up to the file's offset, from which its own offsets go on: first with a DEL for each key
     * the load left out as expired, which its replicas still hold.
     */
    private void resumeHistory(ReplicationPoint point, List<SnapshotReader.ExpiredKey> expiredKeys) {
        ReplicationStream resumed = new ReplicationStream(engine, log, point.replicationId(), point.offset());
        if (following(config)) {
            carry(resumed).carryMaster(point.streamDb());
            return;
        }
        resumed.rename(DetachedProcess.randomHex40());
        boolean lazy = config.getBool("lazyfree-lazy-expire");
        for (SnapshotReader.ExpiredKey expired : expiredKeys) {
            resumed.written(engine.database(expired.db()), CommandLog.deletion(expired.key(), lazy));
        }
        carry(resumed);
    }

    /** Whether {@code replicaof} names a master. */
    static boolean following(Config config) {
        return !config.getString("replicaof").isEmpty();
    }

    private void openAppendOnlyAtStartup(Runnable serveClients) throws IOException {
        Path dir = aofDir();
        String prefix = config.getString("appendfilename");
        AofManifest manifest = OldStyleAppendOnlyFile.migrateIfFound(config.resolve(prefix), dir,
                AofLoader.readManifest(dir, prefix), log);
        boolean changed = false;
        if (manifest != null) {
            try (LoadProgress progress = new LoadProgress(status, AofLoader.size(dir, manifest), serveEveryBytes(),
                    serveClients)) {
                new AofLoader(engine, log, progress).load(dir, manifest, manifestName());
            }
        } else {
            // No append-only file yet: it starts from the dataset as it is, empty (Redis 7.0 does not
            // load the RDB file when appendonly is on).
            Files.createDirectories(dir);
            manifest = new AofManifest(prefix);
            AofManifest.Entry base = manifest.nextBase(config.getBool("aof-use-rdb-preamble"));
            log.notice("Creating AOF base file " + base.file() + " on server start");
            SnapshotJob.writeNow(engine, aofBaseOptions(dir, base));
            manifest.installBase(base, null);
            changed = true;
        }
        if (manifest.incrs().isEmpty()) {
            AofManifest.Entry incr = manifest.addIncr();
            log.notice("Creating AOF incr file " + incr.file() + " on server start");
            // Created before the manifest lists it, as Redis does: a file the manifest lists always exists.
            Files.newByteChannel(dir.resolve(incr.file()), StandardOpenOption.CREATE, StandardOpenOption.WRITE).close();
            changed = true;
        }
        if (changed) {
            ManifestFile.write(dir.resolve(manifestName()), manifest.format());
        }
        attach(new AppendOnlyFile(engine, dir, manifest, true, log));
        rewriteBaseSize = status.aofCurrentSize;
    }

    private void attach(AppendOnlyFile file) {
        appendOnly = file;
        file.onDurable(durableListener);
        file.flushSleep(aofFlushSleepMicros);
        attachCommandLogs();
        file.updateStatus();
    }

    /** Who hears, on the executor, that append-only batches are durable (the server's held replies). */
    public void onDurable(LongConsumer listener) {
        this.durableListener = listener;
        if (appendOnly != null) {
            appendOnly.onDurable(listener);
        }
    }

    /**
     * CONFIG SET appendonly: turning it on starts logging at once into a new incremental file and
     * rewrites the base (after a running BGSAVE), the manifest listing them once the base is written,
     * as Redis does; turning it off closes the file after writing and fsyncing what it has.
     *
     * @throws InvalidConfigValue if the append-only directory cannot be made
     */
    public void appendOnlyChanged() {
        boolean on = config.getBool("appendonly");
        if (on && appendOnly == null) {
            startAppendOnly();
        } else if (!on && appendOnly != null) {
            stopAppendOnly();
        }
    }

    /** A new incremental file, and a rewrite of the base: now or, behind other background work, soon. */
    private void startAppendOnly() {
        Path dir = aofDir();
        try {
            Files.createDirectories(dir);
            AofManifest manifest = AofLoader.readManifest(dir, config.getString("appendfilename"));
            if (manifest == null) {
                manifest = new AofManifest(config.getString("appendfilename"));
            }
            manifest.addIncr();
            attach(new AppendOnlyFile(engine, dir, manifest, false, log));
        } catch (IOException e) {
            log.warning("Unable to turn on AOF: " + Strerror.describe(e));
            throw new InvalidConfigValue("Unable to turn on AOF. Check server logs.");
        }
        rewriteBaseSize = 0;
        if (status.bgsaveInProgress()) {
            status.aofRewriteScheduled = true;
            log.warning("AOF was enabled but there is already another background operation. "
                    + "An AOF background was scheduled to start when possible.");
        } else if (engine.executingTransaction()) {
            status.aofRewriteScheduled = true;
            log.warning("AOF was enabled during a transaction. "
                    + "An AOF background was scheduled to start when possible.");
        } else if (!status.aofRewriteInProgress()) {
            startRewrite();
        }
    }

    private void stopAppendOnly() {
        if (rewrite != null) {
            log.warning("Killing running AOF rewrite child");
            rewrite.abort();
            rewrite = null;
            status.aofRewriteStartMillis = 0;
        }
        appendOnly.closeThen(() -> { });
        appendOnly = null;
        attachCommandLogs();
    }

    /**
     * A new base file: an RDB file, or without aof-use-rdb-preamble, the same turned into commands (then
     * uncompressed, as it is read back at once and never kept).
     */
    private SnapshotJob.Options aofBaseOptions(Path dir, AofManifest.Entry base) {
        return new SnapshotJob.Options(dir.resolve(base.file()),
                dir.resolve("temp-rewriteaof-bg-" + ProcessHandle.current().pid() + ".aof"),
                config.getBool("rdbcompression") && base.rdb(), config.getBool("rdbchecksum"),
                config.getBool("aof-rewrite-incremental-fsync"), true,
                base.rdb() ? null : new CommandFormBase(config, engine.functionStore().libraryCodes()))
                .withKeySaveDelay(keySaveDelay());
    }

    /* ---------------------------------------------------------------- commands */

    @Override
    public void save(Consumer<ErrorReply> done) {
        saveWhileFrozen(true, done);
    }

    /** SAVE's snapshot, counted in rdb_saves as it starts; also DEBUG RELOAD's, which Redis does not count. */
    private void saveWhileFrozen(boolean counted, Consumer<ErrorReply> done) {
        if (status.bgsaveInProgress()) {
            throw Errors.err("Background save already in progress");
        }
        if (counted) {
            status.rdbSaves++;
        }
        long changes = engine.changes();
        SnapshotJob.start(engine, rdbOptions(), false, error -> {
            if (error == null) {
                log.notice("DB saved on disk");
                savedAt(changes);
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
        boolean inExec = engine.executingTransaction();
        if (status.aofRewriteInProgress() || inExec) {
            if (!schedule && !inExec) {
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
        if (status.aofRewriteInProgress()) {
            throw Errors.err("Background append only file rewriting already in progress");
        }
        if (status.bgsaveInProgress() || engine.executingTransaction()) {
            status.aofRewriteScheduled = true;
            // Asked for by hand, it starts the count of failures in a row again, as in Redis.
            status.aofRewritesConsecutiveFailures = 0;
            return "Background append only file rewriting scheduled";
        }
        if (!startRewrite()) {
            throw Errors.err("Can't execute an AOF background rewriting. Please check the server logs for more information.");
        }
        return "Background append only file rewriting started";
    }

    @Override
    public void reload(boolean save, boolean flush, boolean merge, Consumer<ErrorReply> done) {
        if (save) {
            saveWhileFrozen(false, error -> done.accept(error != null ? error : reloadRdb(flush, merge)));
        } else {
            done.accept(reloadRdb(flush, merge));
        }
    }

    /**
     * DEBUG RELOAD's load, on the executor while every client waits, as Redis's holds its only thread:
     * the parse reads the file on its own thread, the executor stores. What it changes was in the file,
     * so it does not count as changes since the last save. Null, or the error to reply.
     */
    private ErrorReply reloadRdb(boolean flush, boolean merge) {
        long changes = engine.changes();
        if (flush) {
            emptyDataset();
        }
        Path file = rdbFile();
        try (InputStream in = Files.newInputStream(file);
             LoadProgress progress = new LoadProgress(status, Files.size(file), Long.MAX_VALUE, () -> { })) {
            SnapshotReader reader = new SnapshotReader(engine, true, config.getBool("rdbchecksum"), log::notice);
            (merge ? reader.replacingExisting() : reader).load(new RdbInput(in, file.toString()), progress);
        } catch (IOException | RuntimeException e) {
            log.warning("DEBUG RELOAD could not load " + file + ": " + e.getMessage());
            return Errors.err("Error trying to load the RDB dump");
        } finally {
            status.changesAtLastSave += engine.changes() - changes;
        }
        log.warning("DB reloaded by DEBUG RELOAD");
        return null;
    }

    @Override
    public void reloadAppendOnlyFile(Consumer<ErrorReply> done) {
        if (appendOnly != null) {
            appendOnly.whenWritten(() -> done.accept(reloadAppendOnly()));
        } else if (Files.exists(aofDir().resolve(manifestName()))) {
            // As in Redis: with the AOF off, what BGREWRITEAOF last wrote is loaded.
            done.accept(reloadAppendOnly());
        } else {
            // Redis exits here; the dataset is kept instead.
            throw Errors.err("The append-only file is off and there is no " + manifestName() + " to load");
        }
    }

    /** DEBUG LOADAOF's load, as {@link #reloadRdb}'s; afterwards nothing counts as changed, as in Redis. */
    private ErrorReply reloadAppendOnly() {
        emptyDataset();
        Path dir = aofDir();
        try {
            AofManifest manifest = AofLoader.readManifest(dir, config.getString("appendfilename"));
            try (LoadProgress progress = new LoadProgress(status, AofLoader.size(dir, manifest), Long.MAX_VALUE,
                    () -> { })) {
                new AofLoader(engine, log, progress).load(dir, manifest, manifestName());
            }
        } catch (IOException | RuntimeException e) {
            log.warning("DEBUG LOADAOF could not load the append-only file: " + e.getMessage());
            return Errors.err("Error trying to load the append-only file");
        } finally {
            status.changesAtLastSave = engine.changes();
        }
        log.warning("Append Only File loaded by DEBUG LOADAOF");
        return null;
    }

    /**
     * A replica's full sync: the master's snapshot, received into {@code received}, becomes the RDB file
     * and the whole dataset, as Redis's readSyncBulkPayload loads it from disk, and the stream this
     * server carries is the master's from there: ID {@code replicationId}, from {@code offset}, in the
     * database the file's {@code repl-stream-db} names. This server's own replicas followed the data it
     * replaces, so they are disconnected, to sync again. Background saves are stopped first (they would
     * install the old data), and the append-only file, if on, starts again from a rewrite of what was
     * loaded. Keys past their expiry time are loaded too: the master's DEL removes them, as on a Redis
     * replica. What it loads counts as saved. As at startup, {@code serveClients} serves clients every
     * {@code loading-process-events-interval-bytes} loaded (-LOADING to all but a few commands).
     *
     * @throws IOException if the file cannot be renamed or loaded: the data is then gone, and the
     *         replica syncs again, as in Redis
     * @throws CancellationException if {@code serveClients}, which serves clients between steps of the
     *         load, throws it: the server stopped meanwhile, and what was loaded stays
     */
    public void loadMasterSnapshot(Path received, String replicationId, long offset, Runnable serveClients)
            throws IOException {
        forgetReplicas();
        abandonBackgroundWork();
        boolean appendOnlyWasOn = appendOnly != null;
        if (appendOnlyWasOn) {
            stopAppendOnly();
        }
        log.notice("MASTER <-> REPLICA sync: Flushing old data");
        emptyDataset();
        Path file = rdbFile();
        try {
            Files.move(received, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warning("Failed trying to rename the temp DB into " + file.getFileName()
                    + " in MASTER <-> REPLICA synchronization: " + Strerror.describe(e));
            throw e;
        }
        log.notice("MASTER <-> REPLICA sync: Loading DB in memory");
        boolean stopped = false;
        try (InputStream in = Files.newInputStream(file);
             LoadProgress progress = new LoadProgress(status, Files.size(file), serveEveryBytes(), serveClients)) {
            SnapshotReader.Result result = new SnapshotReader(engine, false, config.getBool("rdbchecksum"), log::notice)
                    .load(new RdbInput(in, file.toString()), progress);
            log.notice(result.summary());
            ReplicationPoint point = ReplicationPoint.of(result.aux());
            carry(new ReplicationStream(engine, log, replicationId, offset))
                    .carryMaster(point == null ? 0 : point.streamDb());
        } catch (CancellationException e) {
            stopped = true;
            throw e;
        } catch (IOException | RuntimeException e) {
            log.warning("Failed trying to load the MASTER synchronization DB from disk, check server logs.");
            log.warning(file + ": " + e.getMessage());
            emptyDataset();
            throw new IOException(e.getMessage(), e);
        } finally {
            status.changesAtLastSave = engine.changes();
            // Not once stopped: this is closed then.
            if (appendOnlyWasOn && !stopped) {
                startAppendOnly();
            }
        }
        log.notice("MASTER <-> REPLICA sync: Finished with success");
    }

    /** Disconnects this server's replicas and drops its stream: the next replica starts a new one, of a new ID. */
    private void forgetReplicas() {
        closeReplicas();
        if (bgsave != null) {
            replicas.saveEnded(new IOException("the master's snapshot replaces the data"));
        }
        if (stream != null) {
            dropStream();
        }
    }

    private void closeReplicas() {
        for (Client client : new ArrayList<>(engine.clients().all())) {
            if (client.replica()) {
                client.close();
            }
        }
    }

    /** {@code carried} is the stream this server's replicas are fed from now on. */
    private ReplicationStream carry(ReplicationStream carried) {
        stream = carried;
        engine.attach((ReplicationFeed) stream);
        attachCommandLogs();
        return carried;
    }

    /* ---------------------------------------------------------------- the master's stream, on a replica */

    /**
     * This server follows a master from now on (REPLICAOF host port): its replicas are disconnected, as
     * Redis's replicationSetMaster does, and its stream, if it has one, carries the master's commands
     * only. Its replication ID and offset are what it asks the master to continue from, whether they
     * were its own as a master or another master's.
     */
    public void followMaster() {
        closeReplicas();
        if (stream != null) {
            stream.carryMaster();
        }
    }

    /**
     * The master continued its stream (+CONTINUE) under {@code replicationId}; a master continues only a
     * history it knows, so this server carries one. If that is another ID than the one carried (the
     * master was promoted, or restarted), the carried one stays valid as the second and this server's
     * replicas are disconnected, to continue under the new one, as in Redis. True then.
     */
    public boolean masterContinued(String replicationId) {
        if (replicationId == null || replicationId.equalsIgnoreCase(stream.replicationId())) {
            return false;
        }
        stream.rename(replicationId);
        closeReplicas();
        return true;
    }

    /** A command of the master's stream ran, or was queued in its MULTI: it is carried once applied. */
    public void masterCommand(byte[][] command) {
        stream.proxy(command);
    }

    /** The master's commands since the last call are applied; its link is in database {@code db} now. */
    public void masterApplied(int db) {
        stream.masterApplied(db);
    }

    /** The link to the master dropped: what it sent past the offset applied will come again, or never. */
    public void masterLinkDropped() {
        if (stream != null) {
            stream.discardUnapplied();
        }
    }

    /** The database the master's stream has selected as of the offset applied: where its link starts again. */
    public int masterDb() {
        return stream.masterDb();
    }

    /**
     * REPLICAOF NO ONE: this server's writes go on in a history of a new ID, the master's staying valid as
     * its second, so that the master's other replicas can continue with this server. Its replicas are
     * disconnected to learn the new ID, as Redis's replicationUnsetMaster does.
     */
    public void stopFollowing() {
        if (stream != null) {
            stream.becomeMaster();
            closeReplicas();
        }
    }

    /**
     * A master's backlog that no replica has used for {@code repl-backlog-ttl} seconds (0: never) is
     * freed, and its history ends: the next replica syncs in full under a new ID, as Redis's
     * replicationCron does. A replica keeps its backlog, which it needs if it is promoted.
     */
    private void freeIdleBacklog() {
        long now = System.currentTimeMillis();
        if (engine.masterLink().following() || engine.clients().anyReplica()) {
            lastReplicatedMillis = now;
            return;
        }
        long ttlSeconds = config.getLong("repl-backlog-ttl");
        if (ttlSeconds > 0 && (now - lastReplicatedMillis) / 1000 > ttlSeconds) {
            dropStream();
            log.notice("Replication backlog freed after " + ttlSeconds + " seconds without connected replicas.");
        }
    }

    /** No stream any more: a master that no replica asked for one, of a new ID. */
    private void dropStream() {
        stream = null;
        engine.attach(ReplicationFeed.none());
        attachCommandLogs();
    }

    /** Every key and function library gone, as Redis's emptyData leaves the server before a reload. */
    private void emptyDataset() {
        engine.clearDatabases();
        engine.functionStore().flushLibraries();
    }

    @Override
    public void aofFlushSleep(long micros) {
        aofFlushSleepMicros = micros;
        if (appendOnly != null) {
            appendOnly.flushSleep(micros);
        }
    }

    @Override
    public void datasetFlushed(Runnable done) {
        if (bgsave != null) {
            log.warning("Background saving stopped: FLUSHALL deleted what it was saving");
            replicas.saveEnded(new IOException("FLUSHALL stopped the snapshot"));
            stopBackgroundSave();
        }
        if (config.savePoints().isEmpty() || status.loading) {
            // A FLUSHALL replayed from the append-only file is on disk already.
            done.run();
        } else if (status.aofRewriteInProgress()) {
            status.bgsaveScheduled = true;
            done.run();
        } else {
            flushSaveDone = done;
            startBackgroundSave();
        }
    }

    /**
     * A PSYNC that names this stream and an offset the backlog holds continues there; any other sync is
     * a full one ({@link ReplicaSyncs}). A PSYNC that could not continue counts as a partial sync refused,
     * unless it asked for none ({@code PSYNC ? -1}).
     */
    @Override
    public void syncReplica(Client replica, String replicationId, long offset) {
        log.notice("Replica " + replica.replicaName() + " asks for synchronization");
        if (replicationId != null && !replica.rdbOnly()) {
            if (stream != null && stream.tryContinue(replica, replicationId, offset)) {
                engine.stats().partialSyncsAccepted++;
                return;
            }
            if (!replicationId.equals("?")) {
                engine.stats().partialSyncsRefused++;
            }
            replicas.partialRefused(replica, replicationId, offset);
        }
        if (!replica.rdbOnly()) {
            replicationStream();
        }
        if (replicas.ask(replica, replicationId != null, bgsave != null, bgsave != null || rewrite != null)) {
            startBackgroundSave();
        }
    }

    /** The stream replicas are fed, created (with its backlog) when the first replica wants it. */
    private ReplicationStream replicationStream() {
        if (stream == null) {
            carry(new ReplicationStream(engine, log, DetachedProcess.randomHex40(), 0));
            log.notice("Replication backlog created, my new replication IDs are '" + stream.replicationId()
                    + "' and '" + ReplicationFeed.NO_ID + "'");
        }
        return stream;
    }

    /** The dispatcher reports writes to the append-only file and the replicas' stream, whichever there are. */
    private void attachCommandLogs() {
        CommandLog file = appendOnly == null ? CommandLog.NONE : appendOnly;
        engine.attach(stream == null ? file : appendOnly == null ? stream : CommandLog.both(appendOnly, stream));
    }

    private void startBackgroundSave() {
        long started = System.currentTimeMillis();
        status.bgsaveStartMillis = started;
        status.lastBgsaveTrySeconds = started / 1000;
        status.bgsaveScheduled = false;
        changesAtBgsave = engine.changes();
        SnapshotJob.Options options = rdbOptions();
        replicas.saveStarted(options.target());
        // A save stopped meanwhile (shutdown, FLUSHALL) still completes: its outcome no longer matters.
        // FLUSHALL's save stands for Redis's rdbSave, which forks nothing and is not counted in rdb_saves.
        boolean flushSave = flushSaveDone != null;
        if (!flushSave) {
            status.rdbSaves++;
        }
        SnapshotJob[] job = new SnapshotJob[1];
        job[0] = startInBackground(options, !flushSave, error -> {
            if (bgsave == job[0]) {
                backgroundSaveDone(error);
            }
        });
        bgsave = job[0];
        status.saveKeysTotal = bgsave.keysTotal();
        status.saveKeysProcessed = 0;
        if (flushSaveDone == null) {
            log.notice("Background saving started");
        }
    }

    /**
     * Starts a snapshot written while clients are served. One that stands for a fork of Redis's is
     * counted and timed as the fork is (in INFO, and as the latency monitor's fork event).
     */
    private SnapshotJob startInBackground(SnapshotJob.Options options, boolean standsForFork,
                                          Consumer<Throwable> completion) {
        long started = System.nanoTime();
        SnapshotJob job = SnapshotJob.start(engine, options, true, completion);
        if (standsForFork) {
            status.latestSnapshotStartMicros = (System.nanoTime() - started) / 1000;
            status.backgroundSnapshots++;
            engine.latencyMonitor().sampleIfNeeded("fork", status.latestSnapshotStartMicros / 1000);
        }
        return job;
    }

    private void backgroundSaveDone(Throwable error) {
        long started = status.bgsaveStartMillis;
        status.bgsaveStartMillis = 0;
        status.lastBgsaveSeconds = (System.currentTimeMillis() - started) / 1000;
        bgsave = null;
        // FLUSHALL's save is logged as Redis's rdbSave, which it stands for.
        boolean flushSave = flushSaveDone != null;
        if (error == null) {
            log.notice(flushSave ? "DB saved on disk" : "Background saving terminated with success");
            savedAt(changesAtBgsave);
        } else {
            log.warning(IoErrors.snapshotFailure(error));
            if (!flushSave) {
                status.lastBgsaveOk = false;
                log.warning("Background saving error");
            }
        }
        replicas.saveEnded(error);
        backgroundSaveEnded();
        if (status.aofRewriteScheduled) {
            startRewrite();
        }
    }

    /**
     * A snapshot of the data as of change count {@code changes} is on disk. INFO's rdb_saves is counted
     * when a save starts, failed ones too: as Redis's, it counts SAVE and background saves, not FLUSHALL's,
     * DEBUG RELOAD's or the one at exit.
     */
    private void savedAt(long changes) {
        status.lastSaveSeconds = System.currentTimeMillis() / 1000;
        status.changesAtLastSave = changes;
        status.lastBgsaveOk = true;
    }

    /**
     * BGREWRITEAOF: a new base from a cut of the keyspace, taken at the same moment as the switch to a
     * new incremental file, so the base and the files after it hold every write exactly once.
     */
    private boolean startRewrite() {
        long started = System.currentTimeMillis();
        status.aofRewriteScheduled = false;
        Path dir = aofDir();
        AofManifest manifest;
        AofManifest.Entry firstKept = null;
        if (appendOnly != null) {
            try {
                firstKept = appendOnly.cutForRewrite();
            } catch (IOException e) {
                log.warning("Can't open the append-only file " + appendOnly.manifest().nextIncr().file() + ": "
                        + Strerror.describe(e));
                status.lastAofRewriteOk = false;
                // Turned on at runtime and not yet usable: the cron tries again.
                status.aofRewriteScheduled = !appendOnly.listed();
                return false;
            }
            status.aofRewriteStartMillis = started;
            manifest = appendOnly.manifest();
        } else {
            status.aofRewriteStartMillis = started;
            try {
                Files.createDirectories(dir);
                manifest = AofLoader.readManifest(dir, config.getString("appendfilename"));
            } catch (IOException e) {
                rewriteDone(e, null, null, null);
                return true;
            }
            if (manifest == null) {
                manifest = new AofManifest(config.getString("appendfilename"));
            }
        }
        AofManifest.Entry base = manifest.nextBase(config.getBool("aof-use-rdb-preamble"));
        AofManifest.Entry kept = firstKept;
        AofManifest standalone = appendOnly == null ? manifest : null;
        rewrite = startInBackground(aofBaseOptions(dir, base), true,
                error -> rewriteDone(error, base, kept, standalone));
        status.saveKeysTotal = rewrite.keysTotal();
        status.saveKeysProcessed = 0;
        log.notice("Background append only file rewriting started");
        return true;
    }

    private void rewriteDone(Throwable error, AofManifest.Entry base, AofManifest.Entry firstKept,
                             AofManifest standalone) {
        long started = status.aofRewriteStartMillis;
        if (started == 0) {
            return; // abandoned (shutdown)
        }
        status.aofRewriteStartMillis = 0;
        status.lastAofRewriteSeconds = (System.currentTimeMillis() - started) / 1000;
        rewrite = null;
        if (error == null) {
            if (appendOnly != null) {
                appendOnly.installBase(base, firstKept);
            } else {
                installStandalone(standalone, base);
            }
            status.lastAofRewriteOk = true;
            status.aofRewrites++;
            status.aofRewritesConsecutiveFailures = 0;
            log.notice("Background AOF rewrite terminated with success");
            log.notice("Background AOF rewrite finished successfully");
            if (appendOnly != null) {
                appendOnly.updateStatus();
                rewriteBaseSize = status.aofCurrentSize;
            }
        } else {
            status.lastAofRewriteOk = false;
            status.aofRewritesConsecutiveFailures++;
            log.warning("Background AOF rewrite terminated with error: " + Strerror.describe(error));
            if (appendOnly != null && !appendOnly.listed()) {
                // Turned on at runtime and not yet usable: try again from the cron.
                status.aofRewriteScheduled = true;
            }
        }
        if (status.bgsaveScheduled) {
            startBackgroundSave();
        }
    }

    /** BGREWRITEAOF while the append-only file is off: the new base alone makes the manifest. */
    private void installStandalone(AofManifest manifest, AofManifest.Entry base) {
        manifest.installBase(base, null);
        Path dir = aofDir();
        List<Path> obsolete = new ArrayList<>();
        for (AofManifest.Entry old : manifest.history()) {
            obsolete.add(dir.resolve(old.file()));
        }
        manifest.clearHistory();
        String text = manifest.format();
        Path manifestFile = dir.resolve(manifestName());
        Thread install = new Thread(() -> {
            try {
                ManifestFile.write(manifestFile, text);
                for (Path file : obsolete) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                engine.scheduler().schedule(0, () -> log.warning("Can't write the AOF manifest: " + e.getMessage()));
            }
        }, "postbox-aof-manifest");
        install.setDaemon(true);
        install.start();
    }

    /* ---------------------------------------------------------------- cron */

    /**
     * Periodic work, as in Redis's serverCron: progress for INFO, a scheduled BGSAVE or rewrite once
     * nothing else runs (a BGSAVE first if replicas wait for one), save points
     * ({@code save <seconds> <changes>}) and automatic rewrites ({@code auto-aof-rewrite-percentage},
     * {@code auto-aof-rewrite-min-size}).
     */
    public void cron() {
        if (stream != null) {
            stream.cron();
            freeIdleBacklog();
        }
        if (appendOnly != null) {
            appendOnly.updateStatus();
        }
        SnapshotJob running = bgsave != null ? bgsave : rewrite;
        if (running != null) {
            status.saveKeysProcessed = running.keysProcessed();
            return;
        }
        if (replicas.waiting()) {
            log.notice("Starting BGSAVE for SYNC with target: disk");
            startBackgroundSave();
            return;
        }
        long now = System.currentTimeMillis() / 1000;
        if (status.aofRewriteScheduled && !rewriteLimit.holds(status.aofRewritesConsecutiveFailures, now, log)) {
            startRewrite();
            return;
        }
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
        autoRewrite(now);
    }

    private void autoRewrite(long now) {
        long percentage = config.getLong("auto-aof-rewrite-percentage");
        if (appendOnly == null || percentage == 0 || status.aofCurrentSize <= config.getLong("auto-aof-rewrite-min-size")) {
            return;
        }
        long base = Math.max(1, rewriteBaseSize);
        long growth = status.aofCurrentSize * 100 / base - 100;
        if (growth >= percentage && !rewriteLimit.holds(status.aofRewritesConsecutiveFailures, now, log)) {
            log.notice("Starting automatic rewriting of AOF on " + growth + "% growth");
            startRewrite();
        }
    }

    /* ---------------------------------------------------------------- shutdown */

    /** The server is stopping without a shutdown save (an in-JVM server closed): abandons background work. */
    public void close() {
        abandonBackgroundWork();
        awaitRehearsal();
        if (appendOnly != null) {
            closeAppendOnly();
        }
    }

    private void closeAppendOnly() {
        String error = appendOnly.close();
        appendOnly = null;
        if (error != null) {
            log.warning("Error writing the AOF file at exit: " + error);
        }
    }

    private void abandonBackgroundWork() {
        if (bgsave != null) {
            log.warning("There is a child saving an .rdb. Killing it!");
            stopBackgroundSave();
        }
        if (rewrite != null) {
            log.warning("There is a child rewriting the AOF. Killing it!");
            rewrite.abort();
            rewrite = null;
            status.aofRewriteStartMillis = 0;
        }
    }

    /** Abandons the background save: its file is not installed, and its outcome changes nothing. */
    private void stopBackgroundSave() {
        bgsave.abort();
        bgsave = null;
        status.bgsaveStartMillis = 0;
        backgroundSaveEnded();
    }

    private void backgroundSaveEnded() {
        Runnable done = flushSaveDone;
        flushSaveDone = null;
        if (done != null) {
            done.run();
        }
    }

    /**
     * What happens to the data before the server exits: the append-only file is written and fsynced;
     * then a snapshot if asked ({@code save}) or if save points are set, unless {@code noSave}.
     * Background work in progress is abandoned first. Runs to the end before returning (the server
     * is stopping; nothing else runs). While the first base of an append-only file turned on at runtime
     * is being written, the file does not hold the dataset yet, so the server must not exit, unless
     * {@code force}: as Redis's "Writing initial AOF, can't exit", nothing is touched then.
     *
     * @return false if the server must not exit unless forced: a save was due and failed, or the
     *         initial append-only file is being written
     */
    public boolean saveBeforeExit(boolean save, boolean noSave, boolean force) {
        if (rewrite != null && appendOnly != null && !appendOnly.listed()) {
            if (!force) {
                log.warning("Writing initial AOF, can't exit.");
                return false;
            }
            log.warning("Writing initial AOF. Exit anyway.");
        }
        abandonBackgroundWork();
        awaitRehearsal();
        if (appendOnly != null) {
            log.notice("Calling fsync() on the AOF file.");
            closeAppendOnly();
        }
        if (noSave || (!save && config.savePoints().isEmpty())) {
            return true;
        }
        log.notice("Saving the final RDB snapshot before exiting.");
        try {
            long changes = engine.changes();
            SnapshotJob.writeNow(engine, rdbOptions());
            savedAt(changes);
            log.notice("DB saved on disk");
            return true;
        } catch (IOException e) {
            log.warning(IoErrors.snapshotFailure(e));
            log.warning(force ? "Error trying to save the DB. Exit anyway."
                    : "Error trying to save the DB, can't exit.");
            return false;
        }
    }
}
