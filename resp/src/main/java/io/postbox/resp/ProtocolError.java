package io.postbox.resp;

/**
 * The request stream broke the protocol. The connection answers {@code -ERR <message>} after the
 * replies to the commands that came before, then closes; nothing after the fault is read.
 */
public record ProtocolError(String message) {
}
