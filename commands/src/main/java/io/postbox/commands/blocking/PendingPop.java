package io.postbox.commands.blocking;

import io.postbox.commands.Errors;
import io.postbox.commands.keyspace.Database;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;
import java.util.Collections;
import java.util.List;

/**
 * What a blocking command does with a key that has data: the pop of its non-blocking twin (LPOP,
 * LMPOP, LMOVE, ZPOPMIN...), run when the command is issued and again when a key it waits on becomes
 * ready. The type decides who is served: a key that holds another type leaves the client waiting, as in
 * Redis 7.0.
 */
public interface PendingPop {

    /** Whether this pop takes from {@code value}, a key's current value. */
    boolean accepts(Object value);

    /**
     * Whether this pop takes from {@code value}, the current value of {@code key}: for waits whose
     * condition differs per key (XREAD's IDs). By default, {@link #accepts(Object)}.
     */
    default boolean accepts(byte[] key, Object value) {
        return accepts(value);
    }

    /**
     * The error that ends the wait when the key is gone ({@code value} null) or holds a value this pop
     * does not take; null, the default, to keep waiting. XREADGROUP's readers learn that their stream
     * is gone, as in Redis 7.0.
     */
    default ErrorReply refusal(Object value) {
        return null;
    }

    /**
     * Pops from {@code key}, whose value {@code value} this pop {@link #accepts} (and which, like every
     * stored collection, is not empty), and writes the command's reply. Checks first and throws an
     * {@link io.postbox.resp.ErrorReply} before changing anything when it cannot pop (BLMOVE's
     * destination holds another type). {@code waited}: the client was blocked, and another client's
     * write gave the key data. Redis 7.0 counts no change for some pops served so (BLPOP, BLMOVE,
     * XREADGROUP's deliveries), where it counts one for the same pops made at once.
     */
    void serve(Database db, byte[] key, Object value, Reply reply, boolean waited);

    /** The non-blocking twin's reply when no key has data: what the command answers inside EXEC or a script. */
    void replyEmpty(Reply reply);

    /**
     * The non-blocking command whose effect is this pop's from {@code key}: what the append-only file
     * records for it (LPOP for BLPOP, LMOVE for BLMOVE, ZPOPMIN for BZPOPMIN...), as Redis propagates a
     * blocking pop, so replaying the log never blocks.
     */
    byte[][] effect(byte[] key);

    /**
     * Everything the append-only file records for the last {@link #serve} from {@code key}: by default
     * the one {@link #effect}; none for a read (XREAD), several for a group read (XREADGROUP's XCLAIMs).
     */
    default List<byte[][]> effects(byte[] key) {
        return Collections.singletonList(effect(key));
    }

    /**
     * Pops from the first of {@code keys} that holds a value, in argument order, replies, and returns
     * that key; null, having replied nothing, when none holds one. A key of another type met first is
     * WRONGTYPE.
     */
    default byte[] popFirst(Database db, List<byte[]> keys, Reply reply) {
        for (int i = 0; i < keys.size(); i++) {
            byte[] key = keys.get(i);
            Object value = db.getForWrite(key);
            if (value != null) {
                if (!accepts(value)) {
                    throw Errors.WRONGTYPE;
                }
                serve(db, key, value, reply, false);
                return key;
            }
        }
        return null;
    }
}
