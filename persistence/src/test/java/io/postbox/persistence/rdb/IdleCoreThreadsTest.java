package io.postbox.persistence.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.postbox.persistence.ThisThread;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class IdleCoreThreadsTest {

    /** SCHED_IDLE's number in Linux's sched.h, as /proc shows a thread's policy. */
    private static final String SCHED_IDLE = "5";
    /** The scheduling policy's field in /proc/thread-self/stat. */
    private static final int POLICY = 41;

    @Test
    void aThreadRunsItsWorkInTheIdleSchedulingClass() throws Exception {
        assumeTrue(ThisThread.isOnLinux(), "Linux only");
        assumeTrue(ThisThread.toolRuns("chrt", "--max"), "util-linux chrt is not installed");
        assertEquals("0", ThisThread.statField(POLICY), "a thread starts in SCHED_OTHER");
        AtomicReference<String> policy = new AtomicReference<>();
        Thread thread = new IdleCoreThreads("test-idle").newThread(() -> policy.set(ThisThread.statField(POLICY)));
        thread.start();
        thread.join();
        assertEquals(SCHED_IDLE, policy.get());
    }
}
