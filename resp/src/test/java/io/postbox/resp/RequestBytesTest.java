package io.postbox.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestBytesTest {

    private static byte[][] request(String... words) {
        byte[][] args = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            args[i] = words[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return args;
    }

    @Test
    void theSizeIsTheRespEncodingsLength() {
        String encoded = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$12\r\nhello world!\r\n";
        assertEquals(encoded.length(), RequestBytes.size(request("SET", "k", "hello world!")));
        String eleven = "*11\r\n" + "$0\r\n\r\n".repeat(11);
        assertEquals(eleven.length(), RequestBytes.size(request("", "", "", "", "", "", "", "", "", "", "")));
    }

    @Test
    void theHeadIsTheEncodingsStart() {
        assertEquals("*2\r\n$4\r\nPING\r\n$1\r\nx\r\n",
                new String(RequestBytes.head(request("PING", "x"), 64), StandardCharsets.ISO_8859_1));
        byte[] head = RequestBytes.head(request("SET", "k", "v".repeat(1000)), 64);
        assertEquals(("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1000\r\n" + "v".repeat(1000)).substring(0, 64),
                new String(head, StandardCharsets.ISO_8859_1));
    }
}
