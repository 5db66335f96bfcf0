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

    public ErrorReply(String text) {
        super(text, null, false, false);
        this.text = text;
    }

    /** The whole reply text, error code first. */
    public String text() {
        return text;
    }

    /** The error code: the first word ({@code ERR}, {@code WRONGTYPE}, ...), as INFO errorstats counts it. */
    public String code() {
        int space = text.indexOf(' ');
        return space < 0 ? text : text.substring(0, space);
    }
}
