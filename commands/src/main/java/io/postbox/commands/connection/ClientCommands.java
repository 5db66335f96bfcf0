package io.postbox.commands.connection;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import java.util.ArrayList;
import java.util.List;

/**
 * CLIENT and the commands that change a connection's session: HELLO, AUTH, QUIT, RESET. DEBUG is
 * registered here too: its one substantial subcommand, SLEEP, is a server-wide {@link ClientPause}.
 */
public final class ClientCommands implements CommandGroup {

    @Override
    public List<Command> commands() {
        List<Command> commands = new ArrayList<>();
        commands.add(ClientCommand.command());
        commands.addAll(SessionCommands.commands());
        commands.add(DebugCommand.command());
        return commands;
    }
}
