package io.postbox.commands.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ScanCursorTest {

    private static long parse(String text) {
        return ScanCursor.parse(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void invalid(String text) {
        assertSame(ScanCursor.INVALID, assertThrows(ErrorReply.class, () -> parse(text)), text);
    }

    @Test
    void acceptsWhatStrtoulAccepts() {
        assertEquals(0, parse("0"));
        assertEquals(0, parse(""));
        assertEquals(0, parse("-0"));
        assertEquals(5, parse("+5"));
        assertEquals(7, parse("007"));
        assertEquals(-1L, parse("18446744073709551615"));
        assertEquals(-1L, parse("-1"));
        assertEquals(1, parse("-18446744073709551615"));
        assertEquals(12, parse("12\0junk"));
    }

    @Test
    void rejectsSpacesGarbageAndOverflow() {
        invalid(" 1");
        invalid("\t1");
        invalid("1 ");
        invalid("1x");
        invalid("x");
        invalid("-");
        invalid("+");
        invalid("+-1");
        invalid("1.0");
        invalid("18446744073709551616");
        invalid("-18446744073709551616");
        invalid("99999999999999999999");
    }

    @Test
    void formatsUnsigned() {
        assertEquals("18446744073709551615", new String(ScanCursor.format(-1L), StandardCharsets.US_ASCII));
        assertEquals("0", new String(ScanCursor.format(0), StandardCharsets.US_ASCII));
    }
}
