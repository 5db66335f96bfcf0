package io.postbox.commands.keyspace;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import java.util.ArrayList;
import java.util.List;

/** Generic key commands: existence, deletion, renaming, expiry, iteration, databases, introspection. */
public final class KeyspaceCommands implements CommandGroup {

    @Override
    public List<Command> commands() {
        List<Command> all = new ArrayList<>();
        all.addAll(KeyCommands.commands());
        all.addAll(ExpireCommands.commands());
        all.addAll(DumpCommands.commands());
        all.add(MigrateCommand.command());
        all.addAll(IterationCommands.commands());
        all.addAll(DatabaseCommands.commands());
        all.add(ObjectCommand.command());
        all.add(MemoryCommand.command());
        return all;
    }
}
