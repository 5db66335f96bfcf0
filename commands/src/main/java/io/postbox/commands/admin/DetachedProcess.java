package io.postbox.commands.admin;

import io.postbox.commands.Errors;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** The process of an engine that runs without a server (tests of commands): no port, no file, nothing to stop. */
public final class DetachedProcess implements ServerProcess {

    private final String runId = randomHex40();

    /** 40 random hex characters, as Redis's run and replication ids. */
    public static String randomHex40() {
        StringBuilder hex = new StringBuilder(40);
        for (int i = 0; i < 40; i++) {
            hex.append(Character.forDigit(ThreadLocalRandom.current().nextInt(16), 16));
        }
        return hex.toString();
    }

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public int tcpPort() {
        return 0;
    }

    @Override
    public String multiplexingApi() {
        return "none";
    }

    @Override
    public Path configFile() {
        return null;
    }

    @Override
    public String executable() {
        return "";
    }

    @Override
    public void log(LogLevel level, String message) {
    }

    @Override
    public void shutdown(ShutdownRequest request) {
        throw Errors.err("Errors trying to SHUTDOWN. Check logs.");
    }
}
