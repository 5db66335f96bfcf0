package io.postbox.commands.keyspace;

/** A key with a time to live, in a database's expires dict; it shares the key bytes of its {@link KeyEntry}. */
final class ExpireEntry extends Dict.Entry {

    /** Unix time in milliseconds at which the key expires. */
    long when;

    ExpireEntry(byte[] key, int hash, long when) {
        super(key, hash);
        this.when = when;
    }
}
