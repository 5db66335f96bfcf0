package io.postbox.commands.keyspace;

/**
 * A key of a database and its value. {@code access} is the key's access clock: seconds of the last
 * access (LRU), or the LFU word (minutes of the last decrement, counter), as {@link AccessTracking}
 * keeps it, like the {@code lru} field of a Redis object.
 */
final class KeyEntry extends Dict.Entry {

    Object value;
    int access;

    KeyEntry(byte[] key, int hash, Object value, int access) {
        super(key, hash);
        this.value = value;
        this.access = access;
    }
}
