package io.postbox.commands.admin;

import io.postbox.commands.Command;
import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.connection.ClientPause;
import io.postbox.commands.connection.FrozenServerWork;
import java.util.List;

/**
 * SAVE, BGSAVE and BGREWRITEAOF: the commands that start writing the dataset to disk. The work itself
 * is the engine's {@link Durability}; these parse, start it and reply.
 */
final class SaveCommands {

    private SaveCommands() {
    }

    static List<Command> commands() {
        return List.of(
                Command.builder("save").arity(1).flags("admin noscript no_async_loading no_multi").group("server")
                        .summary("Writes a snapshot of the dataset to disk while every client waits.").since("1.0.0")
                        .complexity("O(N) where N is the total number of keys in all databases")
                        .handler(SaveCommands::save).build(),
                Command.builder("bgsave").arity(-1).flags("admin noscript no_async_loading").group("server")
                        .summary("Writes a snapshot of the dataset to disk in the background.").since("1.0.0")
                        .complexity("O(1)").syntax("[SCHEDULE]")
                        .history("3.2.2", "Takes the `SCHEDULE` option.")
                        .handler(SaveCommands::bgsave).build(),
                Command.builder("bgrewriteaof").arity(1).flags("admin noscript no_async_loading").group("server")
                        .summary("Rewrites the append-only file from the dataset, in the background.").since("1.0.0")
                        .complexity("O(1)")
                        .handler(call -> call.reply().simple(call.engine().durability().rewriteAppendOnlyFile()))
                        .build());
    }

    /**
     * Redis's SAVE blocks the whole server until the file is on disk. Postbox keeps the executor free:
     * every client is frozen while the snapshot is written, and this one's reply comes before the
     * others resume.
     */
    static void save(Invocation call) {
        FrozenServerWork.run(call, ClientPause.Purpose.SAVE, done -> call.engine().durability().save(done));
    }

    static void bgsave(Invocation call) {
        boolean schedule = false;
        if (call.argc() > 1) {
            if (call.argc() == 2 && call.argIs(1, "schedule")) {
                schedule = true;
            } else {
                throw Errors.SYNTAX;
            }
        }
        call.reply().simple(call.engine().durability().backgroundSave(schedule));
    }
}
