package io.postbox.server;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.Invocation;
import io.postbox.commands.ScriptWatch;
import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in for a Lua script, for tests of the server's side of a busy script: {@code LONGSCRIPT
 * <millis> [key] [channel]} reports to the {@link ScriptWatch} as a script does, spinning for that long;
 * it first sets {@code key} to "written" and publishes "tick" to {@code channel} every 50 ms.
 */
final class LongScript implements CommandGroup {

    /** Counted down when SHUTDOWN NOSAVE abandons a running LONGSCRIPT. */
    static volatile CountDownLatch abandoned = new CountDownLatch(1);

    @Override
    public List<Command> commands() {
        return List.of(Command.builder("longscript").arity(-2).flags("noscript").acl("@scripting")
                .group("scripting").summary("Spins like a long script (tests only).").since("0.1.0")
                .complexity("O(1)").syntax("millis [key] [channel]").runsScript()
                .handler(LongScript::run).build());
    }

    private static void run(Invocation call) {
        long millis = call.longArg(1);
        ScriptWatch watch = call.engine().scriptWatch();
        watch.started(false);
        try {
            if (call.argc() > 2) {
                call.db().set(call.arg(2), "written".getBytes(StandardCharsets.ISO_8859_1));
            }
            long deadline = System.nanoTime() + millis * 1_000_000;
            long nextTick = 0;
            while (System.nanoTime() < deadline) {
                watch.running();
                if (call.argc() > 3 && System.nanoTime() >= nextTick) {
                    call.engine().pubsub().publish(call.arg(3), "tick".getBytes(StandardCharsets.ISO_8859_1));
                    nextTick = System.nanoTime() + 50_000_000;
                }
                Thread.onSpinWait();
            }
        } catch (ScriptWatch.Abandoned e) {
            abandoned.countDown();
            throw new ErrorReply("ERR abandoned");
        } finally {
            watch.ended();
        }
        call.reply().ok();
    }
}
