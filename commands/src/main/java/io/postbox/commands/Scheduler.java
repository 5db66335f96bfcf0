package io.postbox.commands;

/**
 * Runs work later on the executor thread, for anything timed (pause ends, DEBUG SLEEP's reply).
 * The server provides it; commands never see Netty. Replies written by a task are sent when it ends.
 */
@FunctionalInterface
public interface Scheduler {

    /** Runs {@code task} on the executor after {@code delayMillis}; 0 means once the current work is done. */
    void schedule(long delayMillis, Runnable task);

    /**
     * Runs {@code task} on the executor once the connections' pending input and output have been
     * served: how long background work (a snapshot) yields between its slices.
     */
    default void afterIo(Runnable task) {
        schedule(0, task);
    }
}
