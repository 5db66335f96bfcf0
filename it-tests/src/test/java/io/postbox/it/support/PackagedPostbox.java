package io.postbox.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The packaged server ({@code server/target/postbox.jar}) run as its own process, the way users run
 * it. Its output goes to a log file the test can read.
 */
public final class PackagedPostbox implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private PackagedPostbox(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts {@code java -jar postbox.jar [args...] --port <free>} in {@code workDir}. */
    public static PackagedPostbox start(Path workDir, String... args) throws IOException {
        return start(workDir, List.of(), args);
    }

    /** The same with JVM options before {@code -jar}: {@code -Xmx256m}, say. */
    public static PackagedPostbox start(Path workDir, List<String> jvmOptions, String... args) throws IOException {
        return start(workDir, List.of(), jvmOptions, args);
    }

    /**
     * The same run through {@code launcher} (a command that execs the rest, such as {@code setpriv} with
     * capabilities dropped).
     */
    public static PackagedPostbox start(Path workDir, List<String> launcher, List<String> jvmOptions, String... args)
            throws IOException {
        PackagedPostbox postbox = launch(workDir, launcher, jvmOptions, args);
        ReferenceRedis.awaitPing(postbox.port, postbox.process);
        return postbox;
    }

    /** {@link #start} without waiting for the server to answer PING: for what it does while it loads. */
    public static PackagedPostbox launch(Path workDir, List<String> launcher, List<String> jvmOptions, String... args)
            throws IOException {
        int port = ReferenceRedis.freePort();
        List<String> command = new ArrayList<>(launcher);
        command.addAll(javaJar(jvmOptions, args));
        command.addAll(List.of("--port", Integer.toString(port)));
        Path log = workDir.resolve("postbox.log");
        Process process = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new PackagedPostbox(process, port, log);
    }

    /**
     * Runs {@code java -jar postbox.jar [args...]} to its end, for a start expected to fail; the
     * arguments name the port.
     */
    public static Subprocess.Result runToExit(String... args) throws IOException, InterruptedException {
        return Subprocess.run(javaJar(List.of(), args), null, 60);
    }

    /** {@code java [jvmOptions...] -jar postbox.jar [args...]}, with this test run's JVM. */
    private static List<String> javaJar(List<String> jvmOptions, String... args) {
        String jar = System.getProperty("postbox.jar");
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("packaged server not found at " + jar + ": run through mvn verify");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Starts the {@code postbox-server} launcher script from the repository root on {@code jar} (given
     * as POSTBOX_JAR, so the launcher's startup cache goes beside that copy), with the {@code java} of
     * {@code javaHome} first on the PATH, the {@code environment} given (JAVA_OPTS, say), {@code args}
     * and a free port.
     */
    public static PackagedPostbox startWithLauncher(Path workDir, Path javaHome, Path jar,
            Map<String, String> environment, String... args) throws IOException {
        return startWithLauncher(workDir, List.of(), javaHome, jar, environment, args);
    }

    /** The same run through {@code wrapper}, a command that execs the rest (as for {@link #start}). */
    public static PackagedPostbox startWithLauncher(Path workDir, List<String> wrapper, Path javaHome, Path jar,
            Map<String, String> environment, String... args) throws IOException {
        String packaged = System.getProperty("postbox.jar");
        if (packaged == null) {
            throw new IllegalStateException("packaged server not found: run through mvn verify");
        }
        Path script = Path.of(packaged).toAbsolutePath().getParent().getParent().getParent().resolve("postbox-server");
        int port = ReferenceRedis.freePort();
        List<String> command = new ArrayList<>(wrapper);
        command.add(script.toString());
        command.addAll(List.of(args));
        command.addAll(List.of("--port", Integer.toString(port)));
        Path log = workDir.resolve("postbox.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("POSTBOX_JAR", jar.toString());
        builder.environment().put("PATH", javaHome.resolve("bin") + ":"
                + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        Process process = builder.start();
        // The first start after a build runs the launcher's training first: 6-9 s on an idle machine.
        ReferenceRedis.awaitPing(port, process, 90);
        return new PackagedPostbox(process, port, log);
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /**
     * The log once it holds {@code text}. The server accepts connections as soon as it is bound, so a
     * client can be served before the lines that follow the bind are written.
     */
    public String awaitLog(String text) throws IOException, InterruptedException {
        return awaitLog(text, 1);
    }

    /** The log once it holds {@code text} {@code times} times, or as it is after 20 s. */
    public String awaitLog(String text, int times) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String written = log();
        while (occurrences(written, text) < times && System.nanoTime() < deadline) {
            Thread.sleep(10);
            written = log();
        }
        return written;
    }

    /** How many times {@code text} appears in {@code log}. */
    public static int occurrences(String log, String text) {
        return log.split(Pattern.quote(text), -1).length - 1;
    }

    /** Waits up to {@code seconds} for the process to exit by itself; its exit code, or -1 if it still runs. */
    public int awaitExit(int seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    /** Sends SIGTERM and waits for the process to exit; returns its exit code. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("server did not exit within 20 s of SIGTERM");
        }
        return process.exitValue();
    }

    /**
     * Whether the process ignores signal {@code number}: one ignored when the JVM started (a job started
     * in the background by a shell without job control ignores SIGINT) stays ignored, for Java cannot
     * handle it.
     */
    public boolean ignoresSignal(int number) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16)
                        & (1L << (number - 1))) != 0;
            }
        }
        throw new IllegalStateException("no SigIgn line for process " + pid());
    }

    /** Kills the process with SIGKILL, as a crash would, and waits for it to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("server did not die within 20 s of SIGKILL");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            terminate();
        }
    }
}
