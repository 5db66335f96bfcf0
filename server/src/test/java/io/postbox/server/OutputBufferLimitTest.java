package io.postbox.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.config.Config;
import io.postbox.commands.config.OutputBufferLimits;
import org.junit.jupiter.api.Test;

class OutputBufferLimitTest {

    private static final long T0 = 1_700_000_000_000L;

    private final Config config = new Config();
    private final OutputBufferLimit limit = new OutputBufferLimit(config);

    @Test
    void normalClientsAreUnlimitedByDefault() {
        assertFalse(limit.exceeded(OutputBufferLimits.NORMAL, Long.MAX_VALUE, T0));
        assertFalse(limit.exceeded(OutputBufferLimits.NORMAL, Long.MAX_VALUE, T0 + 3_600_000));
    }

    @Test
    void theHardLimitDisconnectsAtOnce() {
        config.set("client-output-buffer-limit", "pubsub 1mb 0 0");
        assertFalse(limit.exceeded(OutputBufferLimits.PUBSUB, (1 << 20) - 1, T0));
        assertTrue(limit.exceeded(OutputBufferLimits.PUBSUB, 1 << 20, T0));
        assertFalse(limit.exceeded(OutputBufferLimits.NORMAL, 1 << 30, T0), "other classes keep their limits");
    }

    @Test
    void aReplicasHardLimitIsNeverUnderTheBacklogSize() {
        config.set("client-output-buffer-limit", "replica 512kb 0 0");
        config.set("repl-backlog-size", "10mb");
        assertFalse(limit.exceeded(OutputBufferLimits.REPLICA, (10 << 20) - 1, T0), "the backlog's size applies");
        assertTrue(limit.exceeded(OutputBufferLimits.REPLICA, 10 << 20, T0));
        config.set("client-output-buffer-limit", "replica 0 0 0");
        assertFalse(limit.exceeded(OutputBufferLimits.REPLICA, 1L << 40, T0), "no limit stays no limit");
        config.set("client-output-buffer-limit", "replica 0 512kb 1");
        assertFalse(limit.exceeded(OutputBufferLimits.REPLICA, 1 << 20, T0));
        assertTrue(limit.exceeded(OutputBufferLimits.REPLICA, 1 << 20, T0 + 2_000), "the soft limit is as set");
    }

    @Test
    void theSoftLimitDisconnectsAfterStayingOverForMoreThanItsSeconds() {
        config.set("client-output-buffer-limit", "pubsub 0 1mb 2");
        long over = 1 << 20;
        assertFalse(limit.exceeded(OutputBufferLimits.PUBSUB, over, T0));
        assertFalse(limit.exceeded(OutputBufferLimits.PUBSUB, over, T0 + 2_999));
        assertTrue(limit.exceeded(OutputBufferLimits.PUBSUB, over, T0 + 3_000));
    }

    @Test
    void droppingUnderTheSoftLimitStartsItsClockAgain() {
        config.set("client-output-buffer-limit", "pubsub 0 1mb 2");
        long over = 1 << 20;
        assertFalse(limit.exceeded(OutputBufferLimits.PUBSUB, over, T0));
        assertFalse(limit.exceeded(OutputBufferLimits.PUBSUB, over - 1, T0 + 2_500));
        assertFalse(limit.exceeded(OutputBufferLimits.PUBSUB, over, T0 + 2_600));
        assertFalse(limit.exceeded(OutputBufferLimits.PUBSUB, over, T0 + 4_999));
        assertTrue(limit.exceeded(OutputBufferLimits.PUBSUB, over, T0 + 5_000));
    }

    @Test
    void theDefaultPubsubLimitsAreRedisOnes() {
        assertTrue(limit.exceeded(OutputBufferLimits.PUBSUB, 32L << 20, T0));
        assertFalse(limit.exceeded(OutputBufferLimits.PUBSUB, 8L << 20, T0));
        assertFalse(limit.exceeded(OutputBufferLimits.PUBSUB, 8L << 20, T0 + 60_999));
        assertTrue(limit.exceeded(OutputBufferLimits.PUBSUB, 8L << 20, T0 + 61_000));
    }
}
