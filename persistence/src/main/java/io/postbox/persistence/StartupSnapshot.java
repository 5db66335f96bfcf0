package io.postbox.persistence;

import io.postbox.commands.Engine;
import io.postbox.commands.config.Config;
import io.postbox.persistence.rdb.RdbInput;
import io.postbox.persistence.rdb.SnapshotParse;
import io.postbox.persistence.rdb.SnapshotReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * The RDB file a server loads at startup, opened and being parsed before the server has built its
 * engine: the parse needs only the configuration, and overlaps the building of the engine and the
 * command table. {@link Persistence#loadAtStartup} stores it. Opened and stored on the thread that
 * starts the server.
 */
public final class StartupSnapshot implements AutoCloseable {

    private final Path file;
    private final InputStream in;
    private final SnapshotParse parse;
    private final long startedNanos = System.nanoTime();

    private StartupSnapshot(Path file, Config config, Log log) throws IOException {
        this.file = file;
        this.in = Files.newInputStream(file);
        // A replica keeps keys past their time, as Redis's does: its master's DELs remove them.
        this.parse = SnapshotParse.start(new RdbInput(in, file.toString()), config, !Persistence.following(config),
                config.getBool("rdbchecksum"), log::notice);
    }

    /**
     * Starts reading the RDB file if startup will load one: {@code appendonly} is off (else the
     * append-only file is loaded) and the file exists. Null otherwise.
     */
    public static StartupSnapshot open(Config config, Log log) throws IOException {
        if (config.getBool("appendonly")) {
            return null;
        }
        Path file = Persistence.rdbFile(config);
        return Files.exists(file) ? new StartupSnapshot(file, config, log) : null;
    }

    /** When the file was opened: the load's duration counts from there. */
    long startedNanos() {
        return startedNanos;
    }

    /** The file's size in bytes. */
    long size() throws IOException {
        return Files.size(file);
    }

    /** Stores the file's keys into {@code engine}, then closes it; {@code progress} as {@link SnapshotParse#storeInto}. */
    SnapshotReader.Result storeInto(Engine engine, LongConsumer progress) throws IOException {
        try (this) {
            return parse.storeInto(engine, progress);
        }
    }

    /** Stops the parse if it still runs and closes the file. */
    @Override
    public void close() throws IOException {
        parse.close();
        in.close();
    }
}
