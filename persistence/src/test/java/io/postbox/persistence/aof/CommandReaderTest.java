package io.postbox.persistence.aof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CommandReaderTest {

    private static final String TWO = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$5\r\nLPUSH\r\n$1\r\nq\r\n$2\r\n\r\n\r\n";

    @Test
    void readsCommandsWithBinaryArgumentsAndSkipsAnnotations() throws IOException {
        CommandReader reader = reader("#TS:1700000000\r\n" + TWO);
        assertArrayEquals(new byte[][] {bytes("SELECT"), bytes("0")}, reader.next());
        assertArrayEquals(new byte[][] {bytes("LPUSH"), bytes("q"), bytes("\r\n")}, reader.next());
        assertNull(reader.next());
        assertEquals(("#TS:1700000000\r\n" + TWO).length(), reader.validUpTo());
    }

    @Test
    void aTornCommandAtTheEndReportsWhereTheLastCompleteOneEnded() throws IOException {
        int first = 23;
        for (int end = first + 1; end < TWO.length(); end++) {
            CommandReader reader = reader(TWO.substring(0, end));
            reader.next();
            assertThrows(CommandReader.Truncated.class, reader::next);
            assertEquals(first, reader.validUpTo());
        }
    }

    @Test
    void somethingOtherThanCommandsIsABadFormat() {
        assertThrows(CommandReader.BadFormat.class, () -> reader("SET k v\r\n").next());
        assertThrows(CommandReader.BadFormat.class, () -> reader("*1\r\n+OK\r\n").next());
        assertThrows(CommandReader.BadFormat.class, () -> reader("*1\r\n$2\r\nabXY").next());
    }

    private static CommandReader reader(String text) {
        return new CommandReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)), 0);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
