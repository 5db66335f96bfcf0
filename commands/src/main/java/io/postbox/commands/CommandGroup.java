package io.postbox.commands;

import java.util.List;

/** The commands of one family (strings, keyspace, connection, ...), registered together. */
public interface CommandGroup {

    List<Command> commands();
}
