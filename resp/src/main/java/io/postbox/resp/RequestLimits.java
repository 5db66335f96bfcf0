package io.postbox.resp;

/** The per-connection limits the request decoder enforces, read live so CONFIG SET applies at once. */
public interface RequestLimits {

    /** {@code proto-max-bulk-len}: the largest bulk argument accepted. */
    long maxBulkLength();

    /**
     * {@code client-query-buffer-limit}: input not run yet beyond this closes the connection; that is
     * the request being received plus {@link #heldBytes()}.
     */
    long maxQueryBuffer();

    /**
     * Requests decoded already but held back, not run yet (behind a blocking command or a pause): Redis
     * keeps them in the query buffer, unparsed, so they count toward its limit.
     */
    long heldBytes();

    /** Unauthenticated clients may only send small requests (10 arguments, 16 KiB bulks), as in Redis. */
    boolean authenticated();
}
