package io.postbox.persistence;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Waits for the JIT compiler to catch up. While its queue is long (after a load, say), the JVM gives
 * newly hot methods a quick compilation with little profiling and optimises them only once they are
 * called often again: code warmed up meanwhile reaches the first BGSAVE half compiled, and is compiled
 * then, on the CPUs the executor and the snapshot's writer need.
 */
final class CompilerBacklog {

    /** Compilation time unchanged for this long: the queue is empty, or nearly. */
    private static final long QUIET_MILLIS = 100;
    /** A bound on the wait: a compiler kept busy by something else is not waited for. */
    private static final long MAX_WAIT_MILLIS = 3000;

    private CompilerBacklog() {
    }

    static void awaitDrained() throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long deadline = System.nanoTime() + MAX_WAIT_MILLIS * 1_000_000;
        long seen = -1;
        while (System.nanoTime() < deadline) {
            long total = jit.getTotalCompilationTime();
            if (total == seen) {
                return;
            }
            seen = total;
            Thread.sleep(QUIET_MILLIS);
        }
    }
}
