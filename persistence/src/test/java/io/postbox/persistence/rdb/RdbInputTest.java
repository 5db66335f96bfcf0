package io.postbox.persistence.rdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RdbInputTest {

    private static final byte[] LONG = "postbox queue message ".repeat(40).getBytes(StandardCharsets.US_ASCII);

    /** A plain "hello", the integer 42 (int8 encoding), then LONG LZF-compressed, then a plain "hi". */
    private static byte[] strings() {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(5);
        file.writeBytes("hello".getBytes(StandardCharsets.US_ASCII));
        file.write(0xC0);
        file.write(42);
        byte[] packed = new byte[LONG.length];
        int n = new Lzf().compress(LONG, 0, LONG.length, packed, 0, LONG.length - 1);
        file.write(0xC3);
        file.write(0x40 | n >>> 8);
        file.write(n & 0xff);
        file.write(0x40 | LONG.length >>> 8);
        file.write(LONG.length & 0xff);
        file.write(packed, 0, n);
        file.write(2);
        file.writeBytes("hi".getBytes(StandardCharsets.US_ASCII));
        return file.toByteArray();
    }

    private static RdbInput input(byte[] bytes) {
        return new RdbInput(new ByteArrayInputStream(bytes), "test.rdb");
    }

    @Test
    void scratchStringsReadEveryEncodingAsReadStringDoes() throws IOException {
        RdbInput owned = input(strings());
        RdbInput scratch = input(strings());
        for (int i = 0; i < 4; i++) {
            byte[] expected = owned.readString();
            int length = scratch.readScratchString();
            assertArrayEquals(expected, Arrays.copyOf(scratch.scratch(), length), "string " + i);
        }
        assertEquals(owned.offset(), scratch.offset());
        assertEquals(owned.crc(), scratch.crc());
    }

    @Test
    void scratchBufferIsReusedOnceLargeEnough() throws IOException {
        RdbInput in = input(strings());
        in.readScratchString();
        in.readScratchString();
        in.readScratchString();
        byte[] afterLongest = in.scratch();
        assertEquals(2, in.readScratchString());
        assertSame(afterLongest, in.scratch());
        assertEquals("hi", new String(in.scratch(), 0, 2, StandardCharsets.US_ASCII));
    }

    @Test
    void truncatedCompressedStringIsAnErrorWithOffset() {
        byte[] bytes = strings();
        RdbInput in = input(Arrays.copyOf(bytes, bytes.length - 10));
        RdbFormatException e = assertThrows(RdbFormatException.class, () -> {
            in.readScratchString();
            in.readScratchString();
            in.readScratchString();
        });
        assertEquals(true, e.getMessage().contains("test.rdb at offset"), e.getMessage());
    }
}
