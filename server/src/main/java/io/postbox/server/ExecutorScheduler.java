package io.postbox.server;

import io.netty.channel.EventLoop;
import io.postbox.commands.Scheduler;
import java.util.concurrent.TimeUnit;

/** Timers on the executor's event loop; the replies a task writes are flushed when it ends. */
final class ExecutorScheduler implements Scheduler {

    private final EventLoop executor;
    private final PendingWrites pendingWrites;

    ExecutorScheduler(EventLoop executor, PendingWrites pendingWrites) {
        this.executor = executor;
        this.pendingWrites = pendingWrites;
    }

    @Override
    public void schedule(long delayMillis, Runnable task) {
        Runnable thenFlush = () -> {
            task.run();
            pendingWrites.flushAll();
        };
        if (delayMillis <= 0) {
            executor.execute(thenFlush);
        } else {
            executor.schedule(thenFlush, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** A task scheduled from the event loop waits for the loop's next turn, after its I/O. */
    @Override
    public void afterIo(Runnable task) {
        executor.schedule(() -> {
            task.run();
            pendingWrites.flushAll();
        }, 0, TimeUnit.NANOSECONDS);
    }
}
