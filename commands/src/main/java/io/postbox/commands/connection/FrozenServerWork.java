package io.postbox.commands.connection;

import io.postbox.commands.Client;
import io.postbox.commands.Invocation;
import io.postbox.resp.ErrorReply;
import java.util.function.Consumer;

/**
 * Work that Redis does while its only thread is busy (SAVE, DEBUG RELOAD, FLUSHALL's save): every
 * client is frozen, as by DEBUG SLEEP, until the work reports that it is done; then the caller gets its
 * reply, before the others resume. The call lasts until then ({@link Invocation#outlastHandler}).
 */
public final class FrozenServerWork {

    private FrozenServerWork() {
    }

    /**
     * Freezes the server for {@code purpose} and starts {@code work}, which calls its argument on the
     * executor when done, with null (OK is replied) or the error to reply. If {@code work} throws
     * instead, having started nothing, the server is thawed and the error goes to the caller.
     */
    public static void run(Invocation call, ClientPause.Purpose purpose, Consumer<Consumer<ErrorReply>> work) {
        run(call, purpose, work, call.outlastHandler());
    }

    private static void run(Invocation call, ClientPause.Purpose purpose, Consumer<Consumer<ErrorReply>> work,
                            Invocation.End end) {
        Client client = call.client();
        ClientPause pause = call.engine().pause();
        // The reply is written when the work ends; whether it is suppressed is decided now.
        boolean silent = client.replyMode() != Client.ReplyMode.ON;
        pause.freeze(purpose);
        try {
            work.accept(error -> {
                if (!silent) {
                    if (error == null) {
                        client.reply().ok();
                    } else {
                        call.engine().stats().error(error.code());
                        client.reply().error(error);
                    }
                }
                end.ended(error != null);
                pause.thaw(purpose);
            });
        } catch (ErrorReply refused) {
            pause.thaw(purpose);
            throw refused;
        }
    }

    /**
     * As {@link #run}, for work that cannot fail (it runs its argument when done) and a command that
     * replies OK. Inside EXEC or a script, whose replies keep their order, OK takes its place at once
     * and the server is held until the work is done all the same.
     */
    public static void runInfallible(Invocation call, ClientPause.Purpose purpose, Consumer<Runnable> work) {
        if (!call.client().denyBlocking()) {
            // Accounted for when the handler returns (FLUSHALL): Redis accounts for it before it serves
            // the clients its flush unblocked, which Postbox serves before the work is done.
            run(call, purpose, done -> work.accept(() -> done.accept(null)), failed -> { });
            return;
        }
        call.reply().ok();
        ClientPause pause = call.engine().pause();
        pause.freeze(purpose);
        work.accept(() -> pause.thaw(purpose));
    }
}
