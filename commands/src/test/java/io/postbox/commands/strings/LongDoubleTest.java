package io.postbox.commands.strings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Expected texts are what Redis 7.0.15 on x86-64 replied to INCRBYFLOAT on a missing key. */
class LongDoubleTest {

    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({
            "0.1, 0.1",
            "4.35, 4.35",
            "-1.5, -1.5",
            "1., 1",
            ".5, 0.5",
            "+1, 1",
            "1E2, 100",
            "5.0e3, 5000",
            "1e+5, 100000",
            "-0, 0",
            "-0.0, 0",
            "0e99999999999999999999, 0",
            "3.0000000000000000001, 3",
            "1.000000000000000000005, 1",
            "0.99999999999999999999, 1",
            "99999999999999999999.5, 100000000000000000000",
            "123456789012345678901234567890, 123456789012345678899921813504",
            "0x1p3, 8",
            "0x1.8p1, 3",
            "0X10, 16",
            "0x.8p1, 1",
            "0x1., 1",
            // %.17Lf rounds an exact tie to even: 2^-18 ends in ...625.
            "0.000003814697265625, 0.00000381469726562",
            "0.000003814697265635, 0.00000381469726563",
            // Negative values too small for 17 decimals print as 0, not -0.
            "-0.000000000000000001, 0",
            // Subnormals are values; they just print as 0.
            "1e-4940, 0",
            "1.9e-4951, 0",
            "0x1p-16445, 0",
            "0x1.8p-16446, 0",
    })
    void printsAsRedisDoes(String text, String printed) {
        assertEquals(printed, parse(text).toString());
    }

    @ParameterizedTest(name = "{0} is not a valid float")
    @ValueSource(strings = {".", "1e", "1e+", "1 ", " 1", "+-1", "nan", "NaN", "-nan", "nan(1)", "0x", "0x1p",
            "infinit", "1.2.3", "1,5", "1e5000", "1e-5000", "1.8e-4951", "1e-4951", "0x1p-16446", "0x1p16384",
            "0x1.ffffffffffffffffp16383", "1.18973149535723176508e4932", "0.1e-1000000000000", "1\u0000", "\u0000"})
    void refusesWhatRedisRefuses(String text) {
        assertNull(parse(text));
    }

    @Test
    void refusesEmptyAndOverlongText() {
        assertNull(LongDouble.parse(new byte[0]));
        String longest = "0".repeat(LongDouble.MAX_TEXT_LENGTH - 2) + "1";
        assertEquals("1", parse(longest).toString());
        assertNull(parse("0" + longest));
    }

    @ParameterizedTest
    @ValueSource(strings = {"inf", "INF", "-inf", "+Infinity", "infinity"})
    void acceptsInfinityAsAValue(String text) {
        LongDouble value = parse(text);
        assertNotNull(value);
        assertFalse(value.isFinite());
    }

    @Test
    void holdsValuesBeyondDoubleRange() {
        assertEquals("10000000000000000000281880683947586514586453433629052038625910693539685534008629862039363994848324160522094053927317616200295822777259255734023828976593340661017797447434546173917862448116674971723778943824391593338047470675026246684401359237513603830343735485505244955964979021825038280091068414947402456898653040951017512658092615827588920183472511643316591362664138176309734806343732497430221946880", parse("1e400").toString());
        assertTrue(parse("0x1p16383").isFinite());
        assertTrue(parse("1.18973149535723176502e4932").isFinite());
    }

    @Test
    void addsWithSixtyFourBitSignificand() {
        assertEquals("0.3", sum("0.1", "0.2"));
        assertEquals("100000000000000000.1015625", sum("1e17", "0.1"));
        assertEquals("0", sum("10.5", "-10.5"));
        assertEquals("5102.5", sum("102.5", "5.0e3"));
    }

    @Test
    void overflowingOrInfiniteSumsAreNotFinite() {
        assertFalse(parse("1.1e4932").plus(parse("1e4932")).isFinite());
        assertFalse(parse("1").plus(parse("inf")).isFinite());
        assertFalse(parse("inf").plus(parse("-inf")).isFinite());
    }

    private static String sum(String a, String b) {
        return parse(a).plus(parse(b)).toString();
    }

    private static LongDouble parse(String text) {
        return LongDouble.parse(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
