package io.postbox.it;

import static io.postbox.it.support.Exchange.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.Exchange;
import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.RawConnection;
import io.postbox.it.support.ReferenceRedis;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Raw byte sequences, which case files cannot express, sent to Postbox and to the reference Redis on a
 * fresh connection each: the reply bytes and whether the server closes the connection must be the same.
 */
class ProtocolSideBySideTest {

    /** Bytes per case; each is sent in one write. */
    private static Map<String, byte[]> cases() {
        Map<String, byte[]> cases = new LinkedHashMap<>();
        // Multibulk length errors.
        for (String count : new String[] {"abc", "1x", "-0", "01", "+1", " 1", "", "-9223372036854775809",
                "9223372036854775808", "2147483648", "123456789012345678901"}) {
            cases.put("multibulk length '" + count + "'", bytes("*" + count + "\r\nPING\r\n"));
        }
        // Empty requests, skipped without a reply.
        for (String count : new String[] {"0", "-1", "-100", "-1000000000000000000", "-9223372036854775808"}) {
            cases.put("empty multibulk '" + count + "'", bytes("*" + count + "\r\nPING\r\n"));
        }
        cases.put("empty lines", bytes("\r\n\r\n\n   \r\nPING\r\n"));
        // Bulk errors.
        cases.put("expected $ got x", bytes("*1\r\nx\r\n"));
        cases.put("expected $ got newline", bytes("*1\r\n\n\r\n"));
        cases.put("expected $ got byte ff", bytes("*1\r\n\u00ff\r\n"));
        cases.put("expected $ got : after an argument", bytes("*2\r\n$4\r\nECHO\r\n:1\r\n"));
        for (String length : new String[] {"abc", "-1", "-0", "01", "", " 1", "536870913", "9223372036854775808"}) {
            cases.put("bulk length '" + length + "'", bytes("*1\r\n$" + length + "\r\n"));
        }
        cases.put("largest bulk length waits for data", bytes("*1\r\n$536870912\r\n"));
        cases.put("largest multibulk length waits", bytes("*2147483647\r\n"));
        // Lines longer than 64 KiB without their end; exactly one byte too many, so all input is read.
        cases.put("too big inline request", bytes("a".repeat(64 * 1024 + 1)));
        cases.put("too big mbulk count string", bytes("*" + "1".repeat(64 * 1024)));
        cases.put("too big bulk count string", bytes("*1\r\n$" + "1".repeat(64 * 1024)));
        cases.put("line of exactly 64 KiB waits", bytes("a".repeat(64 * 1024)));
        // Errors after good commands: the replies before the error come first.
        cases.put("error after a pipeline", bytes("PING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\nGET nokey\r\n*1\r\n$x\r\nPING\r\n"));
        cases.put("SCRIPT DEBUG after a pipelined command", bytes("PING\r\nSCRIPT DEBUG NO\r\nSCRIPT DEBUG NO\r\n"));
        cases.put("SYNC and PSYNC after a pipelined command", bytes("PING\r\nSYNC\r\nPSYNC ? -1\r\n"));
        cases.put("error after inline", bytes("ECHO one\r\n\"unbalanced\r\nPING\r\n"));
        // Inline splitting.
        cases.put("inline quotes and escapes", bytes("ECHO \"\\x41\\x4a\\n\\t\\\\\\\"\"\r\nECHO 'it\\'s'\r\nECHO \"\\x4g\"\r\n"));
        cases.put("inline quote inside a word", bytes("ECHO a\"b c\"\r\n"));
        cases.put("inline empty quotes", bytes("ECHO \"\"\r\nECHO ''\r\n"));
        cases.put("inline unbalanced double quote", bytes("ECHO \"abc\r\n"));
        cases.put("inline closing quote then a letter", bytes("ECHO \"a\"b\r\n"));
        cases.put("inline single quote then a letter", bytes("ECHO 'a'b\r\n"));
        cases.put("inline escaped closing quote", bytes("ECHO \"a\\\"\r\n"));
        cases.put("inline vertical tab is data", bytes("ECHO\u000ba\r\n"));
        cases.put("inline LF only", bytes("PING\nECHO x\n"));
        cases.put("inline CR CR LF", bytes("PING\r\r\n"));
        cases.put("inline with too many arguments", bytes("GET a b c\r\n"));
        // NUL bytes: an inline line with one never ends; inside a bulk it is data; error texts stop at it.
        cases.put("NUL in an inline line", bytes("ECHO a\u0000b\r\nPING\r\n"));
        cases.put("NUL in a length line", bytes("*1\u0000\r\n$4\r\nPING\r\n"));
        cases.put("NUL inside a bulk", bytes("*2\r\n$4\r\nECHO\r\n$3\r\na\u0000b\r\n"));
        cases.put("NUL in an unknown command", bytes("*3\r\n$3\r\nF\u0000O\r\n$3\r\na\u0000b\r\n$1\r\nc\r\n"));
        // Framing details Redis does not check.
        cases.put("bulk trailer is skipped unchecked", bytes("*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n"));
        cases.put("length line ends at the first CR", bytes("*1\r\n$4\r\r\nPING\r\n"));
        cases.put("CR alone as an argument", bytes("*1\r\n$1\r\n\r\n\r\n"));
        cases.put("incomplete command waits", bytes("*2\r\n$4\r\nECHO\r\n$5\r\nhel"));
        cases.put("mixed pipeline", mixedPipeline());
        return cases;
    }

    private static byte[] mixedPipeline() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 300; i++) {
            String value = "v" + i + "\u0000\u00ff";
            out.writeBytes(bytes("*3\r\n$3\r\nSET\r\n$" + ("pipe:" + i).length() + "\r\npipe:" + i + "\r\n$"
                    + value.length() + "\r\n" + value + "\r\n"));
            out.writeBytes(bytes("GET pipe:" + i + "\r\n"));
            out.writeBytes(bytes(i % 7 == 0 ? "*0\r\n\r\n" : "PING\r\n"));
        }
        return out.toByteArray();
    }

    @TestFactory
    Stream<DynamicTest> rawRequestsGetTheSameBytesAndTheSameClose() throws IOException {
        ReferenceRedis reference = ReferenceRedis.require();
        InJvmPostbox postbox = InJvmPostbox.shared();
        resetLimits(reference.port(), postbox.port());
        // Every case waits a quiet period when the server keeps the connection open: run them all at once.
        ExecutorService pool = Executors.newFixedThreadPool(16);
        Map<String, byte[]> cases = cases();
        Map<String, Future<Exchange>> redis = new LinkedHashMap<>();
        Map<String, Future<Exchange>> ours = new LinkedHashMap<>();
        cases.forEach((name, input) -> {
            redis.put(name, pool.submit(() -> Exchange.run(reference.port(), input)));
            ours.put(name, pool.submit(() -> Exchange.run(postbox.port(), input)));
        });
        return cases.entrySet().stream().map(c -> DynamicTest.dynamicTest(c.getKey(),
                () -> assertEquals(redis.get(c.getKey()).get().toString(), ours.get(c.getKey()).get().toString(),
                        differsFor(c.getValue())))).onClose(pool::shutdownNow);
    }

    /** The limits that need AUTH or a changed configuration, on a Postbox started with the same settings. */
    @Test
    void unauthenticatedAndQueryBufferLimitsActAsInRedis() throws Exception {
        ReferenceRedis reference = ReferenceRedis.require();
        resetLimits(reference.port());
        configureReference(reference, "requirepass", "s3cret", "client-query-buffer-limit", "1048576");
        try (InJvmPostbox postbox = InJvmPostbox.start("--requirepass", "s3cret", "--client-query-buffer-limit", "1048576")) {
            assertSameOutcome(reference.port(), postbox.port(), bytes("*11\r\n"));
            assertSameOutcome(reference.port(), postbox.port(), bytes("*10\r\n"));
            assertSameOutcome(reference.port(), postbox.port(), bytes("*1\r\n$16385\r\n"));
            assertSameOutcome(reference.port(), postbox.port(), bytes("*1\r\n$16384\r\n"));
            assertSameOutcome(reference.port(), postbox.port(), bytes("*1\r\n$536870913\r\n"));
            assertSameOutcome(reference.port(), postbox.port(), bytes("PING a b c d e f g h i j k l\r\n"));
            // The query buffer limit: a partial argument larger than 1 MiB closes the client, no reply.
            String header = "*2\r\n$4\r\nECHO\r\n$2000000\r\n";
            Exchange overflow = assertSameOutcome(reference.port(), postbox.port(),
                    bytes(header + "x".repeat(1_200_000)));
            assertTrue(overflow.closed());
        } finally {
            restoreReference(reference);
        }
    }

    /** Redis runs each command before it parses the next: a CONFIG SET changes the limit for the rest of a pipeline. */
    @Test
    void configSetInAPipelineAppliesFromTheNextCommand() throws Exception {
        ReferenceRedis reference = ReferenceRedis.require();
        InJvmPostbox postbox = InJvmPostbox.shared();
        resetLimits(reference.port(), postbox.port());
        try {
            assertSameOutcome(reference.port(), postbox.port(),
                    bytes("CONFIG SET proto-max-bulk-len 1048576\r\n*2\r\n$4\r\nECHO\r\n$1048577\r\n"));
        } finally {
            for (int port : new int[] {reference.port(), postbox.port()}) {
                try (RawConnection connection = new RawConnection(port)) {
                    assertEquals("+OK\r\n", new String(connection.call("CONFIG", "SET", "proto-max-bulk-len", "536870912")));
                }
            }
        }
    }

    private static Exchange assertSameOutcome(int referencePort, int postboxPort, byte[] input) throws Exception {
        CompletableFuture<Exchange> redis = CompletableFuture.supplyAsync(() -> exchange(referencePort, input));
        Exchange postbox = exchange(postboxPort, input);
        assertEquals(redis.get().toString(), postbox.toString(), differsFor(input));
        return postbox;
    }

    private static String differsFor(byte[] input) {
        return "Postbox differs from Redis for \"" + Exchange.escape(input.length > 200 ? Arrays.copyOf(input, 200) : input) + "\"";
    }

    private static Exchange exchange(int port, byte[] input) {
        try {
            return Exchange.run(port, input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The servers are shared with other tests, and a side-by-side case that fails halfway leaves its
     * settings behind (client eviction once evicted these cases' clients): the limits these cases meet
     * are set to Redis's defaults first.
     */
    private static void resetLimits(int... ports) throws IOException {
        for (int port : ports) {
            try (RawConnection connection = new RawConnection(port)) {
                assertEquals("+OK\r\n", new String(connection.call("CONFIG", "SET", "maxmemory", "0",
                        "maxmemory-clients", "0", "proto-max-bulk-len", "536870912",
                        "client-query-buffer-limit", "1073741824", "timeout", "0"), StandardCharsets.ISO_8859_1));
            }
        }
    }

    private static void configureReference(ReferenceRedis reference, String... settings) throws Exception {
        try (RawConnection redis = new RawConnection(reference.port())) {
            // A connection open when requirepass is set stays authenticated, so one can set everything.
            for (int i = 0; i < settings.length; i += 2) {
                assertEquals("+OK\r\n", new String(redis.call("CONFIG", "SET", settings[i], settings[i + 1])));
            }
        }
    }

    private static void restoreReference(ReferenceRedis reference) throws Exception {
        try (RawConnection redis = new RawConnection(reference.port())) {
            redis.call("AUTH", "s3cret");
            redis.call("CONFIG", "SET", "client-query-buffer-limit", "1gb");
            assertEquals("+OK\r\n", new String(redis.call("CONFIG", "SET", "requirepass", "")));
        }
    }
}
