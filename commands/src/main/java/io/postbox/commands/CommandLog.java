package io.postbox.commands;

import io.postbox.commands.keyspace.Database;

/**
 * Where the dispatcher reports every write that changed the dataset, after it ran: the append-only
 * file. The persistence module implements it; an engine without one logs nothing.
 *
 * <p>Executor thread only.
 */
public interface CommandLog {

    /**
     * {@code call} (a command flagged write) finished without an error and changed keys. What to log is
     * {@link Invocation#propagation()} if the handler set one, else the call's own arguments.
     */
    void written(Invocation call);

    /**
     * A change made outside any command of the client it concerns, recorded as {@code command} run on
     * {@code db}: a pop served to a client that was blocked, when another client's write gave the key data.
     */
    void written(Database db, byte[][] command);

    CommandLog NONE = new CommandLog() {
        @Override
        public void written(Invocation call) {
        }

        @Override
        public void written(Database db, byte[][] command) {
        }
    };
}
