package io.postbox.server;

import io.netty.util.ResourceLeakDetector;
import io.postbox.commands.config.Config;
import io.postbox.persistence.StartupSnapshot;
import java.nio.file.Path;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** {@code java -jar postbox.jar [config-file] [--option value ...]}, as {@code redis-server} is invoked. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && (args[0].equals("-v") || args[0].equals("--version"))) {
            System.out.println("Postbox server v=" + PostboxServer.VERSION);
            return;
        }
        configureNetty();
        Config config = new Config();
        ServerLog log = new ServerLog();
        Path configFile = null;
        try {
            configFile = ConfigFile.apply(config, args);
        } catch (ConfigFile.ConfigException e) {
            System.err.print(e.getMessage());
            System.err.flush();
            System.exit(1);
        } catch (ConfigFile.UnreadableConfigFile e) {
            log.warning(e.getMessage());
            System.exit(1);
        }
        log.level(config.getString("loglevel"));
        String logfile = config.getString("logfile");
        if (!logfile.isEmpty()) {
            log.file(config.resolve(logfile).toString());
        }
        NettyLog.routeTo(log);
        // The RDB file is parsed from here on, on a thread of its own, while the server is built.
        StartupSnapshot rdb = null;
        try {
            rdb = PostboxServer.openStartupSnapshot(config, log);
        } catch (IllegalStateException cannotOpen) {
            logLines(log, cannotOpen.getMessage());
            System.exit(1);
        }
        PostboxServer server = new PostboxServer(config, log, configFile);
        for (String signal : new String[] {"TERM", "INT"}) {
            SignalHandler previous = Signal.handle(new Signal(signal),
                    received -> server.shutdownOnSignal("SIG" + signal));
            if (previous == SignalHandler.SIG_IGN) {
                // Redis handles it all the same; the JVM installs no handler for a signal ignored at its start.
                log.warning("SIG" + signal + " is ignored by this process (whatever started it set it so, as a "
                        + "shell without job control does for its background jobs), and the JVM cannot handle a "
                        + "signal ignored at its start: SIG" + signal + " will not shut Postbox down. SHUTDOWN will; "
                        + "the postbox-server launcher starts the JVM with the signal restored, where GNU env can.");
            }
        }
        try {
            server.start(rdb);
        } catch (IllegalStateException cannotStart) {
            server.close();
            // Last, as Redis ends its log with the reason: what a look at the log's tail should find.
            logLines(log, cannotStart.getMessage());
            System.exit(1);
        }
        server.awaitTermination();
        log.warning("Postbox is now ready to exit, bye bye...");
        System.exit(0);
    }

    /** Logs why the server cannot start, a warning per line, as Redis logs its reasons. */
    private static void logLines(ServerLog log, String reason) {
        reason.lines().forEach(log::warning);
    }

    /** Netty's process-wide settings for the server, before Netty's first class reads them. */
    static void configureNetty() {
        NettyLog.select();
        // Netty's allocator defines JFR events; the first buffer it allocates then loads the JFR metadata
        // on the executor, ~100 ms of CPU and JIT work in the first command served (often a SAVE).
        // Before Netty's first class: it reads the property once. Set it to true to record them.
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        // Netty samples buffer allocations for leak reports, a stack trace each; the tests keep it on
        // (paranoid where it matters), the server runs without it unless the property asks for it.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }
}
