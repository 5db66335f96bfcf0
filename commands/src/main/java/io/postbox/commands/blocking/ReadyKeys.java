package io.postbox.commands.blocking;

import java.util.ArrayList;
import java.util.List;

/**
 * Keys with waiters that changed since they were last served, in the order they changed, across all
 * databases: Redis's {@code server.ready_keys}. {@link BlockedClients#serveReadyKeys()} empties it.
 */
public final class ReadyKeys {

    private final List<KeyWaiters> keys = new ArrayList<>();

    void add(KeyWaiters waiters) {
        keys.add(waiters);
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    int size() {
        return keys.size();
    }

    /** The {@code index}th key listed; keys listed while the list is being served come after the others. */
    KeyWaiters get(int index) {
        return keys.get(index);
    }

    void clear() {
        keys.clear();
    }
}
