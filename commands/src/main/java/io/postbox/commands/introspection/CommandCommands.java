package io.postbox.commands.introspection;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import java.util.List;

/** COMMAND and its subcommands, all derived from the command table. */
public final class CommandCommands implements CommandGroup {

    @Override
    public List<Command> commands() {
        return List.of();
    }
}
