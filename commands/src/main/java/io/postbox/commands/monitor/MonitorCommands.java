package io.postbox.commands.monitor;

import io.postbox.commands.Client;
import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.resp.ErrorReply;
import java.util.List;

/**
 * MONITOR: the connection receives every command the server runs from then on ({@link Monitors}).
 * A monitor may still PING and such, but not touch the keyspace (the dispatcher refuses it, as Redis
 * refuses replicas, which monitors count as); RESET ends the mode.
 */
public final class MonitorCommands implements CommandGroup {

    private static final ErrorReply DENY_BLOCKING = Errors.err("MONITOR isn't allowed for DENY BLOCKING client");

    @Override
    public List<Command> commands() {
        return List.of(Command.builder("monitor").arity(1).flags("admin noscript loading stale").group("server")
                .summary("Streams every command the server runs, as it runs it.").since("1.0.0").syntax("")
                .handler(MonitorCommands::monitor).build());
    }

    /** A second MONITOR is ignored without a reply, as in Redis; inside EXEC it is refused. */
    static void monitor(Invocation call) {
        Client client = call.client();
        if (client.denyBlocking()) {
            throw DENY_BLOCKING;
        }
        if (client.monitoring()) {
            return;
        }
        call.engine().monitors().add(client);
        call.reply().ok();
    }
}
