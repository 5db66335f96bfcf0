package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.RawConnection;
import io.postbox.it.support.ReferenceRedis;
import io.postbox.resp.InlineSplitter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code redis-cli monitor} attached while a producer and a consumer run the FIFO and the reliable
 * queue patterns, on Postbox and on Redis: the lines must be the same, byte for byte, once the
 * timestamps and the clients' ports are replaced by placeholders. The session also covers what
 * MONITOR leaves out or hides (admin commands, refused commands, passwords) and how a transaction
 * is shown.
 */
class MonitorTest {

    /** {@code 1700000000.123456 [0 127.0.0.1:50000] "LPUSH" ...} */
    private static final Pattern LINE = Pattern.compile("(\\d+)\\.(\\d{6}) \\[(\\d+) ([^\\]]+)\\] (.*)");
    private static final String END = "monitor-test-end";

    /** Who sends each command: the producer (p) or the consumer (c). */
    private static final List<String> SESSION = List.of(
            // FIFO: LPUSH, RPOP until empty.
            "p LPUSH queue message-1",
            "p LPUSH queue message-2 \"with space\" \"bin\\x00\\xff\\r\\n\\t\\\"\\\\\"",
            "c RPOP queue",
            "c RPOP queue",
            "c RPOP queue 2",
            "c RPOP queue",
            // Reliable: LMOVE / RPOPLPUSH into processing, LREM to acknowledge.
            "p LPUSH queue:pending job-1 job-2 job-3",
            "c LMOVE queue:pending queue:processing RIGHT LEFT",
            "c LREM queue:processing 1 job-1",
            "c RPOPLPUSH queue:pending queue:processing",
            "c LMOVE queue:pending queue:processing RIGHT LEFT",
            "c LRANGE queue:processing 0 -1",
            "c LREM queue:processing 1 job-2",
            "c LREM queue:processing 0 job-3",
            "c LLEN queue:processing",
            // A transaction shows MULTI, then each command as EXEC runs it, then EXEC.
            "p MULTI",
            "p LPUSH queue tx-1",
            "p RPOP queue",
            "p EXEC",
            // A command that fails while it runs is shown; refused ones are not.
            "p SET queue:kind string",
            "c LPUSH queue:kind x",
            "c NOSUCHCOMMAND queue",
            "c RPOP",
            "c MULTI",
            "c NOSUCHCOMMAND",
            "c EXEC",
            // Admin commands are hidden; passwords are redacted.
            "p CONFIG GET maxmemory",
            "p CLIENT LIST",
            "p AUTH secret",
            "p AUTH default secret",
            "p HELLO 2 AUTH default secret",
            "p HELLO 2",
            "p CLIENT ID",
            // The database is the one the command ran in.
            "c SELECT 3",
            "c SET in-three 3",
            "c SELECT 0",
            "p ECHO " + END);

    @Test
    void redisCliMonitorShowsTheQueuePatternsAsRedisDoes() throws Exception {
        Assumptions.assumeTrue(ReferenceRedis.onPath("redis-cli") != null, "redis-cli is not on the PATH");
        ReferenceRedis reference = ReferenceRedis.require();
        try (InJvmPostbox postbox = InJvmPostbox.start()) {
            List<String> expected = monitored(reference.port());
            List<String> actual = monitored(postbox.port());
            assertTrue(expected.size() > 30, "the reference showed the session: " + expected);
            assertEquals(String.join("\n", expected), String.join("\n", actual));
        }
    }

    /** The session's MONITOR lines as redis-cli prints them, with times and ports replaced. */
    private static List<String> monitored(int port) throws Exception {
        try (RawConnection admin = new RawConnection(port)) {
            admin.call("FLUSHALL");
        }
        Process monitor = new ProcessBuilder("redis-cli", "-p", Integer.toString(port), "monitor")
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(monitor.getInputStream(),
                StandardCharsets.ISO_8859_1))) {
            assertEquals("OK", out.readLine());
            try (RawConnection producer = new RawConnection(port); RawConnection consumer = new RawConnection(port)) {
                for (String step : SESSION) {
                    RawConnection client = step.startsWith("p ") ? producer : consumer;
                    byte[] command = step.substring(2).getBytes(StandardCharsets.ISO_8859_1);
                    client.call(InlineSplitter.split(command, 0, command.length));
                }
            }
            List<String> lines = new ArrayList<>();
            Map<String, String> clients = new HashMap<>();
            long previousMicros = 0;
            String line;
            while ((line = out.readLine()) != null) {
                Matcher parts = LINE.matcher(line);
                assertTrue(parts.matches(), "a MONITOR line: " + line);
                long micros = Long.parseLong(parts.group(1)) * 1_000_000 + Long.parseLong(parts.group(2));
                assertTrue(micros >= previousMicros, "times never go back: " + line);
                previousMicros = micros;
                String who = clients.computeIfAbsent(parts.group(4), address -> "client-" + (clients.size() + 1));
                lines.add("[" + parts.group(3) + " " + who + "] " + parts.group(5));
                if (line.endsWith("\"" + END + "\"")) {
                    return lines;
                }
            }
            throw new IOException("redis-cli monitor ended before the session did: " + lines);
        } finally {
            monitor.destroy();
        }
    }
}
