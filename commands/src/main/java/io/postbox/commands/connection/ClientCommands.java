package io.postbox.commands.connection;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import java.util.List;

/** CLIENT and the commands that change a connection's session: HELLO, AUTH, QUIT, RESET. */
public final class ClientCommands implements CommandGroup {

    @Override
    public List<Command> commands() {
        return List.of();
    }
}
