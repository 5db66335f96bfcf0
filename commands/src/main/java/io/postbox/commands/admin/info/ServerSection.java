package io.postbox.commands.admin.info;

import io.postbox.commands.Engine;
import io.postbox.commands.admin.ServerProcess;
import java.nio.file.Path;
import java.util.Locale;

/** INFO server: what is running, where, since when. Fields Redis derives from its build say "none" truthfully. */
final class ServerSection implements InfoSection {

    /** Postbox's own version, shown beside the Redis version it matches. */
    static final String POSTBOX_VERSION = "0.1.0";

    @Override
    public String title() {
        return "Server";
    }

    @Override
    public void write(InfoLines out, Engine engine) {
        ServerProcess process = engine.process();
        java.time.Instant now = java.time.Instant.now();
        long nowMillis = now.toEpochMilli();
        long uptime = (nowMillis - engine.startMillis()) / 1000;
        Path configFile = process.configFile();
        out.field("redis_version", Engine.REDIS_VERSION)
                .field("redis_git_sha1", "00000000")
                .field("redis_git_dirty", 0)
                .field("redis_build_id", "0")
                .field("redis_mode", "standalone")
                .field("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + machine())
                .field("arch_bits", System.getProperty("sun.arch.data.model", "64"))
                .field("monotonic_clock", "System.nanoTime")
                .field("multiplexing_api", process.multiplexingApi())
                .field("atomicvar_api", "none")
                .field("gcc_version", "0.0.0")
                .field("process_id", ProcessHandle.current().pid())
                .field("process_supervised", "no")
                .field("run_id", process.runId())
                .field("tcp_port", process.tcpPort())
                .field("server_time_usec", now.getEpochSecond() * 1_000_000 + now.getNano() / 1000)
                .field("uptime_in_seconds", uptime)
                .field("uptime_in_days", uptime / 86400)
                .field("hz", effectiveHz(engine))
                .field("configured_hz", engine.config().getLong("hz"))
                .field("lru_clock", (nowMillis / 1000) & ((1 << 24) - 1))
                .field("executable", process.executable())
                .field("config_file", configFile == null ? "" : configFile.toString())
                .field("io_threads_active", 0);
        // While a shutdown waits for replicas, as Redis shows it: the time left before it goes on anyway.
        if (engine.shutdownWait().pending()) {
            out.field("shutdown_in_milliseconds", engine.shutdownWait().deadlineMillis() - engine.now());
        }
        out.field("postbox_version", POSTBOX_VERSION);
    }

    /** {@code uname -m}'s name for the JVM's architecture. */
    private static String machine() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64" -> "x86_64";
            case "arm64" -> "aarch64";
            default -> arch;
        };
    }

    /**
     * hz as Redis runs it: the configured value, doubled while there are more than 200 clients per
     * tick when dynamic-hz is on, up to 500.
     */
    static long effectiveHz(Engine engine) {
        long hz = engine.config().getLong("hz");
        if (engine.config().getBool("dynamic-hz")) {
            while (engine.clients().size() / hz > 200) {
                hz *= 2;
                if (hz > 500) {
                    return 500;
                }
            }
        }
        return hz;
    }
}
