package io.postbox.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A long-running external program (a queue framework's worker) that a test starts, lets work, and
 * then stops or kills. Its output goes to a log file the test can quote when an assertion fails.
 * Whatever happens, {@link #close()} leaves neither the process nor anything it started running.
 */
public final class BackgroundProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private BackgroundProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static BackgroundProcess start(List<String> command, Path workingDir, Map<String, String> environment, Path log)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return new BackgroundProcess(builder.start(), log);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the process to end by itself; returns its exit code, or kills it and fails. */
    public int awaitExit(int seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            kill();
            throw new IllegalStateException("did not exit within " + seconds + " s:\n" + logTail());
        }
        return process.exitValue();
    }

    /** SIGKILL for the process and its children, as a crash or the OOM killer would end it. */
    public void kill() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * SIGTERM, the polite request a worker answers with a warm shutdown; returns whether it exited by
     * itself within the grace period (if not, it is killed).
     */
    public boolean stop(int graceSeconds) throws InterruptedException {
        // Children are listed first: once the parent has exited they are no longer its descendants.
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        boolean exited = process.waitFor(graceSeconds, TimeUnit.SECONDS);
        children.forEach(ProcessHandle::destroyForcibly);
        kill();
        return exited;
    }

    /** The last lines the process printed, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
