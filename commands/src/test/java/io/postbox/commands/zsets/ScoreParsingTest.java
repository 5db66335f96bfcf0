package io.postbox.commands.zsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.Errors;
import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Scores and range ends read as Redis 7.0.15 reads them; the expectations were taken from redis-server. */
class ScoreParsingTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "inf|Infinity", "+inf|Infinity", "-inf|-Infinity", "infinity|Infinity", "-Infinity|-Infinity",
            "INF|Infinity", "0x10|16", "0x1p3|8", "0X1.8P1|3", "-0x10|-16", "+5|5", ".5|0.5", "5.|5",
            "1e-310|1e-310", "0e-400|0", "1E2|100", "-0|-0.0", "1.7976931348623157e308|1.7976931348623157e308"})
    void acceptsWhatStrtodReadsWhole(String text, double expected) {
        assertEquals(expected, Scores.parse(bytes(text)));
    }

    /** strtod stops before a dangling exponent or after a lone "0x", so the whole text is not read. */
    @ParameterizedTest
    @ValueSource(strings = {" 1", "1 ", "", "1e400", "-1e400", "1e-400", "1e", "1e+", "0x", "1_0", "nan", "-nan",
            "nan(123)", ".", "-", "+", "1\u0000", "abc", "0x1p"})
    void refusesEverythingElse(String text) {
        assertRefused(text);
    }

    @Test
    void integersAndDecimalsReadAsJavaReadsThem() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int i = 0; i < 100_000; i++) {
            String text = (random.nextBoolean() ? "-" : "") + random.nextLong(0, 100_000_000_000_000_000L)
                    / (long) Math.pow(10, random.nextInt(18))
                    + (random.nextInt(4) == 0 ? "." + random.nextInt(1000) : "")
                    + (random.nextInt(4) == 0 ? "e" + (random.nextInt(40) - 20) : "");
            assertEquals(Double.parseDouble(text), Scores.parse(bytes(text)), text);
        }
    }

    @Test
    void weightsUseTheirOwnError() {
        ErrorReply weight = Errors.err("weight value is not a float");
        assertSame(weight, assertThrows(ErrorReply.class, () -> Scores.parse(bytes("x"), weight)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|0|false", "(|0|true", "' 1'|1|false", "0x10|16|false", "(0x10|16|true", "1e400|Infinity|false",
            "(inf|Infinity|true", "infinity|Infinity|false", "-inf|-Infinity|false"})
    void rangeEndsAreReadUpToTheEndOfTheText(String text, double expected, boolean exclusive) {
        ScoreRange range = ScoreRange.parse(bytes(text), bytes("+inf"));
        assertEquals(expected, range.min());
        assertEquals(exclusive, range.minExclusive());
    }

    @Test
    void aRangeEndStopsAtANulByte() {
        assertEquals(1, ScoreRange.parse(bytes("1\u0000abc"), bytes("2")).min());
        assertEquals(2, ScoreRange.parse(bytes("0"), bytes("(2\u0000x")).max());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1 ", "nan", "(nan", "abc", "((1", "1e", "[1"})
    void badRangeEndsAreNotFloats(String text) {
        assertSame(ScoreRange.NOT_A_FLOAT,
                assertThrows(ErrorReply.class, () -> ScoreRange.parse(bytes(text), bytes("1"))));
        assertSame(ScoreRange.NOT_A_FLOAT,
                assertThrows(ErrorReply.class, () -> ScoreRange.parse(bytes("1"), bytes(text))));
    }

    @Test
    void lexItemsAreBracketedMembersOrTheInfinities() {
        LexRange range = LexRange.parse(bytes("(b"), bytes("[d"));
        byte[] b = bytes("b");
        byte[] d = bytes("d");
        assertTrue(range.before(0, b, 0, 1));
        assertFalse(range.after(0, d, 0, 1));
        assertTrue(range.after(0, bytes("da"), 0, 2));
        LexRange all = LexRange.parse(bytes("-"), bytes("+\u0000junk"));
        assertFalse(all.before(0, new byte[0], 0, 0));
        assertFalse(all.after(0, new byte[] {(byte) 0xff}, 0, 1));
        LexRange emptyEnds = LexRange.parse(bytes("["), bytes("("));
        assertFalse(emptyEnds.before(0, new byte[0], 0, 0));
        assertTrue(emptyEnds.after(0, new byte[0], 0, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "-a", "+a", "b"})
    void anythingElseIsNotARangeItem(String text) {
        assertSame(LexRange.NOT_A_RANGE_ITEM,
                assertThrows(ErrorReply.class, () -> LexRange.parse(bytes(text), bytes("+"))));
    }

    private static void assertRefused(String text) {
        assertSame(Errors.NOT_FLOAT, assertThrows(ErrorReply.class, () -> Scores.parse(bytes(text))));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
