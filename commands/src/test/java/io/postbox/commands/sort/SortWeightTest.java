package io.postbox.commands.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** SORT's reading of weights, against what glibc 2.36's strtod (value, errno, end) gives for each text. */
class SortWeightTest {

    @Test
    void readsWhatStrtodReadsWhole() {
        assertWeight(12, " 12");
        assertWeight(12, "\t\n12");
        assertWeight(0, "");
        assertWeight(16, "0x10");
        assertWeight(3, "0x1.8p1");
        assertWeight(1.5, "0x1.8");
        assertWeight(1, "0x.8p1");
        assertWeight(0.5, ".5");
        assertWeight(5, "5.");
        assertWeight(5, "+5");
        assertWeight(-0.0, "-0");
        assertWeight(100, "1e2");
        assertWeight(100, "1E+2");
        assertWeight(0, "0e-999999");
        assertWeight(Double.POSITIVE_INFINITY, "inf");
        assertWeight(Double.NEGATIVE_INFINITY, "-Infinity");
        assertWeight(2.2250738585072014e-308, "2.2250738585072014e-308");
        assertWeight(Double.MIN_VALUE, "0x1p-1074");
        assertWeight(1, "1\u0000trailing bytes after a NUL are not read");
    }

    @Test
    void refusesTrailingTextNanAndOutOfRange() {
        for (String text : new String[] {"12 ", "   ", " ", "+", " -", "1e", "1e+", "abc", ".", "+.e1", "infx",
                "nan", "NaN", "-nan", "nan(123)", "0x", "0xg", "1.2.3", "1,5", "1e400", "-1e400", "1e-400", "1e-324",
                "1e-310", "2.2250738585072011e-308", "0x1p-1075", "0x1p1024", "1e99999999999999999999"}) {
            assertNull(SortWeight.parse(text.getBytes(StandardCharsets.ISO_8859_1)), text);
        }
    }

    private static void assertWeight(double expected, String text) {
        assertEquals(expected, SortWeight.parse(text.getBytes(StandardCharsets.ISO_8859_1)), text);
    }
}
