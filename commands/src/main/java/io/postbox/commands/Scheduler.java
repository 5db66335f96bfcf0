package io.postbox.commands;

/**
 * Runs work later on the executor thread, for anything timed (pause ends, DEBUG SLEEP's reply, the
 * timeouts of blocked clients). The server provides it; commands never see Netty. Replies written by
 * a task are sent when it ends.
 */
@FunctionalInterface
public interface Scheduler {

    /** A task scheduled with {@link #timer}, which can still be called off. */
    @FunctionalInterface
    interface Timer {
        /** Calls the task off; does nothing if it has run already. */
        void cancel();
    }

    /** Runs {@code task} on the executor after {@code delayMillis}; 0 means once the current work is done. */
    void schedule(long delayMillis, Runnable task);

    /**
     * Runs {@code task} after {@code delayMillis} unless the returned timer is cancelled first: a timeout
     * that usually never fires. This default only skips a cancelled task once it comes due; the server's
     * scheduler drops it from its queue at once, so the timers of served clients do not pile up.
     */
    default Timer timer(long delayMillis, Runnable task) {
        boolean[] cancelled = {false};
        schedule(delayMillis, () -> {
            if (!cancelled[0]) {
                task.run();
            }
        });
        return () -> cancelled[0] = true;
    }

    /**
     * Runs {@code task} on the executor once the connections' pending input and output have been
     * served: how long background work (a snapshot) yields between its slices.
     */
    default void afterIo(Runnable task) {
        schedule(0, task);
    }
}
