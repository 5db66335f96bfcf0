package io.postbox.commands.admin;

import java.nio.file.Path;

/**
 * The process that hosts the engine, as commands see it: the facts INFO server reports about it, the
 * config file CONFIG REWRITE writes, its log, and stopping it (SHUTDOWN). The server module implements
 * it; without a server (engine-only tests) the engine uses {@link DetachedProcess}.
 */
public interface ServerProcess {

    /** What SHUTDOWN asked for: its NOSAVE, SAVE, NOW and FORCE flags. */
    record ShutdownRequest(boolean noSave, boolean save, boolean now, boolean force) {
    }

    /** A random 40-character hex id of this run, as INFO's run_id. */
    String runId();

    /** The TCP port clients connect to, 0 when none is listening. */
    int tcpPort();

    /** How the server waits for I/O: "epoll" or "nio". */
    String multiplexingApi();

    /** The config file the server was started with, absolute; null when it has none. */
    Path configFile();

    /** The program running the server, as INFO's executable. */
    String executable();

    /** Writes a line to the server log (CONFIG REWRITE's outcome, a script's redis.log). */
    void log(LogLevel level, String message);

    /**
     * Stops the server: closes its listeners and every client connection, and ends the process once
     * that is done (an in-JVM server just stops). Returns once the shutdown is under way.
     *
     * @throws io.postbox.resp.ErrorReply if the server refuses to stop (it could not save and FORCE was
     *         not given)
     */
    void shutdown(ShutdownRequest request);
}
