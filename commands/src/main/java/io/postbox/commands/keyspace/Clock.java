package io.postbox.commands.keyspace;

/** Command time: one Unix-millisecond instant per command, so a command sees one consistent "now". */
public interface Clock {

    long now();
}
