package io.postbox.commands.blocking;

import io.postbox.commands.keyspace.Dict;

/**
 * The clients blocked on one key of one database, longest-waiting first, as a doubly linked list of
 * {@link Waiter}s: a client joins at the end and leaves from anywhere in O(1). The queue leaves its
 * {@link BlockedKeys} when its last waiter leaves.
 */
final class KeyWaiters extends Dict.Entry {

    final BlockedKeys keys;
    Waiter first;
    Waiter last;
    /** True while this key is listed in {@link ReadyKeys}, so it is listed once however often it changes. */
    boolean ready;

    KeyWaiters(BlockedKeys keys, byte[] key, int hash) {
        super(key, hash);
        this.keys = keys;
    }

    Waiter append(BlockedCall wait) {
        Waiter waiter = new Waiter(wait, this);
        waiter.previous = last;
        if (last == null) {
            first = waiter;
        } else {
            last.next = waiter;
        }
        last = waiter;
        return waiter;
    }

    void unlink(Waiter waiter) {
        if (waiter.previous == null) {
            first = waiter.next;
        } else {
            waiter.previous.next = waiter.next;
        }
        if (waiter.next == null) {
            last = waiter.previous;
        } else {
            waiter.next.previous = waiter.previous;
        }
        if (first == null) {
            keys.remove(this);
        }
    }
}
