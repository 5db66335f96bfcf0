package io.postbox.commands.monitor;

import io.postbox.resp.Repr;

/**
 * The text of one MONITOR line, as Redis's replicationFeedMonitors writes it:
 * {@code 1700000000.123456 [0 127.0.0.1:50000] "LPUSH" "queue" "message-1"} — the time in seconds with
 * microseconds, the database and who sent the command, then each argument quoted the way Redis's
 * sdscatrepr quotes: backslash escapes for {@code \ " \n \r \t \a \b}, printable ASCII as is, and
 * {@code \xhh} (lower-case hex) for every other byte.
 */
final class MonitorLine {

    private MonitorLine() {
    }

    static String format(long epochMicros, int db, String origin, byte[][] args) {
        StringBuilder line = new StringBuilder(64);
        String micros = Long.toString(epochMicros % 1_000_000 + 1_000_000);
        line.append(epochMicros / 1_000_000).append('.').append(micros, 1, 7)
                .append(" [").append(db).append(' ').append(origin).append(']');
        for (byte[] arg : args) {
            line.append(' ');
            Repr.append(line, arg);
        }
        return line.toString();
    }
}
