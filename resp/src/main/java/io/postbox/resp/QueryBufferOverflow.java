package io.postbox.resp;

/** A client sent more unparsed input than {@code client-query-buffer-limit}; it is closed without a reply. */
public record QueryBufferOverflow(long bytes) {
}
