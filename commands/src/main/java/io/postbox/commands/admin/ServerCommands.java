package io.postbox.commands.admin;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import java.util.List;

/** Server administration: INFO, TIME, SHUTDOWN, SLOWLOG, WAIT, DEBUG. */
public final class ServerCommands implements CommandGroup {

    @Override
    public List<Command> commands() {
        return List.of();
    }
}
