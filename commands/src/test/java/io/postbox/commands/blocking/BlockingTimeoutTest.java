package io.postbox.commands.blocking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Timeouts as Redis 7.0 on x86-64 reads them: seconds, rounded up to whole milliseconds. */
class BlockingTimeoutTest {

    private static long millis(String seconds) {
        return BlockingTimeout.millis(seconds.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String error(String seconds) {
        return assertThrows(ErrorReply.class, () -> millis(seconds)).getMessage();
    }

    @Test
    void wholeAndFractionalSecondsBecomeMilliseconds() {
        assertEquals(0, millis("0"));
        assertEquals(5000, millis("5"));
        assertEquals(123_456_789_000L, millis("123456789"));
        assertEquals(100, millis("0.1"));
        assertEquals(1500, millis("1.5"));
        assertEquals(10, millis("1e-2"));
        assertEquals(16_000, millis("0x10"));
        assertEquals(20, millis(".02"));
        assertEquals(10, millis("+0.01"));
        assertEquals(1_234_567_890_123_000L, millis("1234567890123"));
    }

    @Test
    void aFractionOfAMillisecondRoundsUp() {
        assertEquals(1, millis("0.0001"));
        assertEquals(2, millis("0.0011"));
        // Rounded up to zero: wait for ever, as the reference does.
        assertEquals(0, millis("-0.0001"));
        assertEquals(0, millis("-0"));
    }

    @Test
    void badTimeoutsGetRedisErrors() {
        String notAFloat = "ERR timeout is not a float or out of range";
        for (String bad : new String[] {"abc", "", " 1", "1 ", "nan", "1e5000", "1e-5000", "1.5.", "1e", "0x"}) {
            assertEquals(notAFloat, error(bad), bad);
        }
        String negative = "ERR timeout is negative";
        for (String bad : new String[] {"-1", "-0.5", "inf", "-inf", "1e300", "9223372036854775807"}) {
            assertEquals(negative, error(bad), bad);
        }
    }
}
