package io.postbox.commands.blocking;

/** One blocked client's place in the queue of one key: a node of {@link KeyWaiters}' linked list. */
final class Waiter {

    final BlockedCall wait;
    final KeyWaiters queue;
    Waiter previous;
    Waiter next;

    Waiter(BlockedCall wait, KeyWaiters queue) {
        this.wait = wait;
        this.queue = queue;
    }
}
