package io.postbox.resp;

import java.nio.charset.StandardCharsets;

/**
 * Bytes as Redis's sdscatrepr shows them: in double quotes, with backslash escapes for quotes,
 * backslashes and control characters, and {@code \xHH} for bytes that are not printable ASCII. MONITOR
 * lines, log lines and rewritten config values all use it, and redis.conf's splitter reads it back
 * unchanged.
 */
public final class Repr {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Repr() {
    }

    public static void append(StringBuilder out, byte[] bytes) {
        out.append('"');
        for (byte b : bytes) {
            int c = b & 0xff;
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 7 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                default -> {
                    if (c >= 0x20 && c <= 0x7e) {
                        out.append((char) c);
                    } else {
                        out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    }
                }
            }
        }
        out.append('"');
    }

    public static String of(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length + 2);
        append(out, bytes);
        return out.toString();
    }

    /** A string of one char per byte (ISO-8859-1), quoted. */
    public static String of(String value) {
        return of(value.getBytes(StandardCharsets.ISO_8859_1));
    }
}
