package io.postbox.resp;

/**
 * The request stream broke the protocol. The connection answers {@code -ERR <message>} after the
 * replies to the commands that came before, then closes; nothing after the fault is read.
 *
 * @param reason what was wrong, such as {@code "invalid bulk length"}
 */
public record ProtocolError(String reason) {

    /** The error text after "ERR ", as Redis words it: {@code "Protocol error: invalid bulk length"}. */
    public String message() {
        return "Protocol error: " + reason;
    }
}
