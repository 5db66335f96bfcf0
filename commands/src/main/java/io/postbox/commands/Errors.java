package io.postbox.commands;

import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;

/** Error replies shared by many commands, with Redis's exact texts. */
public final class Errors {

    public static final ErrorReply WRONGTYPE =
            new ErrorReply("WRONGTYPE Operation against a key holding the wrong kind of value");
    public static final ErrorReply SYNTAX = new ErrorReply("ERR syntax error");
    public static final ErrorReply NOT_INTEGER = new ErrorReply("ERR value is not an integer or out of range");
    public static final ErrorReply NOT_FLOAT = new ErrorReply("ERR value is not a valid float");
    public static final ErrorReply NO_SUCH_KEY = new ErrorReply("ERR no such key");
    public static final ErrorReply OVERFLOW = new ErrorReply("ERR increment or decrement would overflow");
    public static final ErrorReply DB_INDEX_OUT_OF_RANGE = new ErrorReply("ERR DB index is out of range");
    public static final ErrorReply NOAUTH = new ErrorReply("NOAUTH Authentication required.");

    private Errors() {
    }

    public static ErrorReply wrongArity(Command command) {
        return new ErrorReply("ERR wrong number of arguments for '" + command.fullName() + "' command");
    }

    /**
     * A container's reply to a subcommand it does not know or got with the wrong number of arguments,
     * when the container checks that itself: {@code DEBUG FOO}, {@code CLIENT PAUSE 1 ALL extra}.
     */
    public static ErrorReply subcommandSyntax(byte[] container, byte[] subcommand) {
        String sub = new String(subcommand, StandardCharsets.ISO_8859_1);
        return err("unknown subcommand or wrong number of arguments for '"
                + (sub.length() > 128 ? sub.substring(0, 128) : sub) + "'. Try "
                + Ascii.toUpperCase(container)
                + " HELP.");
    }

    /** {@code ERR <message>}: the common case of {@code addReplyError}. */
    public static ErrorReply err(String message) {
        return new ErrorReply("ERR " + message);
    }
}
