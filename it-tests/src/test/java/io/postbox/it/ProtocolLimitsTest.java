package io.postbox.it;

import static io.postbox.it.support.Exchange.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.postbox.commands.config.Config;
import io.postbox.it.support.Exchange;
import io.postbox.it.support.RawConnection;
import io.postbox.server.ConfigFile;
import io.postbox.server.PostboxServer;
import io.postbox.server.ServerLog;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The request limits and the output backpressure of a running server, seen from raw sockets. */
class ProtocolLimitsTest {

    private static final int MIB = 1024 * 1024;

    @TempDir
    Path dir;
    private PostboxServer server;
    private Path logFile;

    private int start(String... options) throws Exception {
        Config config = new Config();
        String[] args = new String[options.length + 4];
        System.arraycopy(new String[] {"--port", "0", "--bind", "127.0.0.1"}, 0, args, 0, 4);
        System.arraycopy(options, 0, args, 4, options.length);
        ConfigFile.apply(config, args);
        logFile = dir.resolve("postbox.log");
        ServerLog log = new ServerLog();
        log.file(logFile.toString());
        server = new PostboxServer(config, log);
        server.start();
        return server.port();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aBulkOverProtoMaxBulkLenIsRefusedAndTheConnectionClosed() throws Exception {
        int port = start("--proto-max-bulk-len", Integer.toString(MIB));
        Exchange refused = Exchange.run(port, bytes("PING\r\n*2\r\n$4\r\nECHO\r\n$" + (MIB + 1) + "\r\n"));
        assertEquals("\"+PONG\\r\\n-ERR Protocol error: invalid bulk length\\r\\n\" then closed", refused.toString());

        byte[] largest = new byte[MIB];
        new Random(1).nextBytes(largest);
        try (RawConnection connection = new RawConnection(port)) {
            byte[] reply = connection.call(List.of(bytes("ECHO"), largest));
            assertArrayEquals(largest, Arrays.copyOfRange(reply, reply.length - 2 - MIB, reply.length - 2));
        }
    }

    @Test
    void aClientOverTheQueryBufferLimitIsClosedAndLogged() throws Exception {
        int port = start("--client-query-buffer-limit", Integer.toString(MIB));
        Exchange closed = Exchange.run(port, bytes("*2\r\n$4\r\nECHO\r\n$" + 2 * MIB + "\r\n" + "x".repeat(MIB + MIB / 2)));
        assertEquals("\"\" then closed", closed.toString());
        String log = Files.readString(logFile, StandardCharsets.UTF_8);
        assertTrue(log.contains("# Closing client that reached max query buffer length: id="), log);
        assertTrue(log.contains("(qbuf initial bytes: \"" + "x".repeat(64) + "\")"), log);
        // Complete commands never count, however many arrive together.
        String echo = "*2\r\n$4\r\nECHO\r\n$1000\r\n" + "y".repeat(1000) + "\r\n";
        Exchange pipeline = Exchange.run(port, bytes(echo.repeat(3000)));
        assertEquals(3000 * ("$1000\r\n".length() + 1002), pipeline.reply().length);
    }

    @Test
    void unauthenticatedClientsMaySendOnlySmallRequests() throws Exception {
        int port = start("--requirepass", "s3cret");
        assertEquals("\"-ERR Protocol error: unauthenticated multibulk length\\r\\n\" then closed",
                Exchange.run(port, bytes("*11\r\n")).toString());
        assertEquals("\"-ERR Protocol error: unauthenticated bulk length\\r\\n\" then closed",
                Exchange.run(port, bytes("*1\r\n$16385\r\n")).toString());
        assertEquals("\"-NOAUTH Authentication required.\\r\\n\" (still open)",
                Exchange.run(port, bytes("*10\r\n$4\r\nPING\r\n" + "$1\r\nx\r\n".repeat(9))).toString());
    }

    /** The connection closes only once the replies to everything before the error have been sent. */
    @Test
    void aProtocolErrorClosesOnlyAfterTheEarlierRepliesAreSent() throws Exception {
        int port = start();
        byte[] big = setBigValue(port);
        try (RawConnection connection = new RawConnection(port)) {
            connection.sendRaw(bytes("GET big\r\n".repeat(20) + "*x\r\n"));
            Thread.sleep(300); // let the server produce far more than the socket buffers hold
            for (int i = 0; i < 20; i++) {
                assertBulk(big, connection.readReply());
            }
            assertEquals("-ERR Protocol error: invalid multibulk length\r\n", new String(connection.readReply(), StandardCharsets.ISO_8859_1));
            assertTrue(connection.closedByPeer(5000));
        }
    }

    /**
     * redis-py and Jedis write a whole pipeline before they read a reply. A server that stopped reading
     * a client until it read its replies would leave such a client waiting forever on its own writes,
     * once the pipeline outgrows the sockets' buffers (20 MB here). Served as Redis serves it, it gets
     * every reply, in order.
     */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aClientThatWritesItsWholePipelineBeforeReadingIsServed() throws Exception {
        int port = start();
        int pushes = 400_000;
        try (RawConnection connection = new RawConnection(port)) {
            String push = "*3\r\n$5\r\nLPUSH\r\n$5\r\nqueue\r\n$32\r\n" + "m".repeat(32) + "\r\n";
            connection.sendRaw(bytes(push.repeat(pushes)));
            for (int i = 1; i <= pushes; i++) {
                assertEquals(":" + i + "\r\n", new String(connection.readReply(), StandardCharsets.ISO_8859_1));
            }
            byte[] length = connection.call("LLEN", "queue");
            assertEquals(":" + pushes + "\r\n", new String(length, StandardCharsets.ISO_8859_1));
        }
    }

    /**
     * The output of a client that reads nothing grows as Redis's does, until {@code client-output-buffer-limit}
     * for normal clients closes it; its buffers are freed and the server works on.
     */
    @Test
    void theOutputOfAClientThatReadsNothingIsBoundedByTheNormalLimit() throws Exception {
        int port = start("--client-output-buffer-limit", "normal", "16mb", "0", "0");
        setBigValue(port);
        ByteBufAllocatorMetric memory = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
        try (RawConnection connection = new RawConnection(port)) {
            connection.sendRaw(bytes("GET big\r\n".repeat(200)));
            assertTrue(connection.endsAfterSkipping(10_000), "closed at the limit");
        }
        String log = Files.readString(logFile, StandardCharsets.UTF_8);
        assertTrue(log.contains("scheduled to be closed ASAP for overcoming of output buffer limits."), log);
        try (RawConnection connection = new RawConnection(port)) {
            assertEquals("+PONG\r\n", new String(connection.call("PING"), StandardCharsets.ISO_8859_1));
        }
        long buffers = memory.usedDirectMemory() + memory.usedHeapMemory();
        assertTrue(buffers < 64L * MIB, "server buffers hold " + buffers + " bytes after the client went");
    }

    private static byte[] setBigValue(int port) throws Exception {
        byte[] big = new byte[MIB];
        new Random(2).nextBytes(big);
        try (RawConnection connection = new RawConnection(port)) {
            assertEquals("+OK\r\n", new String(connection.call(List.of(bytes("SET"), bytes("big"), big)), StandardCharsets.ISO_8859_1));
        }
        return big;
    }

    private static void assertBulk(byte[] expected, byte[] reply) {
        ByteArrayOutputStream wanted = new ByteArrayOutputStream();
        wanted.writeBytes(bytes("$" + expected.length + "\r\n"));
        wanted.writeBytes(expected);
        wanted.writeBytes(bytes("\r\n"));
        assertArrayEquals(wanted.toByteArray(), reply);
    }
}
