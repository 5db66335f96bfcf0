package io.postbox.commands;

import io.postbox.resp.ErrorReply;

/** Error replies shared by many commands, with Redis's exact texts. */
public final class Errors {

    public static final ErrorReply WRONGTYPE =
            new ErrorReply("WRONGTYPE Operation against a key holding the wrong kind of value");
    public static final ErrorReply SYNTAX = new ErrorReply("ERR syntax error");
    public static final ErrorReply NOT_INTEGER = new ErrorReply("ERR value is not an integer or out of range");
    /** Redis's text when a string value would outgrow proto-max-bulk-len. */
    public static final ErrorReply STRING_TOO_LONG =
            new ErrorReply("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    public static final ErrorReply NOT_POSITIVE = new ErrorReply("ERR value is out of range, must be positive");
    public static final ErrorReply NOT_FLOAT = new ErrorReply("ERR value is not a valid float");
    public static final ErrorReply NO_SUCH_KEY = new ErrorReply("ERR no such key");
    public static final ErrorReply OVERFLOW = new ErrorReply("ERR increment or decrement would overflow");
    public static final ErrorReply DB_INDEX_OUT_OF_RANGE = new ErrorReply("ERR DB index is out of range");
    public static final ErrorReply NOAUTH = new ErrorReply("NOAUTH Authentication required.");

    public static final ErrorReply LOADING = new ErrorReply("LOADING Redis is loading the dataset in memory");
    public static final ErrorReply OOM = new ErrorReply("OOM command not allowed when used memory > 'maxmemory'.");
    public static final ErrorReply NOREPLICAS = new ErrorReply("NOREPLICAS Not enough good replicas to write.");
    public static final ErrorReply READONLY_REPLICA =
            new ErrorReply("READONLY You can't write against a read only replica.");
    public static final ErrorReply MASTERDOWN = new ErrorReply(
            "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.");

    public static final ErrorReply BUSY_SCRIPT = new ErrorReply(
            "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");
    public static final ErrorReply BUSY_FUNCTION = new ErrorReply(
            "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.");

    private Errors() {
    }

    public static ErrorReply wrongArity(Command command) {
        return new ErrorReply("ERR wrong number of arguments for '" + command.fullName() + "' command");
    }

    /** What a client gets while a script or function runs past busy-reply-threshold. */
    public static ErrorReply busy(ScriptWatch watch) {
        return watch.function() ? BUSY_FUNCTION : BUSY_SCRIPT;
    }

    /** {@code ERR <message>}: the common case of {@code addReplyError}. */
    public static ErrorReply err(String message) {
        return new ErrorReply("ERR " + message);
    }
}
