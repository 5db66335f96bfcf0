package io.postbox.commands.config;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import java.util.List;

/** CONFIG GET, SET, RESETSTAT and REWRITE. */
public final class ConfigCommands implements CommandGroup {

    @Override
    public List<Command> commands() {
        return List.of();
    }
}
