package io.postbox.server;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.postbox.commands.Scheduler;
import io.postbox.commands.ScriptWatch;
import java.util.concurrent.TimeUnit;

/**
 * Timers on the executor's event loop; the replies a task writes are flushed when it ends. A task due
 * while a script is busy waits until the script ends ({@link ScriptWatch#defer}).
 */
final class ExecutorScheduler implements Scheduler {

    private final EventLoop executor;
    private final PendingWrites pendingWrites;
    private final ScriptWatch scriptWatch;

    ExecutorScheduler(EventLoop executor, PendingWrites pendingWrites, ScriptWatch scriptWatch) {
        this.executor = executor;
        this.pendingWrites = pendingWrites;
        this.scriptWatch = scriptWatch;
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
        Runnable flushed = () -> {
            task.run();
            pendingWrites.flushAll();
        };
        return () -> scriptWatch.defer(flushed);
    }

    /** A task scheduled from the event loop waits for the loop's next turn, after its I/O. */
    @Override
    public void afterIo(Runnable task) {
        executor.schedule(thenFlush(task), 0, TimeUnit.NANOSECONDS);
    }
}
