package io.postbox.commands;

/**
 * Where the dispatcher reports every write that changed the dataset, after it ran: the append-only
 * file. The persistence module implements it; an engine without one logs nothing.
 *
 * <p>Executor thread only.
 */
@FunctionalInterface
public interface CommandLog {

    /**
     * {@code call} (a command flagged write) finished without an error and changed keys. What to log is
     * {@link Invocation#propagation()} if the handler set one, else the call's own arguments.
     */
    void written(Invocation call);

    CommandLog NONE = call -> { };
}
