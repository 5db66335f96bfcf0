package io.postbox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RecurringFailureLogTest {

    private final List<String> lines = new ArrayList<>();
    private long now = 42;
    private final RecurringFailureLog failures = new RecurringFailureLog(lines::add, () -> now);

    @Test
    void theFirstFailureIsReportedAtOnceAndRepeatsWithinASecondOnlyCounted() {
        failures.report("boom");
        for (int i = 0; i < 1000; i++) {
            now += TimeUnit.MILLISECONDS.toNanos(1) - 1;
            failures.report("boom");
        }
        assertEquals(List.of("boom"), lines);
        now += 1000;
        failures.report("bang");
        assertEquals(List.of("boom", "bang (1000 more like it since the last report)"), lines);
    }

    @Test
    void aFailureASecondOrMoreAfterTheLastReportIsReportedWithNothingLeftOut() {
        failures.report("boom");
        now += TimeUnit.SECONDS.toNanos(1);
        failures.report("boom");
        now += TimeUnit.SECONDS.toNanos(5);
        failures.report("bang");
        assertEquals(List.of("boom", "boom", "bang"), lines);
    }
}
