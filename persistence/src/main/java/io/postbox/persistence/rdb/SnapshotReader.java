package io.postbox.persistence.rdb;

import io.postbox.commands.Engine;
import io.postbox.commands.keyspace.Database;
import io.postbox.resp.ErrorReply;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
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
 * none.
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
        int version = readHeader(in);
        Map<String, String> aux = new LinkedHashMap<>();
        Database db = engine.database(0);
        long expireAt = -1;
        long loaded = 0;
        long expired = 0;
        long empty = 0;
        long now = System.currentTimeMillis();
        long nextProgress = 1_000_000;
        while (true) {
            int type = in.readByte();
            switch (type) {
                case RdbFormat.OPCODE_EXPIRETIME_MS -> {
                    expireAt = in.readLittleEndian(8);
                    continue;
                }
                case RdbFormat.OPCODE_EXPIRETIME -> {
                    expireAt = in.readLittleEndian(4) * 1000;
                    continue;
                }
                case RdbFormat.OPCODE_FREQ -> {
                    in.readByte();
                    continue;
                }
                case RdbFormat.OPCODE_IDLE -> {
                    in.readLength();
                    continue;
                }
                case RdbFormat.OPCODE_SELECTDB -> {
                    long index = in.readLength();
                    if (index >= engine.databaseCount()) {
                        throw in.corrupt("Data file was created with a server configured to handle more than "
                                + engine.databaseCount() + " databases");
                    }
                    db = engine.database((int) index);
                    continue;
                }
                case RdbFormat.OPCODE_RESIZEDB -> {
                    long keys = in.readLength();
                    long withExpiry = in.readLength();
                    db.reserve((int) Math.min(keys, 1 << 30), (int) Math.min(withExpiry, 1 << 30));
                    continue;
                }
                case RdbFormat.OPCODE_AUX -> {
                    String name = new String(in.readString(), StandardCharsets.ISO_8859_1);
                    String value = new String(in.readString(), StandardCharsets.ISO_8859_1);
                    aux.put(name, value);
                    logAux(name, value);
                    continue;
                }
                case RdbFormat.OPCODE_MODULE_AUX ->
                        throw in.corrupt("The RDB file contains module data, which Postbox cannot load");
                case RdbFormat.OPCODE_FUNCTION2 -> {
                    try {
                        engine.functionStore().loadLibrary(engine, in.readString());
                    } catch (ErrorReply refused) {
                        throw in.corrupt("Failed loading library: " + refused.text());
                    }
                    continue;
                }
                case RdbFormat.OPCODE_FUNCTION_PRE_GA ->
                        throw in.corrupt("The RDB file contains functions in the pre-GA format, which Postbox cannot load");
                case RdbFormat.OPCODE_EOF -> {
                    for (int i = 0; i < engine.databaseCount(); i++) {
                        byte[] duplicate = engine.database(i).finishLoading();
                        if (duplicate != null) {
                            throw duplicated(in, duplicate, i);
                        }
                    }
                    verifyChecksum(in, version);
                    return new Result(loaded, expired, empty, aux, in.offset());
                }
                default -> {
                    RdbType reader = RdbTypes.reading(type);
                    if (reader == null) {
                        throw in.corrupt("Can't load a key of RDB type " + type + " (" + RdbFormat.typeName(type)
                                + "): Postbox has no such type");
                    }
                    byte[] key = in.readString();
                    Object value = reader.read(type, in, engine.config());
                    if (value == null) {
                        empty++;
                    } else if (dropExpired && expireAt != -1 && expireAt < now) {
                        expired++;
                    } else {
                        byte[] duplicate = db.addLoaded(key, value, expireAt);
                        if (duplicate != null) {
                            throw duplicated(in, duplicate, db.index());
                        }
                        loaded++;
                        if (loaded == nextProgress) {
                            log.accept("Loading RDB: " + loaded + " keys so far (" + in.offset() + " bytes read)");
                            nextProgress += 1_000_000;
                        }
                    }
                    expireAt = -1;
                }
            }
        }
    }

    private static RdbFormatException duplicated(RdbInput in, byte[] key, int db) {
        return in.corrupt("RDB has duplicated key '" + new String(key, StandardCharsets.ISO_8859_1) + "' in DB " + db);
    }

    private static int readHeader(RdbInput in) throws IOException {
        byte[] magic = new byte[9];
        in.readFully(magic, 0, 9);
        String text = new String(magic, StandardCharsets.ISO_8859_1);
        if (!text.startsWith("REDIS")) {
            throw in.corrupt("Wrong signature trying to load DB from file");
        }
        int version;
        try {
            version = Integer.parseInt(text.substring(5));
        } catch (NumberFormatException e) {
            throw in.corrupt("Wrong signature trying to load DB from file");
        }
        if (version < 1 || version > RdbFormat.VERSION) {
            throw in.corrupt("Can't handle RDB format version " + version);
        }
        return version;
    }

    private void logAux(String name, String value) {
        switch (name) {
            case "redis-ver" -> log.accept("Loading RDB produced by version " + value);
            case "ctime" -> {
                try {
                    long age = System.currentTimeMillis() / 1000 - Long.parseLong(value);
                    log.accept("RDB age " + Math.max(0, age) + " seconds");
                } catch (NumberFormatException ignored) {
                    // Not a number: nothing to report.
                }
            }
            case "used-mem" -> {
                try {
                    log.accept(String.format("RDB memory usage when created %.2f Mb", Long.parseLong(value) / 1048576.0));
                } catch (NumberFormatException ignored) {
                    // Not a number: nothing to report.
                }
            }
            default -> {
            }
        }
    }

    /** Version 5 and later end with a CRC-64; 0 means it was saved without one. */
    private void verifyChecksum(RdbInput in, int version) throws IOException {
        if (version < 5) {
            return;
        }
        long computed = in.crc();
        long stored = in.readLittleEndian(8);
        if (stored == 0) {
            log.accept("RDB file was saved with checksum disabled: no check performed.");
        } else if (verifyChecksum && stored != computed) {
            throw in.corrupt(String.format("Wrong RDB checksum expected: (%x) got: (%x)", stored, computed));
        }
    }

    /** Convenience: loads {@code in} (the whole stream is one RDB file). */
    public Result load(InputStream in, String source) throws IOException {
        return load(new RdbInput(in, source));
    }
}
