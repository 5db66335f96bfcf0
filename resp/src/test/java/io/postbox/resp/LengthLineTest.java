package io.postbox.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Length lines end as strchr finds them and their numbers parse as Redis's string2ll does. */
class LengthLineTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0                     | 0",
            "7                     | 7",
            "10                    | 10",
            "2147483647            | 2147483647",
            "9223372036854775807   | 9223372036854775807",
            "-1                    | -1",
            "-100                  | -1",
            "-9223372036854775808  | -1",
    })
    void acceptsWhatString2llAccepts(String number, long expected) {
        assertEquals(expected, parse(number));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''", "-", "-0", "00", "01", "-01", "+1", "' 1'", "'1 '", "1-", "--1", "0x10", "1e3",
            "9223372036854775808", "-9223372036854775809", "18446744073709551616", "99999999999999999999",
            "123456789012345678901", "-12345678901234567890",
    })
    void rejectsWhatString2llRejects(String number) {
        assertEquals(LengthLine.INVALID, parse(number));
    }

    @Test
    void endsAtTheFirstCarriageReturn() {
        LengthLine line = new LengthLine();
        ByteBuf in = buffer("xx$12\r\r\n");
        assertEquals(5, line.scan(in, 2));
        assertEquals(12, line.value());
    }

    @Test
    void neverEndsPastANulOrTheInput() {
        LengthLine line = new LengthLine();
        assertEquals(-1, line.scan(buffer("$1\u0000\r\n"), 0));
        assertEquals(-1, line.scan(buffer("$123"), 0));
        assertEquals(-1, line.scan(buffer(""), 0));
    }

    @Test
    void aLineMayEndAtItsFirstByte() {
        LengthLine line = new LengthLine();
        assertEquals(0, line.scan(buffer("\r\n"), 0));
        assertEquals(LengthLine.INVALID, line.value());
    }

    private static long parse(String number) {
        LengthLine line = new LengthLine();
        ByteBuf in = buffer("$" + number + "\r\n");
        assertEquals(number.length() + 1, line.scan(in, 0));
        return line.value();
    }

    private static ByteBuf buffer(String text) {
        return Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
