package io.postbox.commands.connection;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import java.util.List;

/** Connection commands: the ones a client sends to talk about its own connection. */
public final class ConnectionCommands implements CommandGroup {

    @Override
    public List<Command> commands() {
        return List.of(
                Command.builder("ping").arity(-1).flags("fast").acl("@connection").group("connection")
                        .summary("Returns the server's liveliness response.").since("1.0.0")
                        .complexity("O(1)").syntax("[message]")
                        .tips("request_policy:all_shards", "response_policy:all_succeeded")
                        .handler(ConnectionCommands::ping).build(),
                Command.builder("echo").arity(2).flags("loading stale fast").acl("@connection").group("connection")
                        .summary("Returns the given string.").since("1.0.0").complexity("O(1)")
                        .syntax("message")
                        .handler(ConnectionCommands::echo).build());
    }

    /** In RESP2 pub/sub mode the reply is {@code ["pong", message]}, an empty message without one. */
    static void ping(Invocation call) {
        if (call.argc() > 2) {
            throw Errors.wrongArity(call.command());
        }
        if (call.client().subscribed() && call.client().protocol() == 2) {
            call.reply().array(2);
            call.reply().bulk("pong");
            call.reply().bulk(call.argc() == 1 ? new byte[0] : call.arg(1));
        } else if (call.argc() == 1) {
            call.reply().simple("PONG");
        } else {
            call.reply().bulk(call.arg(1));
        }
    }

    static void echo(Invocation call) {
        call.reply().bulk(call.arg(1));
    }
}
