package io.postbox.persistence.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    /** Hands out at most three bytes per read, so a compressed string spans many refills of the buffer. */
    private static RdbInput trickling(byte[] bytes) {
        return new RdbInput(new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 3));
            }
        }, "test.rdb");
    }

    @Test
    void stringsReadTheSameWhetherTheirBytesAreBufferedOrNot() throws IOException {
        byte[] file = strings();
        RdbInput whole = input(file);
        RdbInput trickled = trickling(file);
        String[] expected = {"hello", "42", new String(LONG, StandardCharsets.US_ASCII), "hi"};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], new String(whole.readString(), StandardCharsets.US_ASCII), "string " + i);
            assertEquals(expected[i], new String(trickled.readString(), StandardCharsets.US_ASCII), "string " + i);
        }
        assertEquals(file.length, whole.offset());
        assertEquals(file.length, trickled.offset());
        assertEquals(Crc64.of(file), whole.crc());
        assertEquals(Crc64.of(file), trickled.crc());
    }

    @Test
    void truncatedCompressedStringIsAnErrorWithOffset() {
        byte[] bytes = strings();
        RdbInput in = input(Arrays.copyOf(bytes, bytes.length - 10));
        RdbFormatException e = assertThrows(RdbFormatException.class, () -> {
            in.readString();
            in.readString();
            in.readString();
        });
        assertEquals(true, e.getMessage().contains("test.rdb at offset"), e.getMessage());
    }
}
