package io.postbox.persistence.rdb;

import io.postbox.commands.Engine;
import io.postbox.commands.admin.PersistenceStatus;
import io.postbox.commands.config.Config;
import io.postbox.commands.keyspace.Database;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * An RDB file being parsed on a thread of its own ({@link RecordParser}, {@link ParsedRecords}), to
 * be stored into an engine by {@link #storeInto}. The parse needs only the configuration, so it can
 * start before the engine exists: at startup the server builds its engine and command table while
 * the file is already being read.
 *
 * <p>{@link #storeInto} runs on the thread that owns the engine; {@link #close()} stops a parse that
 * is not stored (or not to the end) and waits for its thread.
 */
public final class SnapshotParse implements AutoCloseable {

    private final RdbInput in;
    private final RecordParser parser;
    private final Consumer<String> log;
    private final ParsedRecords records;

    private SnapshotParse(RdbInput in, RecordParser parser, Consumer<String> log) {
        this.in = in;
        this.parser = parser;
        this.log = log;
        this.records = new ParsedRecords(emitter -> parser.parse(in, emitter));
    }

    /**
     * Starts parsing one whole RDB from {@code in}, up to and including its checksum.
     *
     * @param dropExpired    leave out keys whose expiry time has passed (as Redis does for an RDB
     *                       file, but not for the RDB preamble of an append-only file)
     * @param verifyChecksum check the CRC-64 trailer ({@code rdbchecksum})
     * @param log            where progress lines go (from the storing thread)
     */
    public static SnapshotParse start(RdbInput in, Config config, boolean dropExpired, boolean verifyChecksum,
                                      Consumer<String> log) {
        return new SnapshotParse(in, new RecordParser(config, dropExpired, verifyChecksum, log), log);
    }

    /**
     * Stores what the parse gives into {@code engine}'s databases, in file order, on the engine's
     * thread. Tells {@code progress} how many bytes of the file are read, after each batch of keys and
     * while it waits for the parser (which may read one long list for a second or more), and counts
     * the keys stored and left out as expired in the engine's persistence status as it goes.
     */
    public SnapshotReader.Result storeInto(Engine engine, LongConsumer progress) throws IOException {
        return storeInto(engine, progress, false);
    }

    /**
     * {@link #storeInto(Engine, LongConsumer)}; with {@code replaceExisting}, a key or function library
     * the engine has already is replaced by the file's (DEBUG RELOAD MERGE), where it otherwise stops
     * the load.
     */
    public SnapshotReader.Result storeInto(Engine engine, LongConsumer progress, boolean replaceExisting)
            throws IOException {
        try {
            return store(engine, progress, replaceExisting);
        } finally {
            close();
            for (int i = 0; i < engine.databaseCount(); i++) {
                engine.database(i).finishLoading();
            }
        }
    }

    private SnapshotReader.Result store(Engine engine, LongConsumer progress, boolean replaceExisting)
            throws IOException {
        PersistenceStatus status = engine.persistence();
        long loaded = 0;
        long nextProgress = 1_000_000;
        long offset = 0;
        Runnable reportRead = () -> progress.accept(in.readSoFar());
        RecordBatch batch;
        while ((batch = records.next(reportRead)) != null) {
            offset = batch.offset;
            for (int i = 0; i < batch.size; i++) {
                if (batch.keys[i] == null) {
                    ((RecordBatch.Step) batch.values[i]).apply(engine, replaceExisting);
                    continue;
                }
                Database db = engine.database(batch.db[i]);
                if (replaceExisting) {
                    db.delete(batch.keys[i]);
                }
                byte[] duplicate = db.addLoaded(batch.keys[i], batch.values[i], batch.expireAt[i]);
                if (duplicate != null) {
                    throw duplicated(duplicate, db.index(), offset);
                }
                loaded++;
                if (loaded == nextProgress) {
                    log.accept("Loading RDB: " + loaded + " keys so far (" + offset + " bytes read)");
                    nextProgress += 1_000_000;
                }
            }
            status.lastLoadKeysLoaded = loaded;
            status.lastLoadKeysExpired = batch.expired;
            reportRead.run();
        }
        for (int i = 0; i < engine.databaseCount(); i++) {
            byte[] duplicate = engine.database(i).finishLoading();
            if (duplicate != null) {
                throw duplicated(duplicate, i, offset);
            }
        }
        return new SnapshotReader.Result(loaded, parser.expiredKeys, parser.empty, parser.aux, parser.endOffset);
    }

    /** Receives the keys of a file, in file order. */
    public interface KeyVisitor {
        void key(int db, byte[] key, Object value, long expireAt) throws IOException;
    }

    /**
     * Hands every key of the file to {@code visitor} on the calling thread, in file order, without
     * storing it anywhere; what else the file holds (AUX fields, function libraries) is skipped.
     */
    public void forEachKey(KeyVisitor visitor) throws IOException {
        try {
            RecordBatch batch;
            while ((batch = records.next(() -> { })) != null) {
                for (int i = 0; i < batch.size; i++) {
                    if (batch.keys[i] != null) {
                        visitor.key(batch.db[i], batch.keys[i], batch.values[i], batch.expireAt[i]);
                    }
                }
            }
        } finally {
            close();
        }
    }

    private RdbFormatException duplicated(byte[] key, int db, long offset) {
        return in.corrupt("RDB has duplicated key '" + new String(key, StandardCharsets.ISO_8859_1) + "' in DB " + db,
                offset);
    }

    /** Stops the parse if it still runs and waits for its thread: the input is no longer read after. */
    @Override
    public void close() {
        records.close();
    }
}
