package io.postbox.commands;

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

    /** Called every so many Lua instructions by the running script, on the thread running it. */
    void running();

    /** The script returned, failed or was killed. */
    void ended();

    /** True from busy-reply-threshold after a script started until it ends. */
    boolean busy();

    /** Whether the running script is a function (its -BUSY text names FUNCTION KILL, not SCRIPT KILL). */
    boolean function();

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
