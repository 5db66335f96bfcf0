package io.postbox.server;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ManualIoEventLoop;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The executor: one Netty event loop (epoll, or NIO where epoll is missing) that our own non-daemon
 * thread, "postbox-executor", drives round after round until the loop terminates. It does the I/O of
 * every connection and runs every command, as Redis's main thread does.
 *
 * <p>Driving the loop ourselves lets another thread drive it for a while: when a script runs past
 * busy-reply-threshold on the executor thread (inside a task of the loop, never inside its I/O
 * processing), a standby thread takes the loop over ({@link #standIn}) and serves the other clients
 * until the script ends. Netty's ManualIoEventLoop lets its owning thread be set only once, so the
 * hand-over sets the loop's owner reference itself; that reference is an AtomicReference, so setting
 * it is a volatile write. Exactly one thread drives the loop at a time: the hand-over protocol in
 * {@link BusyScript} guarantees it.
 */
final class ExecutorLoop {

    /** How long a standby round waits for I/O at most, so it notices its release even without a wakeup. */
    private static final long STANDBY_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Thread executor;
    private final ManualIoEventLoop loop;
    private final AtomicReference<Thread> owner;
    private final RecurringFailureLog unexpected;
    /** Whether the loop is lent to the thread that loads the dataset ({@link #lendToCurrentThread}). */
    private boolean lent;

    ExecutorLoop(boolean epoll, ServerLog log) {
        this.unexpected = new RecurringFailureLog(log::warning, System::nanoTime);
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        // Netty's own event-loop thread type: its per-thread caches (buffer pools, recyclers) are a field
        // of the thread rather than a ThreadLocal lookup, on every buffer the loop allocates.
        this.executor = new FastThreadLocalThread(this::drive, "postbox-executor");
        executor.setDaemon(false);
        this.loop = new ManualIoEventLoop(null, executor, io);
        this.owner = ownerOf(loop);
    }

    /**
     * Starts the executor thread, if not yet started; the loop serves from then on. While the loop is
     * lent, only its borrower starts it, taking the loop back; for anyone else this does nothing, and
     * what they asked the loop to run runs in the borrower's rounds.
     */
    synchronized void start() {
        if (lent) {
            if (owner.get() != Thread.currentThread()) {
                return;
            }
            lent = false;
            owner(executor);
        }
        if (executor.getState() == Thread.State.NEW) {
            executor.start();
        }
    }

    /**
     * Lends the loop, before the executor thread starts, to the calling thread: the one that loads the
     * dataset at startup, which serves clients between steps of the load with {@link #serveRound}, as
     * Redis's main thread processes events while it loads. {@link #start} ends the loan.
     *
     * @return false, lending nothing, if the executor thread runs already: someone is stopping the server
     */
    synchronized boolean lendToCurrentThread() {
        if (executor.getState() != Thread.State.NEW) {
            return false;
        }
        lent = true;
        owner(Thread.currentThread());
        return true;
    }

    /** One round of I/O and tasks on the borrowing thread, without waiting for any; failures as {@link #round}. */
    void serveRound() {
        try {
            loop.runNow();
        } catch (RuntimeException | Error e) {
            logUnexpected(e);
        }
    }

    /**
     * From a task of the loop, on the executor thread: the I/O ready now (reads, and the commands they
     * run), no task, as Redis's processEventsWhileBlocked handles file events only; the task running
     * is still on the stack, and the loop's other tasks wait for the loop to take them after it.
     * Failures as {@link #round}.
     */
    void serveIoFromTask() {
        try {
            loop.runNow(-1);
        } catch (RuntimeException | Error e) {
            logUnexpected(e);
        }
    }

    IoEventLoop loop() {
        return loop;
    }

    Thread executor() {
        return executor;
    }

    /** The executor thread: rounds of I/O then tasks, blocking while there is nothing to do. */
    private void drive() {
        while (!loop.isTerminated()) {
            round(0);
        }
    }

    /** One round; what escapes it (tasks' and handlers' own failures never do) is logged, not fatal. */
    private void round(long waitNanos) {
        try {
            loop.run(waitNanos);
        } catch (RuntimeException | Error e) {
            logUnexpected(e);
        }
    }

    private void logUnexpected(Throwable e) {
        unexpected.report("Unexpected exception in the event loop: " + e);
    }

    /**
     * Drives the loop from the calling thread, which the caller has made the owner, until
     * {@code released} says so or the loop terminates (SHUTDOWN while a script is busy).
     */
    void standIn(BooleanSupplier released) {
        while (!released.getAsBoolean() && !loop.isTerminated()) {
            round(STANDBY_WAIT_NANOS);
        }
    }

    /** Makes {@code thread} the loop's owner: only it may drive the loop and write to channels directly. */
    void owner(Thread thread) {
        owner.set(thread);
    }

    /** Wakes the loop's current driver out of waiting for I/O. */
    void wakeup() {
        loop.wakeup();
    }

    @SuppressWarnings("unchecked")
    private static AtomicReference<Thread> ownerOf(ManualIoEventLoop loop) {
        try {
            Field field = ManualIoEventLoop.class.getDeclaredField("owningThread");
            field.setAccessible(true);
            return (AtomicReference<Thread>) field.get(loop);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this Netty's ManualIoEventLoop has no owner reference to hand over", e);
        }
    }
}
