package io.postbox.commands.monitor;

/**
 * The text of one MONITOR line, as Redis's replicationFeedMonitors writes it:
 * {@code 1700000000.123456 [0 127.0.0.1:50000] "LPUSH" "queue" "message-1"} — the time in seconds with
 * microseconds, the database and who sent the command, then each argument quoted the way Redis's
 * sdscatrepr quotes: backslash escapes for {@code \ " \n \r \t \a \b}, printable ASCII as is, and
 * {@code \xhh} (lower-case hex) for every other byte.
 */
final class MonitorLine {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private MonitorLine() {
    }

    static String format(long epochMicros, int db, String origin, byte[][] args) {
        StringBuilder line = new StringBuilder(64);
        String micros = Long.toString(epochMicros % 1_000_000 + 1_000_000);
        line.append(epochMicros / 1_000_000).append('.').append(micros, 1, 7)
                .append(" [").append(db).append(' ').append(origin).append(']');
        for (byte[] arg : args) {
            line.append(' ');
            quote(line, arg);
        }
        return line.toString();
    }

    /** One argument in double quotes, escaped as sdscatrepr escapes. */
    static void quote(StringBuilder out, byte[] bytes) {
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
}
