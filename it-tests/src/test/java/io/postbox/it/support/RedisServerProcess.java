package io.postbox.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A redis-server of its own in a directory of the test's choosing (for tests about its files:
 * dump.rdb, the append-only directory), unlike the shared {@link ReferenceRedis}. Skips the test when
 * redis-server is not on the PATH.
 */
public final class RedisServerProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private RedisServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts {@code redis-server --port <free> --dir <dir> [args...]}, logging to dir/redis.log. A server
     * that does not answer PING (it wants a password, it failed to start) is stopped, not left running.
     */
    public static RedisServerProcess start(Path dir, String... args) throws IOException {
        RedisServerProcess redis = launch(dir, args);
        try {
            ReferenceRedis.awaitPing(redis.port, redis.process);
        } catch (IOException | RuntimeException e) {
            redis.process.destroyForcibly();
            throw e;
        }
        return redis;
    }

    /**
     * {@link #start}, the server syncing its replicas from disk at once: with Redis's default diskless
     * sync, a replica waits repl-diskless-sync-delay (5 s) for others to share the transfer.
     */
    public static RedisServerProcess startSyncingFromDisk(Path dir, String... args) throws IOException {
        String[] options = new String[args.length + 2];
        options[0] = "--repl-diskless-sync";
        options[1] = "no";
        System.arraycopy(args, 0, options, 2, args.length);
        return start(dir, options);
    }

    /** {@link #start} without waiting for the server to answer PING: for what it does while it loads. */
    public static RedisServerProcess launch(Path dir, String... args) throws IOException {
        Path binary = ReferenceRedis.onPath("redis-server");
        Assumptions.assumeTrue(binary != null, "redis-server is not on the PATH");
        int port = ReferenceRedis.freePort();
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--dir", dir.toString(), "--save", "", "--enable-debug-command", "yes"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile())).start();
        return new RedisServerProcess(process, port);
    }

    /**
     * Starts a Redis Sentinel ({@code redis-server sentinel.conf --sentinel}) on a free port that monitors
     * the master on {@code masterPort} as "queues", quorum 1, and fails it over quickly: down after 1 s,
     * failover timeout 10 s. Its config file is in {@code dir}, where it rewrites it as it learns.
     */
    public static RedisServerProcess startSentinel(Path dir, int masterPort) throws IOException {
        List<String> lines = List.of("sentinel monitor queues 127.0.0.1 " + masterPort + " 1",
                "sentinel down-after-milliseconds queues 1000", "sentinel failover-timeout queues 10000");
        Path binary = ReferenceRedis.onPath("redis-server");
        Assumptions.assumeTrue(binary != null, "redis-server is not on the PATH");
        int port = ReferenceRedis.freePort();
        Path config = Files.writeString(Files.createDirectories(dir).resolve("sentinel.conf"),
                String.join("\n", lines) + "\n");
        List<String> command = List.of(binary.toString(), config.toString(), "--sentinel", "--port",
                Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sentinel.log").toFile())).start();
        ReferenceRedis.awaitPing(port, process);
        return new RedisServerProcess(process, port);
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** Waits up to {@code seconds} for the process to exit by itself; its exit code, or -1 if it still runs. */
    public int awaitExit(int seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    /** Stops it with SIGTERM (which, with save points, saves) and waits. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** Runs a redis tool (redis-check-rdb, redis-check-aof), skipping the test if it is missing. */
    public static Subprocess.Result tool(String name, String... args) throws IOException, InterruptedException {
        Path binary = ReferenceRedis.onPath(name);
        Assumptions.assumeTrue(binary != null, name + " is not on the PATH");
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        return Subprocess.run(command, null, 60);
    }
}
