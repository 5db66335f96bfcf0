package io.postbox.commands.connection;

import io.postbox.commands.Client;
import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.Scheduler;
import io.postbox.resp.ErrorReply;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Work that Redis does while its only thread is busy (SAVE, DEBUG RELOAD, FLUSHALL's save, PFSELFTEST,
 * MIGRATE): every client is frozen, as by DEBUG SLEEP, until the work reports that it is done; then the
 * caller gets its reply, before the others resume. The call lasts until then
 * ({@link Invocation#outlastHandler}). The executor stays free meanwhile: the work runs elsewhere.
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

    /**
     * As {@link #run}, for work that blocks (network I/O, seconds of CPU): {@code work} runs on a thread
     * of its own named {@code thread}, then {@code finish} on the executor with its result, returning
     * the error to reply or null for OK. An exception {@code work} throws is replied as an error, so the
     * server is never left frozen.
     */
    public static <R> void runOnThread(Invocation call, ClientPause.Purpose purpose, String thread, Supplier<R> work,
                                       Function<R, ErrorReply> finish) {
        Scheduler scheduler = call.engine().scheduler();
        run(call, purpose, done -> {
            Thread worker = new Thread(() -> {
                Runnable report;
                try {
                    R result = work.get();
                    report = () -> done.accept(finish.apply(result));
                } catch (RuntimeException bug) {
                    report = () -> done.accept(Errors.err(bug.toString()));
                }
                scheduler.schedule(0, report);
            }, thread);
            worker.setDaemon(true);
            worker.start();
        });
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
