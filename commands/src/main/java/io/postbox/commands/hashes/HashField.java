package io.postbox.commands.hashes;

import io.postbox.commands.keyspace.Dict;

/** One field of a hash kept as a table, with its value; the field is the dict entry's key. */
final class HashField extends Dict.Entry {

    byte[] value;

    HashField(byte[] field, int hash, byte[] value) {
        super(field, hash);
        this.value = value;
    }
}
