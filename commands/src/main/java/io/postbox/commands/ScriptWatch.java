package io.postbox.commands;

import java.util.function.BooleanSupplier;

/**
 * The server's watch over a running script. Scripts run on the executor, so a long one holds every
 * other client; past {@code busy-reply-threshold} the server starts serving them again, answering
 * -BUSY to all but the commands flagged {@code allow_busy} (SCRIPT KILL, FUNCTION KILL, SHUTDOWN
 * NOSAVE...), until the script ends or is killed. The scripting engine reports to this watch; the
 * server implements it.
 */
public interface ScriptWatch {

    /** A script starts on the executor: an EVAL-family script, or a function when {@code function}. */
    void started(boolean function);

    /**
     * Called every so many Lua instructions by the running script, on the thread running it.
     *
     * @throws Abandoned when the server stopped (SHUTDOWN NOSAVE) while the script ran: the script
     *     must end at once, and every later call throws again
     */
    void running();

    /** The script returned, failed or was killed. */
    void ended();

    /** True from busy-reply-threshold after a script started until it ends. */
    boolean busy();

    /** Whether the running script is a function (its -BUSY text names FUNCTION KILL, not SCRIPT KILL). */
    boolean function();

    /**
     * True on the thread that serves the other clients while a busy script holds the executor: code
     * there must not touch what the script may touch (keyspace, statistics, client registry...) and
     * hands such work to {@link #defer}.
     */
    default boolean standingIn() {
        return false;
    }

    /** Runs {@code task} on the executor once the busy script has ended (at once when not standing in). */
    default void defer(Runnable task) {
        task.run();
    }

    /**
     * Script's thread, in a debugging session (SCRIPT DEBUG SYNC) of {@code client}'s script: from now
     * until the script ends the server serves the other clients as under a busy script, and keeps what
     * {@code client} sends for {@link #nextDebugRequest}. Later calls do nothing.
     */
    default void debugging(Client client) {
    }

    /**
     * Script's thread, in a debugging session: sends what was written for clients, then waits for the
     * debugging client's next request (empty if it was malformed). Null once the client has gone, or
     * as soon as {@code giveUp} says so; with no server watching, at once.
     *
     * @throws Abandoned when the server stopped meanwhile
     */
    default byte[][] nextDebugRequest(BooleanSupplier giveUp) {
        return null;
    }

    /** The server stopped under a busy script, which must end without finishing. */
    final class Abandoned extends RuntimeException {
        public Abandoned() {
            super("the server is shutting down", null, false, false);
        }
    }

    /** No server watching (unit tests): a script holds the executor until it ends. */
    ScriptWatch UNWATCHED = new ScriptWatch() {
        private boolean function;

        @Override
        public void started(boolean function) {
            this.function = function;
        }

        @Override
        public void running() {
        }

        @Override
        public void ended() {
        }

        @Override
        public boolean busy() {
            return false;
        }

        @Override
        public boolean function() {
            return function;
        }
    };
}
