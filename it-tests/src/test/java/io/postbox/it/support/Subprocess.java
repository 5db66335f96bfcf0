package io.postbox.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs an external client (redis-cli, python3) with a time limit and captures what it printed. */
public final class Subprocess {

    /** Exit code and the combined standard output and error. */
    public record Result(int exitCode, String output) {
    }

    private Subprocess() {
    }

    public static Result run(List<String> command, String stdin, int timeoutSeconds) throws IOException, InterruptedException {
        return run(new ProcessBuilder(command), stdin, timeoutSeconds);
    }

    /** Runs in {@code workingDir} with {@code environment} added to this JVM's. */
    public static Result run(List<String> command, Path workingDir, Map<String, String> environment, int timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile());
        builder.environment().putAll(environment);
        return run(builder, null, timeoutSeconds);
    }

    private static Result run(ProcessBuilder builder, String stdin, int timeoutSeconds) throws IOException, InterruptedException {
        List<String> command = builder.command();
        Process process = builder.redirectErrorStream(true).start();
        if (stdin != null) {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        byte[][] output = new byte[1][];
        Thread reader = new Thread(() -> {
            try {
                output[0] = process.getInputStream().readAllBytes();
            } catch (IOException e) {
                output[0] = new byte[0];
            }
        });
        reader.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish within " + timeoutSeconds + " s");
        }
        reader.join();
        return new Result(process.exitValue(), new String(output[0], StandardCharsets.UTF_8));
    }
}
