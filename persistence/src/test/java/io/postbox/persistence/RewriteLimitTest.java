package io.postbox.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RewriteLimitTest {

    private static final String FIRST_WAIT =
            "Background AOF rewrite has repeatedly failed and triggered the limit, will retry in 1 minutes";

    private final RecordingLog log = new RecordingLog();
    private final List<String> warnings = log.warnings();
    private final RewriteLimit limit = new RewriteLimit();

    @Test
    void fewerThanThreeFailuresInARowNeverHold() {
        for (long failures = 0; failures < 3; failures++) {
            assertFalse(limit.holds(failures, 1000, log));
        }
        assertEquals(List.of(), warnings);
    }

    @Test
    void eachFailedRetryDoublesTheWaitUpToAnHour() {
        long now = 1000;
        long failures = 3;
        List<Long> waits = new ArrayList<>();
        for (int round = 0; round < 9; round++) {
            assertTrue(limit.holds(failures, now, log), "a new wait begins");
            long start = now;
            while (limit.holds(failures, now, log)) {
                now += 1;
            }
            waits.add((now - start) / 60);
            failures++;
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L), waits);
        assertEquals(FIRST_WAIT, warnings.get(0));
        assertEquals(9, warnings.size(), "one line per wait, not per cron tick");
    }

    @Test
    void aSuccessEndsTheLimit() {
        assertTrue(limit.holds(3, 1000, log));
        assertFalse(limit.holds(0, 1001, log));
        assertTrue(limit.holds(3, 1002, log));
        assertEquals(List.of(FIRST_WAIT, FIRST_WAIT), warnings);
    }
}
