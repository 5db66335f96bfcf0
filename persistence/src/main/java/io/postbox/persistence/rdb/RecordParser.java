package io.postbox.persistence.rdb;

import io.postbox.commands.config.Config;
import io.postbox.resp.ErrorReply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Parses an RDB file (the layout is on {@link SnapshotWriter}) into {@link RecordBatch}es: reads the
 * bytes, checks the CRC-64, decompresses and builds each value, ready to store. It does not touch
 * an engine (the batches' keys and steps do that, on the engine's thread), so it can run on a thread
 * of its own ({@link ParsedRecords}), before the engine exists; it reads only the configuration,
 * which nothing changes while a load runs (startup, or the executor busy loading).
 */
final class RecordParser {

    /** What hands a full batch on; it may block until the batch is taken. */
    interface Emitter {
        void emit(RecordBatch batch) throws InterruptedException;
    }

    /** Empty keys logged by name; the rest are counted. */
    private static final int EMPTY_KEYS_LOGGED = 10;

    private final Config config;
    private final int databases;
    private final boolean dropExpired;
    private final boolean verifyChecksum;
    /** {@code sanitize-dump-payload yes}: every stored value is checked whole, whatever vouches for it. */
    private final boolean sanitize;
    private final Consumer<String> log;
    /** {@code key-load-delay}: the parse waits on its own thread, the keys stored so far being served. */
    private final KeyPace pace;
    private long keysRead;
    private Emitter emitter;
    private RecordBatch batch = new RecordBatch();

    /** What the parse found: read by the storing thread after it took the last batch (the hand-over publishes it). */
    final Map<String, String> aux = new LinkedHashMap<>();
    /** The keys left out as expired, in file order. */
    final List<SnapshotReader.ExpiredKey> expiredKeys = new ArrayList<>();
    long empty;
    long endOffset;

    RecordParser(Config config, boolean dropExpired, boolean verifyChecksum, Consumer<String> log) {
        this.config = config;
        this.databases = (int) config.getLong("databases");
        this.dropExpired = dropExpired;
        this.verifyChecksum = verifyChecksum;
        this.sanitize = config.getString("sanitize-dump-payload").equals("yes");
        this.log = log;
        this.pace = KeyPace.of(config.getLong("key-load-delay"));
    }

    /** Parses the whole file up to and including its checksum, emitting every batch (the last too). */
    void parse(RdbInput in, Emitter emitter) throws IOException, InterruptedException {
        this.emitter = emitter;
        if (pace.paced()) {
            in.progressByRecord();
        }
        int version = readHeader(in);
        int db = 0;
        long expireAt = -1;
        long now = System.currentTimeMillis();
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
                    if (index >= databases) {
                        throw in.corrupt("Data file was created with a server configured to handle more than "
                                + databases + " databases");
                    }
                    db = (int) index;
                    continue;
                }
                case RdbFormat.OPCODE_RESIZEDB -> {
                    int keys = (int) Math.min(in.readLength(), 1 << 30);
                    int withExpiry = (int) Math.min(in.readLength(), 1 << 30);
                    int index = db;
                    step(in, (engine, replace) -> engine.database(index).reserve(keys, withExpiry));
                    continue;
                }
                case RdbFormat.OPCODE_AUX -> {
                    String name = new String(in.readString(), StandardCharsets.ISO_8859_1);
                    String value = new String(in.readString(), StandardCharsets.ISO_8859_1);
                    aux.put(name, value);
                    RecordBatch.Step effect = auxEffect(name, value);
                    if (effect != null) {
                        // Handed over at once, not with the first keys: a first key may be a long list.
                        batch.addStep(effect);
                        flush(in);
                    }
                    continue;
                }
                case RdbFormat.OPCODE_MODULE_AUX ->
                        throw in.corrupt("The RDB file contains module data, which Postbox cannot load");
                case RdbFormat.OPCODE_FUNCTION2 -> {
                    byte[] code = in.readString();
                    long at = in.offset();
                    step(in, (engine, replace) -> {
                        try {
                            engine.functionStore().loadLibrary(engine, code, replace);
                        } catch (ErrorReply refused) {
                            throw in.corrupt("Failed loading library: " + refused.text(), at);
                        }
                    });
                    continue;
                }
                case RdbFormat.OPCODE_FUNCTION_PRE_GA ->
                        throw in.corrupt("The RDB file contains functions in the pre-GA format, which Postbox cannot load");
                case RdbFormat.OPCODE_EOF -> {
                    verifyChecksum(in, version);
                    endOffset = in.offset();
                    flush(in);
                    return;
                }
                default -> {
                    RdbType reader = RdbTypes.reading(type);
                    if (reader == null) {
                        throw in.corrupt("Can't load a key of RDB type " + type + " (" + RdbFormat.typeName(type)
                                + "): Postbox has no such type");
                    }
                    byte[] key = in.readString();
                    Object value;
                    try {
                        value = reader.read(type, in, config);
                    } catch (RdbFormatException e) {
                        throw e.readingKey(key, type);
                    }
                    if (pace.paced()) {
                        keyLoadDelay(in);
                    }
                    if (value == null) {
                        // Redis's older versions could write a key with no elements: skipped, as Redis skips it.
                        if (empty++ < EMPTY_KEYS_LOGGED) {
                            String name = new String(key, StandardCharsets.ISO_8859_1);
                            log.accept("rdbLoadObject skipping empty key: " + name);
                        }
                    } else if (dropExpired && expireAt != -1 && expireAt < now) {
                        expiredKeys.add(new SnapshotReader.ExpiredKey(db, key));
                    } else {
                        batch.addKey(db, key, value, expireAt);
                        if (batch.isFull()) {
                            flush(in);
                        }
                    }
                    expireAt = -1;
                }
            }
        }
    }

    /**
     * Waits until the keys read so far, this one included, have taken their delay ({@code key-load-delay}),
     * then shows the load's progress up to this key, as Redis counts the bytes it has processed.
     */
    private void keyLoadDelay(RdbInput in) throws InterruptedException {
        keysRead++;
        long wait;
        while ((wait = pace.waitBefore(keysRead, System.nanoTime())) > 0) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        in.recordRead();
    }

    private void step(RdbInput in, RecordBatch.Step step) throws InterruptedException {
        batch.addStep(step);
        if (batch.isFull()) {
            flush(in);
        }
    }

    private void flush(RdbInput in) throws InterruptedException {
        batch.offset = in.offset();
        batch.expired = expiredKeys.size();
        emitter.emit(batch);
        batch = new RecordBatch();
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

    /** What an AUX field does where the file has it: a log line, and INFO's loading_rdb_used_mem. Null if nothing. */
    private RecordBatch.Step auxEffect(String name, String value) {
        try {
            return switch (name) {
                case "redis-ver" -> logs("Loading RDB produced by version " + value);
                case "ctime" -> logs("RDB age " + Math.max(0, System.currentTimeMillis() / 1000 - Long.parseLong(value))
                        + " seconds");
                case "used-mem" -> {
                    long usedMemory = Long.parseLong(value);
                    String line = String.format("RDB memory usage when created %.2f Mb", usedMemory / 1048576.0);
                    yield (engine, replace) -> {
                        log.accept(line);
                        engine.persistence().loadingRdbUsedMemory = usedMemory;
                    };
                }
                default -> null;
            };
        } catch (NumberFormatException e) {
            return null; // Not a number: nothing to report.
        }
    }

    private RecordBatch.Step logs(String line) {
        return (engine, replace) -> log.accept(line);
    }

    /**
     * Version 5 and later end with a CRC-64; 0 means it was saved without one. Checks put off until
     * here ({@link RdbInput#deferUnlessChecksummed}) run unless the checksum was verified and
     * {@code sanitize-dump-payload} is not {@code yes}.
     */
    private void verifyChecksum(RdbInput in, int version) throws IOException, InterruptedException {
        if (version < 5) {
            in.settleDeferredChecks(false);
            return;
        }
        long computed = in.crc();
        long stored = in.readLittleEndian(8);
        if (stored == 0) {
            step(in, (engine, replace) -> log.accept("RDB file was saved with checksum disabled: no check performed."));
        } else if (verifyChecksum && stored != computed) {
            throw in.corrupt(String.format(
                    "RDB CRC error: wrong RDB checksum expected: (%x) but got (%x)", computed, stored));
        }
        in.settleDeferredChecks(verifyChecksum && stored != 0 && !sanitize);
    }
}
