package io.postbox.server;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
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
        if (delayMillis <= 0) {
            executor.execute(thenFlush(task));
        } else {
            executor.schedule(thenFlush(task), delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Cancelling on the event loop removes the task from the loop's timer queue (O(log n)). */
    @Override
    public Timer timer(long delayMillis, Runnable task) {
        ScheduledFuture<?> future = executor.schedule(thenFlush(task), delayMillis, TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }

    private Runnable thenFlush(Runnable task) {
        return () -> {
            task.run();
            pendingWrites.flushAll();
        };
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
