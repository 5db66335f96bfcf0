package io.postbox.commands;

import io.postbox.resp.ErrorReply;

/**
 * What a client blocked in a blocking command (BLPOP, BLMOVE, ...) is waiting for, as CLIENT UNBLOCK
 * and CLIENT LIST see it. The blocking machinery sets it with {@link Client#blockedOn(BlockedOperation)}
 * when a client starts waiting and clears it when the wait ends; {@link Clients#remove} abandons the
 * wait of a client that leaves.
 */
public interface BlockedOperation {

    /** Ends the wait as its timeout would, with the command's timeout reply (CLIENT UNBLOCK id TIMEOUT). */
    void timeOut();

    /** Ends the wait with {@code error} as the command's reply (CLIENT UNBLOCK id ERROR). */
    void fail(ErrorReply error);

    /** Ends the wait without a reply, leaving no trace: the client has disconnected. */
    void abandon();

    /**
     * The blocking command's own run took {@code nanos} before it blocked. As in Redis, the call reaches
     * the slow log and the latency histogram only when it is served or unblocked, with that time added.
     */
    void ranBeforeBlocking(long nanos);

    /** The lengths of the blocking command's arguments, which the waiting client keeps (CLIENT LIST's argv-mem). */
    long argumentBytes();
}
