package io.postbox.commands.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MonitorLineTest {

    private static byte[][] args(String... args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return bytes;
    }

    @Test
    void showsTimeWithMicrosecondsDatabaseOriginAndQuotedArguments() {
        assertEquals("1700000000.000042 [3 127.0.0.1:50000] \"LPUSH\" \"queue\" \"message-1\"",
                MonitorLine.format(1_700_000_000_000_042L, 3, "127.0.0.1:50000", args("LPUSH", "queue", "message-1")));
        assertEquals("1700000001.999999 [0 lua] \"get\" \"\"",
                MonitorLine.format(1_700_000_001_999_999L, 0, "lua", args("get", "")));
    }

    @Test
    void escapesBytesAsSdscatreprDoes() {
        assertEquals("0.000000 [0 x] \"a\\\\b\\\"c\\n\\r\\t\\a\\b\\x00\\x7f\\xff\\x1b ~\"",
                MonitorLine.format(0, 0, "x", args("a\\b\"c\n\r\t\u0007\b\u0000\u007f\u00ff\u001b ~")));
    }
}
