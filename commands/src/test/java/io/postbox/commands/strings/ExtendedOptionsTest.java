package io.postbox.commands.strings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.strings.ExtendedOptions.Form;
import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The option rules of SET and GETEX, as Redis 7.0.15 applies them. */
class ExtendedOptionsTest {

    @Test
    void setTakesItsOptionsInAnyOrderAndCase() {
        ExtendedOptions options = set("get", "Px", "100", "NX");
        assertTrue(options.nx());
        assertTrue(options.get());
        assertFalse(options.xx());
        assertEquals(Expiry.PX, options.expiry());
        assertArrayEquals(bytes("100"), options.expiryArgument());
    }

    @Test
    void aRepeatedExpiryKeepsTheLastValue() {
        ExtendedOptions options = set("EX", "10", "EX", "20");
        assertEquals(Expiry.EX, options.expiry());
        assertArrayEquals(bytes("20"), options.expiryArgument());
    }

    @Test
    void repeatedFlagsAreAllowed() {
        ExtendedOptions options = set("NX", "nx", "GET", "get", "KEEPTTL", "keepttl");
        assertTrue(options.nx() && options.get() && options.keepTtl());
    }

    @Test
    void wordsEndAtANulByteAsInC() {
        ExtendedOptions options = set("nx\0junk", "ex\0", "100");
        assertTrue(options.nx());
        assertEquals(Expiry.EX, options.expiry());
    }

    @ParameterizedTest
    @ValueSource(strings = {"NX XX", "XX NX", "EX 10 PX 10", "EX 10 KEEPTTL", "KEEPTTL PXAT 5", "EXAT 1 PXAT 1",
            "EX", "NX EX", "PERSIST", "FOO", "NXX", "EX10"})
    void setRefuses(String words) {
        ErrorReply error = assertThrows(ErrorReply.class, () -> set(words.split(" ")));
        assertEquals("ERR syntax error", error.text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"NX", "XX", "GET", "KEEPTTL", "EX 1 PERSIST", "PERSIST PX 1", "EXAT"})
    void getexRefuses(String words) {
        ErrorReply error = assertThrows(ErrorReply.class, () -> getex(words.split(" ")));
        assertEquals("ERR syntax error", error.text());
    }

    @Test
    void getexTakesPersistOrOneExpiry() {
        assertTrue(getex("persist", "PERSIST").persist());
        assertEquals(Expiry.EXAT, getex("exat", "123").expiry());
        assertNull(getex().expiry());
    }

    @Test
    void relativeExpiriesCountFromNow() {
        assertEquals(1_000 + 5_000, Expiry.EX.unixMillis(bytes("5"), 1_000, "set"));
        assertEquals(1_000 + 5, Expiry.PX.unixMillis(bytes("5"), 1_000, "set"));
        assertEquals(5_000, Expiry.EXAT.unixMillis(bytes("5"), 1_000, "set"));
        assertEquals(5, Expiry.PXAT.unixMillis(bytes("5"), 1_000, "set"));
    }

    @Test
    void absoluteExpiriesMayReachTheLargestTime() {
        assertEquals(Long.MAX_VALUE, Expiry.PXAT.unixMillis(bytes("9223372036854775807"), 1_000, "set"));
        assertEquals(9223372036854775000L, Expiry.EXAT.unixMillis(bytes("9223372036854775"), 1_000, "set"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"EX 0", "PX -1", "EXAT 0", "EX 9223372036854776", "EX 9223372036854775",
            "PX 9223372036854775807", "EXAT 9223372036854776"})
    void refusesTimesThatAreNotPositiveOrOverflow(String option) {
        String[] parts = option.split(" ");
        Expiry expiry = Expiry.valueOf(parts[0]);
        ErrorReply error = assertThrows(ErrorReply.class,
                () -> expiry.unixMillis(bytes(parts[1]), 1_700_000_000_000L, "getex"));
        assertEquals("ERR invalid expire time in 'getex' command", error.text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "1.5", " 1", "01", "", "9223372036854775808"})
    void refusesTimesThatAreNotIntegers(String value) {
        ErrorReply error = assertThrows(ErrorReply.class, () -> Expiry.EX.unixMillis(bytes(value), 0, "set"));
        assertEquals("ERR value is not an integer or out of range", error.text());
    }

    private static ExtendedOptions set(String... words) {
        return ExtendedOptions.parse(args("set", "k", "v", words), 3, Form.SET);
    }

    private static ExtendedOptions getex(String... words) {
        return ExtendedOptions.parse(args("getex", "k", null, words), 2, Form.GETEX);
    }

    private static byte[][] args(String command, String key, String value, String... words) {
        String[] head = value == null ? new String[] {command, key} : new String[] {command, key, value};
        return Arrays.stream(concat(head, words)).map(ExtendedOptionsTest::bytes).toArray(byte[][]::new);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
