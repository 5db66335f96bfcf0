package io.postbox.commands.keyspace;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import java.util.List;

/** Generic key commands: existence, deletion, renaming, expiry, iteration, databases. */
public final class KeyspaceCommands implements CommandGroup {

    @Override
    public List<Command> commands() {
        return List.of();
    }
}
