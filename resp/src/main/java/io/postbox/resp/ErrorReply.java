package io.postbox.resp;

/**
 * An error reply as a value: the full text a client sees after the '-', such as
 * {@code "ERR syntax error"} or {@code "WRONGTYPE Operation against a key holding the wrong kind of value"}.
 *
 * <p>Handlers throw it to abandon a command; the executor catches it and renders it through
 * {@link Reply#error(ErrorReply)}. It carries no stack trace: it is control flow, not a bug report.
 */
public final class ErrorReply extends RuntimeException {

    private final String text;
    private final boolean counted;

    public ErrorReply(String text) {
        this(text, false);
    }

    private ErrorReply(String text, boolean counted) {
        super(text, null, false, false);
        this.text = text;
        this.counted = counted;
    }

    /**
     * The same error, marked as already counted in INFO errorstats: a script passing on the error reply
     * of a command it ran (counted when that command failed), as Redis does not count it twice.
     */
    public ErrorReply counted() {
        return new ErrorReply(text, true);
    }

    /** Whether INFO errorstats already counted this error (see {@link #counted()}). */
    public boolean alreadyCounted() {
        return counted;
    }

    /** The whole reply text, error code first. */
    public String text() {
        return text;
    }

    /**
     * The error code INFO errorstats counts it by, as Redis finds it: the first word ({@code ERR},
     * {@code WRONGTYPE}, ...) if a space ends it within the reply's first 32 characters (its '-'
     * included), else {@code ERR}.
     */
    public String code() {
        int space = text.indexOf(' ');
        return space >= 0 && space < 31 ? text.substring(0, space) : "ERR";
    }
}
