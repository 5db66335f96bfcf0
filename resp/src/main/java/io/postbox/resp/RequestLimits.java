package io.postbox.resp;

/** The per-connection limits the request decoder enforces, read live so CONFIG SET applies at once. */
public interface RequestLimits {

    /** {@code proto-max-bulk-len}: the largest bulk argument accepted. */
    long maxBulkLength();

    /** {@code client-query-buffer-limit}: unparsed input beyond this closes the connection. */
    long maxQueryBuffer();

    /** Unauthenticated clients may only send small requests (10 arguments, 16 KiB bulks), as in Redis. */
    boolean authenticated();
}
