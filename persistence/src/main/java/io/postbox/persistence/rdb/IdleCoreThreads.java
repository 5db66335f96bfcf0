package io.postbox.persistence.rdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;

/**
 * Threads for work that may use only CPU nobody else wants: before running anything, each thread puts
 * itself in Linux's SCHED_IDLE scheduling class, so that any other thread that becomes runnable (the
 * executor, a client, another process) takes its core at once, and it runs only on a core that would
 * otherwise idle. Java has no call for it; the thread runs util-linux's {@code chrt} on its own thread id.
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
            if (lowerToIdle()) {
                work.run();
            }
        }, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Puts the calling thread in SCHED_IDLE; false if that failed. */
    static boolean lowerToIdle() {
        try {
            // "<pid>/task/<tid>": the kernel's id of this thread.
            String tid = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
            Process chrt = new ProcessBuilder("chrt", "--idle", "--pid", "0", tid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return chrt.waitFor() == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
