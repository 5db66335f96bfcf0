package io.postbox.persistence.rdb;

import io.postbox.persistence.OwnThreadPriority;
import java.util.concurrent.ThreadFactory;

/**
 * Threads for work that may use only CPU nobody else wants: before running anything, each thread puts
 * itself in Linux's SCHED_IDLE scheduling class, so that any other thread that becomes runnable (the
 * executor, a client, another process) takes its core at once, and it runs only on a core that would
 * otherwise idle ({@link OwnThreadPriority#lowerToIdle}).
 * A thread that cannot lower itself (no {@code chrt}, not Linux) ends at once without running its work,
 * so tasks handed to its executor may never run: give it only work that someone else does anyway when
 * nobody has taken it ({@link NodeStretches} in a background save).
 */
final class IdleCoreThreads implements ThreadFactory {

    private final String name;

    IdleCoreThreads(String name) {
        this.name = name;
    }

    @Override
    public Thread newThread(Runnable work) {
        Thread thread = new Thread(() -> {
            if (OwnThreadPriority.lowerToIdle()) {
                work.run();
            }
        }, name);
        thread.setDaemon(true);
        return thread;
    }
}
