package io.postbox.persistence.rdb;

import io.postbox.commands.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Loads an RDB file (the layout is on {@link SnapshotWriter}), of any version up to 10, into the
 * databases of an engine: what Redis 7.0 or Postbox wrote, for every value type and encoding Postbox
 * has a {@link RdbType} for. IDLE and FREQ are skipped (access clocks start afresh); a key of a type
 * Postbox does not have, a module or a function library stops the load with an error naming the file
 * and offset.
 *
 * <p>Runs on the thread that owns the engine, before it serves clients (startup) or while it serves
 * none. The file is read and its values built on a thread of its own while this one stores them
 * ({@link SnapshotParse}, which can also be started before the engine exists).
 */
public final class SnapshotReader {

    /** What a load found; {@code expiredKeys}: those left out as expired, in file order. */
    public record Result(long keysLoaded, List<ExpiredKey> expiredKeys, long emptyKeysSkipped,
                         Map<String, String> aux, long endOffset) {

        public long keysExpired() {
            return expiredKeys.size();
        }

        /** The line that ends a load in the log, as Redis's. */
        public String summary() {
            return "Done loading RDB, keys loaded: " + keysLoaded + ", keys expired: " + keysExpired()
                    + (emptyKeysSkipped > 0 ? ", empty keys skipped: " + emptyKeysSkipped : "") + ".";
        }
    }

    /** A key a load left out as past its expiry time, and its database. */
    public record ExpiredKey(int db, byte[] key) {
    }

    private final Engine engine;
    private final boolean dropExpired;
    private final boolean verifyChecksum;
    private final Consumer<String> log;
    private final boolean replaceExisting;

    /**
     * @param dropExpired   leave out keys whose expiry time has passed (as Redis does for an RDB file,
     *                      but not for the RDB preamble of an append-only file)
     * @param verifyChecksum check the CRC-64 trailer ({@code rdbchecksum})
     * @param log           where progress lines go
     */
    public SnapshotReader(Engine engine, boolean dropExpired, boolean verifyChecksum, Consumer<String> log) {
        this(engine, dropExpired, verifyChecksum, log, false);
    }

    private SnapshotReader(Engine engine, boolean dropExpired, boolean verifyChecksum, Consumer<String> log,
                           boolean replaceExisting) {
        this.engine = engine;
        this.dropExpired = dropExpired;
        this.verifyChecksum = verifyChecksum;
        this.log = log;
        this.replaceExisting = replaceExisting;
    }

    /**
     * This reader, but a key or function library the engine has already is replaced by the file's, as
     * Redis's DEBUG RELOAD MERGE loads; a plain load stops at one with an error.
     */
    public SnapshotReader replacingExisting() {
        return new SnapshotReader(engine, dropExpired, verifyChecksum, log, true);
    }

    /**
     * Reads one whole RDB from {@code in}, stopping right after its checksum, and tells {@code progress}
     * how many bytes of it are stored as the load goes.
     */
    public Result load(RdbInput in, LongConsumer progress) throws IOException {
        return SnapshotParse.start(in, engine.config(), dropExpired, verifyChecksum, log)
                .storeInto(engine, progress, replaceExisting);
    }

    /** Convenience: loads {@code in} (the whole stream is one RDB file). */
    public Result load(InputStream in, String source) throws IOException {
        return load(new RdbInput(in, source), bytesRead -> { });
    }
}
