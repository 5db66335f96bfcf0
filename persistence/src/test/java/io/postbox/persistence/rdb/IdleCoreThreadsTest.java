package io.postbox.persistence.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class IdleCoreThreadsTest {

    /** SCHED_IDLE's number in Linux's sched.h, as /proc shows a thread's policy. */
    private static final String SCHED_IDLE = "5";

    @Test
    void aThreadRunsItsWorkInTheIdleSchedulingClass() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self/stat")), "Linux only");
        assumeTrue(chrtRuns(), "util-linux chrt is not installed");
        assertEquals("0", policyOfThisThread(), "a thread starts in SCHED_OTHER");
        AtomicReference<String> policy = new AtomicReference<>();
        Thread thread = new IdleCoreThreads("test-idle").newThread(() -> policy.set(policyOfThisThread()));
        thread.start();
        thread.join();
        assertEquals(SCHED_IDLE, policy.get());
    }

    /** Field 41 of /proc/thread-self/stat, counted after the command name (which may hold spaces). */
    private static String policyOfThisThread() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[38];
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean chrtRuns() throws InterruptedException {
        try {
            return new ProcessBuilder("chrt", "--max").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
