package io.postbox.persistence.rdb;

import io.postbox.commands.Engine;
import io.postbox.commands.keyspace.Database;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Loads an RDB file (the layout is on {@link SnapshotWriter}), of any version up to 10, into the
 * databases of an engine: what Redis 7.0 or Postbox wrote, for every value type and encoding Postbox
 * has a {@link RdbType} for. IDLE and FREQ are skipped (access clocks start afresh); a key of a type
 * Postbox does not have, a module or a function library stops the load with an error naming the file
 * and offset.
 *
 * <p>Runs on the thread that owns the engine, before it serves clients (startup) or while it serves
 * none. The file is read and its values built on a thread of its own ({@link RecordParser},
 * {@link ParsedRecords}) while this one stores them in the keyspace.
 */
public final class SnapshotReader {

    /** What a load found. */
    public record Result(long keysLoaded, long keysExpired, long emptyKeysSkipped, Map<String, String> aux,
                         long endOffset) {
    }

    private final Engine engine;
    private final boolean dropExpired;
    private final boolean verifyChecksum;
    private final Consumer<String> log;

    /**
     * @param dropExpired   leave out keys whose expiry time has passed (as Redis does for an RDB file,
     *                      but not for the RDB preamble of an append-only file)
     * @param verifyChecksum check the CRC-64 trailer ({@code rdbchecksum})
     * @param log           where progress lines go
     */
    public SnapshotReader(Engine engine, boolean dropExpired, boolean verifyChecksum, Consumer<String> log) {
        this.engine = engine;
        this.dropExpired = dropExpired;
        this.verifyChecksum = verifyChecksum;
        this.log = log;
    }

    /** Reads one whole RDB from {@code in}, stopping right after its checksum. */
    public Result load(RdbInput in) throws IOException {
        try {
            return loadKeys(in);
        } finally {
            for (int i = 0; i < engine.databaseCount(); i++) {
                engine.database(i).finishLoading();
            }
        }
    }

    private Result loadKeys(RdbInput in) throws IOException {
        RecordParser parser = new RecordParser(engine, dropExpired, verifyChecksum, log);
        long loaded = 0;
        long nextProgress = 1_000_000;
        long offset = 0;
        try (ParsedRecords records = new ParsedRecords(emitter -> parser.parse(in, emitter))) {
            RecordBatch batch;
            while ((batch = records.next()) != null) {
                offset = batch.offset;
                for (int i = 0; i < batch.size; i++) {
                    if (batch.keys[i] == null) {
                        ((RecordBatch.Step) batch.values[i]).apply(engine);
                        continue;
                    }
                    Database db = engine.database(batch.db[i]);
                    byte[] duplicate = db.addLoaded(batch.keys[i], batch.values[i], batch.expireAt[i]);
                    if (duplicate != null) {
                        throw duplicated(in, duplicate, db.index(), offset);
                    }
                    loaded++;
                    if (loaded == nextProgress) {
                        log.accept("Loading RDB: " + loaded + " keys so far (" + offset + " bytes read)");
                        nextProgress += 1_000_000;
                    }
                }
            }
        }
        for (int i = 0; i < engine.databaseCount(); i++) {
            byte[] duplicate = engine.database(i).finishLoading();
            if (duplicate != null) {
                throw duplicated(in, duplicate, i, offset);
            }
        }
        return new Result(loaded, parser.expired, parser.empty, parser.aux, parser.endOffset);
    }

    private static RdbFormatException duplicated(RdbInput in, byte[] key, int db, long offset) {
        return in.corrupt("RDB has duplicated key '" + new String(key, StandardCharsets.ISO_8859_1) + "' in DB " + db,
                offset);
    }

    /** Convenience: loads {@code in} (the whole stream is one RDB file). */
    public Result load(InputStream in, String source) throws IOException {
        return load(new RdbInput(in, source));
    }
}
