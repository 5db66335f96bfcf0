package io.postbox.server;

import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import io.postbox.commands.admin.LogLevel;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Netty's own log lines (an exception that reached the end of a channel's pipeline, a leak report) as
 * lines of the server log, in its format and its {@code logfile}, rather than as java.util.logging's
 * two-line records on standard error, where an operator who reads the log file never sees them.
 * Netty's warnings and errors are warnings; what it says below that is verbose. Netty logs through
 * java.util.logging ({@link #select}), which formats each message before handing it over.
 */
final class NettyLog extends Handler {

    /** Held here: java.util.logging keeps loggers weakly, and a collected one forgets its handler. */
    private static final Logger NETTY = Logger.getLogger("io.netty");

    private final ServerLog log;

    private NettyLog(ServerLog log) {
        this.log = log;
    }

    /**
     * Makes Netty log through java.util.logging, whatever else is on the class path: before Netty's
     * first class, which takes its logger when it is loaded.
     */
    static void select() {
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    }

    /** From now on Netty's lines go to {@code log}, and only there. */
    static void routeTo(ServerLog log) {
        for (Handler old : NETTY.getHandlers()) {
            NETTY.removeHandler(old);
        }
        NETTY.setUseParentHandlers(false);
        NETTY.addHandler(new NettyLog(log));
    }

    @Override
    public void publish(LogRecord record) {
        LogLevel level = record.getLevel().intValue() >= Level.WARNING.intValue() ? LogLevel.WARNING : LogLevel.VERBOSE;
        Throwable thrown = record.getThrown();
        log.log(level, thrown == null ? record.getMessage() : record.getMessage() + ": " + thrown);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
