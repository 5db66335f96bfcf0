package io.postbox.commands.connection;

import io.postbox.commands.Scheduler;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects scheduled tasks; the test runs them when it chooses, delays ignored. A pause's timer that
 * runs before its deadline schedules itself again, so tests run those one at a time.
 */
final class ManualScheduler implements Scheduler {

    final List<Runnable> tasks = new ArrayList<>();
    final List<Long> delays = new ArrayList<>();

    @Override
    public void schedule(long delayMillis, Runnable task) {
        tasks.add(task);
        delays.add(delayMillis);
    }

    /** Runs every task scheduled so far, and those they schedule, in order. */
    void runAll() {
        while (!tasks.isEmpty()) {
            Runnable task = tasks.remove(0);
            delays.remove(0);
            task.run();
        }
    }
}
