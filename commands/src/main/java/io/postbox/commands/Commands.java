package io.postbox.commands;

import io.postbox.commands.connection.ConnectionCommands;
import io.postbox.commands.strings.StringCommands;
import java.util.List;

/** Every command group the server registers. A new group is added here, and only here. */
public final class Commands {

    private Commands() {
    }

    public static List<CommandGroup> groups() {
        return List.of(
                new ConnectionCommands(),
                new StringCommands());
    }
}
