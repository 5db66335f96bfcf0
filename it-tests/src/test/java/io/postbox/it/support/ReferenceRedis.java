package io.postbox.it.support;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The real Redis that side-by-side tests compare Postbox with: {@code redis-server} from the PATH on a
 * free port, or a Testcontainers {@code redis:7.0.15} where a Docker engine runs. One instance serves the
 * whole test JVM and is stopped when it exits. Without either, tests that need it are skipped (never
 * failed, never passed) with a message that says why.
 */
public final class ReferenceRedis {

    private static final String SKIP_REASON = "side-by-side test skipped: no reference Redis "
            + "(no redis-server on the PATH and no Docker engine for Testcontainers)";
    private static ReferenceRedis instance;
    private static boolean unavailable;

    private final String host;
    private final int port;
    private final String description;

    private ReferenceRedis(String host, int port, String description) {
        this.host = host;
        this.port = port;
        this.description = description;
    }

    /** The shared reference server; aborts the calling test (skipped) when none can be had. */
    public static synchronized ReferenceRedis require() {
        if (instance == null && !unavailable) {
            instance = startLocal();
            if (instance == null) {
                instance = startContainer();
            }
            unavailable = instance == null;
        }
        Assumptions.assumeTrue(instance != null, SKIP_REASON);
        return instance;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    @Override
    public String toString() {
        return description;
    }

    private static ReferenceRedis startLocal() {
        Path binary = onPath("redis-server");
        if (binary == null) {
            return null;
        }
        try {
            int port = freePort();
            Path dir = Files.createTempDirectory("reference-redis");
            Process process = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                    "--enable-debug-command", "yes")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile())
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process, dir)));
            awaitPing(port, process);
            return new ReferenceRedis("127.0.0.1", port, "redis-server " + binary + " on port " + port);
        } catch (IOException e) {
            throw new IllegalStateException("redis-server is on the PATH but did not start", e);
        }
    }

    /** Stops the server and removes its directory (its log, what tests had it save), as the test JVM exits. */
    private static void stop(Process process, Path dir) {
        process.destroy();
        try {
            if (process.waitFor(10, TimeUnit.SECONDS)) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path file : files.toList()) {
                        Files.delete(file);
                    }
                }
                Files.delete(dir);
            }
        } catch (IOException | InterruptedException e) {
            // Left in the temporary directory, which harms nothing.
        }
    }

    @SuppressWarnings("resource")
    private static ReferenceRedis startContainer() {
        try {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                return null;
            }
        } catch (RuntimeException e) {
            return null;
        }
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse("redis:7.0.15"))
                .withExposedPorts(6379).withCommand("redis-server", "--save", "", "--enable-debug-command", "yes");
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
        return new ReferenceRedis(container.getHost(), container.getMappedPort(6379), "redis:7.0.15 container");
    }

    static void awaitPing(int port, Process process) throws IOException {
        awaitPing(port, process, 20);
    }

    /** The same within {@code seconds}. */
    static void awaitPing(int port, Process process, int seconds) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new IOException("server exited with " + process.exitValue() + " before accepting connections");
            }
            try (RawConnection connection = new RawConnection(port)) {
                if (new String(connection.call("PING")).startsWith("+PONG")) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // Refused: asked again after the pause, as a server still loading (-LOADING) is.
            }
            pause();
        }
        throw new IOException("server on port " + port + " did not answer PING within " + seconds + " s");
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public static Path onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Arguments for starting a server process, for tests that log what they ran. */
    public static String describe(List<String> command) {
        return String.join(" ", command);
    }
}
