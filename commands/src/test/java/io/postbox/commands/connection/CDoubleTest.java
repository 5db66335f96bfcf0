package io.postbox.commands.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CDoubleTest {

    private static double strtod(String text) {
        return CDouble.strtod(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void readsTheLongestNumericPrefix() {
        assertEquals(1.5, strtod("1.5"));
        assertEquals(0.01, strtod("0.01xyz"));
        assertEquals(100, strtod("1e2"));
        assertEquals(1, strtod("1e"));
        assertEquals(1, strtod("1e+"));
        assertEquals(0.5, strtod(".5"));
        assertEquals(2, strtod("2."));
        assertEquals(-3, strtod("  -3"));
        assertEquals(4, strtod("\t+4s"));
    }

    @Test
    void withoutDigitsItIsZero() {
        assertEquals(0, strtod(""));
        assertEquals(0, strtod("abc"));
        assertEquals(0, strtod("-"));
        assertEquals(0, strtod("."));
        assertEquals(0, strtod("e5"));
    }

    @Test
    void readsInfinityAndNan() {
        assertEquals(Double.POSITIVE_INFINITY, strtod("inf"));
        assertEquals(Double.POSITIVE_INFINITY, strtod("Infinity"));
        assertEquals(Double.NEGATIVE_INFINITY, strtod("-INF"));
        assertTrue(Double.isNaN(strtod("nan")));
    }
}
