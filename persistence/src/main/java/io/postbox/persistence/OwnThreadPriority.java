package io.postbox.persistence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Lowers the calling thread's CPU priority (or restores it), by running a Linux tool on the thread's own
 * id: Java has no call for it (it ignores thread priorities on Linux). Each returns false if that failed
 * (no such tool, not Linux); the thread then runs as it was.
 */
public final class OwnThreadPriority {

    /**
     * The nice value of background writers: the kernel then gives a runnable executor a core ahead of
     * them (at about nine times their weight), where at equal weights a request that came in while they
     * encoded waited for their time slice to end.
     */
    public static final int BACKGROUND_NICE = 10;

    private OwnThreadPriority() {
    }

    /** SCHED_IDLE: the thread runs only on a core that would otherwise idle. */
    public static boolean lowerToIdle() {
        return runOnThisThread("chrt", "--idle", "--pid", "0");
    }

    /**
     * SCHED_BATCH: the thread keeps its full share of the CPU, but its waking up never preempts the
     * thread running on the core; it waits for that one to block or use up its slice, or takes an idle core.
     */
    public static boolean lowerToBatch() {
        return runOnThisThread("chrt", "--batch", "--pid", "0");
    }

    /** SCHED_OTHER, Linux's default: undoes {@link #lowerToBatch}. */
    public static boolean restoreNormal() {
        return runOnThisThread("chrt", "--other", "--pid", "0");
    }

    /** Nice {@link #BACKGROUND_NICE}: the thread still gets its share of a busy machine, a smaller one. */
    public static boolean lowerToBackground() {
        return runOnThisThread("renice", "-n", Integer.toString(BACKGROUND_NICE), "-p");
    }

    /** Runs {@code command} with this thread's id as its last argument; whether it succeeded. */
    private static boolean runOnThisThread(String... command) {
        try {
            // "<pid>/task/<tid>": the kernel's id of this thread.
            String tid = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
            List<String> words = new ArrayList<>(List.of(command));
            words.add(tid);
            Process tool = new ProcessBuilder(words)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return tool.waitFor() == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
