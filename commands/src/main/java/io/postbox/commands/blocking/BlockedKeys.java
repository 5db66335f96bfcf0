package io.postbox.commands.blocking;

import io.postbox.commands.keyspace.Database;
import io.postbox.commands.keyspace.Dict;

/**
 * The keys of one database that clients are blocked on, each with its queue of waiters. Every change
 * to a key of the database is {@link #signal}led here; a key with waiters is then listed in the
 * engine's {@link ReadyKeys}, to be served once the command has run. A database nobody waits on pays
 * one size check per change.
 *
 * <p>Belongs to a {@link Database} object, not to its contents: SWAPDB exchanges the keys while the
 * waiters stay with their database number, as clients do.
 */
public final class BlockedKeys {

    private final Database db;
    private final ReadyKeys ready;
    private final Dict<KeyWaiters> byKey = new Dict<>();

    public BlockedKeys(Database db, ReadyKeys ready) {
        this.db = db;
        this.ready = ready;
    }

    /** {@code key} changed: if clients wait on it, it is listed as ready (once until served). */
    public void signal(byte[] key) {
        if (byKey.size() == 0) {
            return;
        }
        KeyWaiters waiters = byKey.find(key);
        if (waiters != null) {
            markReady(waiters);
        }
    }

    /** Every key with waiters is listed as ready: the keyspace was swapped under them (SWAPDB). */
    public void signalAll() {
        byKey.forEach(this::markReady);
    }

    /** Keys that have clients waiting on them. */
    public int size() {
        return byKey.size();
    }

    Database db() {
        return db;
    }

    /** The queue of {@code key}, created empty if nobody waits on it yet. */
    KeyWaiters queueOf(byte[] key) {
        int hash = Dict.hash(key);
        KeyWaiters waiters = byKey.find(key, hash);
        if (waiters == null) {
            waiters = new KeyWaiters(this, key, hash);
            byKey.add(waiters);
        }
        return waiters;
    }

    /** Called by a queue that lost its last waiter. */
    void remove(KeyWaiters waiters) {
        byKey.remove(waiters.key(), waiters.hash());
    }

    private void markReady(KeyWaiters waiters) {
        if (!waiters.ready) {
            waiters.ready = true;
            ready.add(waiters);
        }
    }
}
