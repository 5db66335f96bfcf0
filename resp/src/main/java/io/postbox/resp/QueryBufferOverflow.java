package io.postbox.resp;

/**
 * A client sent more unparsed input than {@code client-query-buffer-limit}; it is closed without a reply.
 *
 * @param bytes the partial request held when the limit was crossed (unparsed input, and the part of a
 *              big argument already received)
 * @param head  its first bytes (at most 64), which Redis logs to show what the client was sending
 */
public record QueryBufferOverflow(long bytes, byte[] head) {
}
