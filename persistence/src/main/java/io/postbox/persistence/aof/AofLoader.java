package io.postbox.persistence.aof;

import io.postbox.commands.Ascii;
import io.postbox.commands.Command;
import io.postbox.commands.Dispatcher;
import io.postbox.commands.Engine;
import io.postbox.commands.Strerror;
import io.postbox.persistence.Log;
import io.postbox.persistence.rdb.RdbInput;
import io.postbox.persistence.rdb.SnapshotReader;
import io.postbox.resp.ErrorReply;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * Loads a multi-part append-only file at startup: the base (an RDB file, or commands, possibly after
 * an RDB preamble), then every incremental file in manifest order, replaying each command through the
 * dispatcher as a client without a socket would send it. A file that ends in the middle of a command
 * is cut back to its last complete command when it is the last file and {@code aof-load-truncated}
 * is on, with a warning, as Redis does; anything else that is not valid stops the load with an error
 * naming the file. A replayed command that replies an error is logged, which Redis does not do: its
 * effect is missing from the data.
 *
 * <p>Runs on the thread that owns the engine, before clients are served.
 */
public final class AofLoader {

    private static final int FAILED_COMMANDS_LOGGED = 10;

    private final Engine engine;
    private final Log log;
    private final Dispatcher dispatcher;
    private final ReplayClient client;
    private final LongConsumer progress;
    /** Replayed commands that replied an error: the first {@link #FAILED_COMMANDS_LOGGED} are logged. */
    private int failedCommands;

    /** @param progress told how many bytes of the files, counted across them in order, are loaded */
    public AofLoader(Engine engine, Log log, LongConsumer progress) {
        this.engine = engine;
        this.log = log;
        this.progress = progress;
        this.dispatcher = new Dispatcher(engine);
        this.client = new ReplayClient(engine);
    }

    /** Reads {@code dir}'s manifest, or null if there is none. */
    public static AofManifest readManifest(Path dir, String appendFilename) throws IOException {
        Path file = dir.resolve(appendFilename + ".manifest");
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return AofManifest.parse(appendFilename, Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage() + " (" + file + ")");
        }
    }

    /**
     * The bytes of {@code manifest}'s files in {@code dir}: what {@link #load} reads. A file the
     * manifest lists must exist, as Redis requires (it creates a file before it lists it).
     */
    public static long size(Path dir, AofManifest manifest) throws IOException {
        long size = manifest.base() == null ? 0 : sizeOf(dir, manifest.base());
        for (AofManifest.Entry incr : manifest.incrs()) {
            size += sizeOf(dir, incr);
        }
        return size;
    }

    private static long sizeOf(Path dir, AofManifest.Entry entry) throws IOException {
        try {
            return Files.size(dir.resolve(entry.file()));
        } catch (IOException e) {
            throw new IOException("Unable to obtain the AOF file " + entry.file() + " length. stat: "
                    + Strerror.describe(e), e);
        }
    }

    /** Loads every file of {@code manifest}, in order. */
    public void load(Path dir, AofManifest manifest, String manifestName) throws IOException {
        long started = System.nanoTime();
        long loadedBefore = 0;
        if (manifest.base() != null) {
            long fileStarted = System.nanoTime();
            Path base = dir.resolve(manifest.base().file());
            loadBase(base, manifestName);
            loadedBefore = Files.size(base);
            log.notice(String.format("DB loaded from base file %s: %.3f seconds", manifest.base().file(),
                    (System.nanoTime() - fileStarted) / 1e9));
        }
        List<AofManifest.Entry> incrs = manifest.incrs();
        for (int i = 0; i < incrs.size(); i++) {
            long fileStarted = System.nanoTime();
            Path file = dir.resolve(incrs.get(i).file());
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                replay(file, loadedBefore, new CommandReader(in, 0), i == incrs.size() - 1, manifestName);
            }
            loadedBefore += Files.size(file);
            log.notice(String.format("DB loaded from incr file %s: %.3f seconds", incrs.get(i).file(),
                    (System.nanoTime() - fileStarted) / 1e9));
        }
        if (failedCommands > 0) {
            log.warning(failedCommands + " replayed commands failed: the data loaded is not what was written");
        }
        // Replayed commands were not served: the statistics start from here, as Redis's loading never counts.
        engine.stats().reset();
        engine.slowLog().reset();
        log.notice(String.format("DB loaded from append only file: %.3f seconds", (System.nanoTime() - started) / 1e9));
    }

    private void loadBase(Path file, String manifestName) throws IOException {
        byte[] magic = new byte[5];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(magic, 0, 5);
        }
        long commandsFrom = 0;
        if (read == 5 && new String(magic, StandardCharsets.US_ASCII).equals("REDIS")) {
            log.notice("Reading RDB base file on AOF loading...");
            try (InputStream in = Files.newInputStream(file)) {
                SnapshotReader.Result result = new SnapshotReader(engine, false,
                        engine.config().getBool("rdbchecksum"), log::notice).load(new RdbInput(in, file.toString()),
                        progress);
                log.notice(result.summary());
                commandsFrom = result.endOffset();
            }
            if (file.getFileName().toString().endsWith(".rdb")) {
                return;
            }
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            in.skipNBytes(commandsFrom);
            replay(file, 0, new CommandReader(in, commandsFrom), false, manifestName);
        }
    }

    /**
     * Replays the commands of one file. A MULTI ... EXEC block (Redis logs one when a command
     * propagates several) runs as a whole at its EXEC; a block the file ends inside is left out, the
     * file cut back to before its MULTI, as Redis reverts an incomplete transaction. The file starts
     * {@code loadedBefore} bytes into the load, for {@link #progress}.
     */
    private void replay(Path file, long loadedBefore, CommandReader reader, boolean last, String manifestName)
            throws IOException {
        String name = file.getFileName().toString();
        client.database(engine.database(0));
        List<byte[][]> transaction = null;
        long beforeTransaction = 0;
        while (true) {
            long before = reader.validUpTo();
            byte[][] command;
            try {
                command = reader.next();
            } catch (CommandReader.Truncated e) {
                truncated(file, transaction == null ? reader.validUpTo() : beforeTransaction, last, manifestName);
                return;
            } catch (CommandReader.BadFormat e) {
                throw new IOException("Bad file format reading the append only file " + name + " (" + e.getMessage()
                        + "): make a backup of your AOF file, then use ./redis-check-aof --fix " + manifestName);
            }
            if (command == null) {
                if (transaction != null) {
                    log.warning("Revert incomplete MULTI/EXEC transaction in AOF file " + name);
                    truncated(file, beforeTransaction, last, manifestName);
                }
                return;
            }
            if (Ascii.equalsIgnoreCase(command[0], "multi")) {
                transaction = new ArrayList<>();
                beforeTransaction = before;
            } else if (Ascii.equalsIgnoreCase(command[0], "exec") && transaction != null) {
                for (byte[][] queued : transaction) {
                    run(queued, name);
                }
                transaction = null;
            } else if (transaction != null) {
                transaction.add(command);
            } else {
                run(command, name);
            }
            progress.accept(loadedBefore + reader.validUpTo());
        }
    }

    private void run(byte[][] command, String file) throws IOException {
        // Postbox records commands by their own names; a file Redis wrote with rename-command in force
        // has the names its clients used.
        Command known = engine.commands().lookupOriginal(command[0]);
        if (known == null) {
            known = engine.commands().lookup(command[0]);
        }
        if (known == null) {
            throw new IOException("Unknown command '" + new String(command[0], StandardCharsets.ISO_8859_1)
                    + "' reading the append only file " + file);
        }
        dispatcher.dispatch(client, command, known);
        ErrorReply error = client.takeError();
        if (error != null && ++failedCommands <= FAILED_COMMANDS_LOGGED) {
            log.warning("The " + new String(command[0], StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT)
                    + " replayed from " + file + " failed, and its effect is not in the data: " + error.getMessage()
                    + (failedCommands == FAILED_COMMANDS_LOGGED ? " (further failures are counted, not shown)" : ""));
        }
    }

    private void truncated(Path file, long validUpTo, boolean last, String manifestName) throws IOException {
        String name = file.getFileName().toString();
        if (!last || !engine.config().getBool("aof-load-truncated")) {
            throw new IOException("Unexpected end of file reading the append only file " + name + ". You can: "
                    + "1) Make a backup of your AOF file, then use ./redis-check-aof --fix " + manifestName + ". "
                    + "2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and "
                    + "restart the server.");
        }
        log.warning("!!! Warning: short read while loading the AOF file " + name + "!!!");
        log.warning("!!! Truncating the AOF " + name + " at offset " + validUpTo + " !!!");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(validUpTo);
            channel.force(true);
        }
        log.warning("AOF " + name + " loaded anyway because aof-load-truncated is enabled");
    }
}
