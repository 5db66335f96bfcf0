package io.postbox.commands.sets;

import io.postbox.commands.keyspace.Dict;

/** One member of a set kept as a table: the member is the dict entry's key, and that is all. */
final class SetMember extends Dict.Entry {

    SetMember(byte[] member, int hash) {
        super(member, hash);
    }
}
