package io.postbox.server;

import io.netty.buffer.ByteBuf;
import io.postbox.persistence.aof.AppendOnlyFile;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * No reply leaves before the writes that preceded it are in the append-only file: written to the
 * kernel, and with {@code appendfsync always} fsynced. Replies flushed while a batch is not there yet
 * wait here, in order, and go out when the AOF writer reports their batch (group commit: one write or
 * fsync releases every client whose writes were in it). Replies of other clients wait too, so no
 * client sees data that a crash could still take back, as in Redis, which writes (and with always,
 * fsyncs) the AOF before it writes any reply of an event-loop turn.
 *
 * <p>The loop's owner only. While a script is busy that is the standby thread, and the append-only
 * file belongs to the script's thread: replies sent then (-BUSY, SCRIPT KILL) follow no write of
 * theirs, so they go out at once, or behind replies already waiting.
 */
final class ReplyBarrier {

    /**
     * What waits for batch {@code batch} to be durable: replies to send on a connection, or (with no
     * connection) an action that must follow the replies before it.
     */
    private record Held(ClientConnection connection, ByteBuf replies, boolean close, Runnable action, long batch) {

        void release() {
            if (connection == null) {
                action.run();
            } else {
                connection.send(replies, close);
            }
        }
    }

    private final Supplier<AppendOnlyFile> appendOnly;
    private final BooleanSupplier standingIn;
    private final ArrayDeque<Held> held = new ArrayDeque<>();

    /** @param standingIn whether the calling thread stands in for the executor during a busy script */
    ReplyBarrier(Supplier<AppendOnlyFile> appendOnly, BooleanSupplier standingIn) {
        this.appendOnly = appendOnly;
        this.standingIn = standingIn;
    }

    /** Hands the writes of the work just done to the append-only file, if it is on. */
    void submit() {
        if (standingIn.getAsBoolean()) {
            return;
        }
        AppendOnlyFile file = appendOnly.get();
        if (file != null) {
            file.submit();
        }
    }

    /** Sends {@code replies} on {@code connection} now, or once the writes before them are durable. */
    void send(ClientConnection connection, ByteBuf replies, boolean close) {
        if (standingIn.getAsBoolean()) {
            if (held.isEmpty()) {
                connection.send(replies, close);
            } else {
                held.add(new Held(connection, replies, close, null, held.peekLast().batch()));
            }
            return;
        }
        AppendOnlyFile file = appendOnly.get();
        long batch = file == null ? 0 : file.submit();
        boolean wait = !held.isEmpty() || (file != null && batch > file.durable());
        if (wait) {
            held.add(new Held(connection, replies, close, null, batch));
        } else {
            connection.send(replies, close);
        }
    }

    /**
     * Runs {@code action} once every reply sent so far has gone out: now, or after the last one held.
     * For output that must follow the replies but does not go through {@link #send} (a sync's payload).
     */
    void afterSent(Runnable action) {
        if (held.isEmpty()) {
            action.run();
        } else {
            held.add(new Held(null, null, false, action, held.peekLast().batch()));
        }
    }

    /** The append-only file has every batch up to {@code batch} on disk (or was closed: everything). */
    void durable(long batch) {
        while (!held.isEmpty() && held.peek().batch() <= batch) {
            held.poll().release();
        }
    }
}
