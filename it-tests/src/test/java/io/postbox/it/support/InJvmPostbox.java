package io.postbox.it.support;

import io.postbox.commands.config.Config;
import io.postbox.server.ConfigFile;
import io.postbox.server.PostboxServer;
import io.postbox.server.ServerLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A Postbox server inside the test JVM on a free port. {@link #shared()} is one instance for the tests
 * that do not change server-wide state; tests that do start their own with {@link #start(String...)}.
 */
public final class InJvmPostbox implements AutoCloseable {

    private static InJvmPostbox shared;

    private final PostboxServer server;
    /** The temporary directory made for this server, removed when it closes. */
    private final Path temporaryDir;

    private InJvmPostbox(PostboxServer server, Path temporaryDir) {
        this.server = server;
        this.temporaryDir = temporaryDir;
    }

    public static synchronized InJvmPostbox shared() {
        if (shared == null) {
            // DEBUG is enabled as on the reference Redis the side-by-side tests compare with.
            shared = start("--enable-debug-command", "yes");
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /**
     * Starts a server with redis-server-style options, e.g. {@code start("--requirepass", "s3cret")}.
     * Unless the options name a {@code --dir}, it works in a fresh temporary directory, so what one
     * test saves (SHUTDOWN, save points) is never loaded by another; the directory goes when it closes.
     */
    public static InJvmPostbox start(String... options) {
        Path temporaryDir = null;
        PostboxServer server = null;
        try {
            Config config = new Config();
            temporaryDir = Files.createTempDirectory("postbox");
            String[] args = new String[options.length + 6];
            args[0] = "--port";
            args[1] = "0";
            args[2] = "--bind";
            args[3] = "127.0.0.1";
            args[4] = "--dir";
            args[5] = temporaryDir.toString();
            System.arraycopy(options, 0, args, 6, options.length);
            ConfigFile.apply(config, args);
            ServerLog log = new ServerLog();
            // Quiet on the test's output; a test that reads the log names a --logfile, and gets its --loglevel.
            String logfile = config.getString("logfile");
            log.level(logfile.isEmpty() ? "warning" : config.getString("loglevel"));
            if (!logfile.isEmpty()) {
                log.file(config.resolve(logfile).toString());
            }
            server = new PostboxServer(config, log);
            server.start();
            return new InJvmPostbox(server, temporaryDir);
        } catch (Exception e) {
            // A start that fails (a test of a corrupt file) leaves neither threads nor its directory behind.
            if (server != null) {
                server.close();
            }
            deleteQuietly(temporaryDir);
            throw new IllegalStateException("in-JVM Postbox did not start", e);
        }
    }

    public int port() {
        return server.port();
    }

    public PostboxServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
        deleteQuietly(temporaryDir);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException | UncheckedIOException e) {
            // A thread of the closed server may still be finishing a file there (a save it abandoned):
            // the directory is then left behind, which harms no test.
        }
    }
}
