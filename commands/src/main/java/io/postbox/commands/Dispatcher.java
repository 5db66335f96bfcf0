package io.postbox.commands;

import io.postbox.commands.admin.PersistenceStatus;
import io.postbox.commands.config.ConfigOption;
import io.postbox.commands.config.SavePoint;
import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Runs a client's command the way Redis's processCommand and call do: look it up, check that it
 * exists and its arity, check authentication, run the handler, account for it in the stats, and then
 * serve the clients blocked on keys it made ready (once the outermost command has run).
 * Every reply, error replies included, is written here or by the handler; errors are counted once,
 * where they are rendered.
 */
public final class Dispatcher {

    private final Engine engine;
    private final ConfigOption<Boolean> latencyTracking;
    private final ConfigOption<Boolean> stopWritesOnBgsaveError;
    private final ConfigOption<List<SavePoint>> savePoints;
    /** Commands running now: more than one while EXEC or a script runs commands through here. */
    private int depth;

    public Dispatcher(Engine engine) {
        this.engine = engine;
        this.latencyTracking = engine.config().option("latency-tracking");
        this.stopWritesOnBgsaveError = engine.config().option("stop-writes-on-bgsave-error");
        this.savePoints = engine.config().option("save");
    }

    /**
     * Runs one request, or replies why it cannot run. Returns false, having done nothing else, when a
     * server-wide pause holds the command back: the caller keeps the request and offers it again
     * through {@link Client#resumePostponed()} when the pause ends.
     */
    public boolean dispatch(Client client, byte[][] args) {
        engine.tick();
        Command command = resolve(client, args);
        if (command == null) {
            return true;
        }
        client.lastCommand(command);
        if (engine.pause().postpones(command)) {
            return false;
        }
        Invocation call = new Invocation(engine, client, command, args);
        boolean failed = false;
        boolean logged = command.is(CommandFlag.WRITE) && engine.commandLog() != CommandLog.NONE;
        long changes = logged ? engine.changes() : 0;
        long started = System.nanoTime();
        depth++;
        try {
            command.handler().execute(call);
        } catch (ErrorReply error) {
            failed = true;
            replyError(client, error);
        } finally {
            depth--;
        }
        long nanos = System.nanoTime() - started;
        if (logged && !failed && engine.changes() != changes) {
            engine.commandLog().written(call);
        }
        // Looked up after the call: CONFIG RESETSTAT starts counting again with itself.
        Stats.CommandStats stats = engine.stats().of(command);
        if (failed) {
            stats.failedCalls++;
        }
        stats.micros += nanos / 1000;
        stats.calls++;
        engine.stats().commandsProcessed++;
        if (latencyTracking.value()) {
            stats.latency().record(nanos);
        }
        engine.slowLog().record(client, command, call.loggedArgs(), nanos / 1000);
        if (depth == 0) {
            engine.blockedClients().serveReadyKeys();
        }
        return true;
    }

    /** The command to run, or null after replying with the reason it cannot run. */
    private Command resolve(Client client, byte[][] args) {
        Command base = engine.commands().lookup(args[0]);
        if (base == null) {
            replyError(client, unknownCommand(args));
            return null;
        }
        Command command = base;
        if (base.isContainer() && args.length > 1) {
            command = base.subcommands().get(new String(args[1], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT));
            if (command == null) {
                replyError(client, Errors.err("unknown subcommand '" + truncate(args[1]) + "'. Try "
                        + new String(args[0], StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT) + " HELP."));
                return null;
            }
        }
        ErrorReply rejection = null;
        if (!command.arityAccepts(args.length)) {
            rejection = Errors.wrongArity(command);
        } else if (!command.is(CommandFlag.NO_AUTH) && engine.authRequired(client)) {
            rejection = Errors.NOAUTH;
        } else if (engine.persistence().anyDiskError()) {
            rejection = diskErrorRefusal(command);
        }
        if (rejection != null) {
            engine.stats().of(command).rejectedCalls++;
            replyError(client, rejection);
            return null;
        }
        return command;
    }

    /** MISCONF: while saving fails, commands that write (and PING, as in Redis) are refused. */
    private ErrorReply diskErrorRefusal(Command command) {
        if (!command.is(CommandFlag.WRITE) && !command.fullName().equals("ping")) {
            return null;
        }
        PersistenceStatus status = engine.persistence();
        return status.writeRefusal(stopWritesOnBgsaveError.value(), !savePoints.value().isEmpty());
    }

    private void replyError(Client client, ErrorReply error) {
        engine.stats().error(error.code());
        client.reply().error(error);
    }

    /** Redis's text: the name and then the first arguments, quoted, up to about 128 characters. */
    static ErrorReply unknownCommand(byte[][] args) {
        StringBuilder shown = new StringBuilder();
        for (int i = 1; i < args.length && shown.length() < 128; i++) {
            String arg = truncate(args[i], 128 - shown.length());
            shown.append('\'').append(arg).append("' ");
        }
        return Errors.err("unknown command '" + truncate(args[0]) + "', with args beginning with: " + shown);
    }

    private static String truncate(byte[] word) {
        return truncate(word, 128);
    }

    /** At most {@code max} bytes of {@code word}, cut at a NUL as Redis's %.*s formatting cuts it. */
    private static String truncate(byte[] word, int max) {
        int length = 0;
        while (length < word.length && length < max && word[length] != 0) {
            length++;
        }
        return new String(word, 0, length, StandardCharsets.ISO_8859_1);
    }
}
