package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.redis.RedisArrayAggregator;
import io.netty.handler.codec.redis.RedisBulkStringAggregator;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ResourceLeakDetector;
import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.RecordingLeakDetector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Many connections send random and malformed bytes while a well-behaved client keeps working. The
 * server must answer the good client correctly throughout, send only well-framed replies to the bad
 * ones, forget every bad connection, and leak no Netty buffer (every buffer is tracked for the run).
 */
class ProtocolFuzzTest {

    private static final int FUZZERS = 32;
    private static final long RUN_MILLIS = 10_000;
    private static final int MAX_SENDS_PER_FUZZER = 2_000;

    @Test
    void randomAndMalformedInputLeavesTheServerWorkingAndLeakFree() throws Exception {
        assertTrue(RecordingLeakDetector.installed(),
                "io.netty.customResourceLeakDetector must name RecordingLeakDetector (it-tests pom.xml)");
        ResourceLeakDetector.Level savedLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ExecutorService pool = Executors.newFixedThreadPool(FUZZERS + 1);
        try {
            reportCollectedLeaks();
            RecordingLeakDetector.clear();
            try (InJvmPostbox postbox = InJvmPostbox.start()) {
                long deadline = System.currentTimeMillis() + RUN_MILLIS;
                List<Future<Integer>> fuzzers = new ArrayList<>();
                for (int i = 0; i < FUZZERS; i++) {
                    fuzzers.add(pool.submit(new Fuzzer(postbox.port(), 1000 + i, deadline)));
                }
                AtomicBoolean fuzzing = new AtomicBoolean(true);
                // Tracking every buffer access makes the server slow: the good client is patient, not lenient.
                try (Jedis good = new Jedis("127.0.0.1", postbox.port(), 60_000)) {
                    Future<Integer> checks = pool.submit(() -> checkSetAndGet(good, fuzzing));
                    int replies = 0;
                    for (Future<Integer> fuzzer : fuzzers) {
                        replies += fuzzer.get(RUN_MILLIS + 60_000, TimeUnit.MILLISECONDS);
                    }
                    fuzzing.set(false);
                    int pairs = checks.get(60, TimeUnit.SECONDS);
                    System.out.println("fuzz: " + FUZZERS + " fuzzers got " + replies
                            + " well-framed replies; the good client did " + pairs + " SET/GET pairs");
                    assertTrue(pairs > 0, "the good client completed no command");
                    assertTrue(replies > 0, "the fuzzers got no reply at all");

                    assertEquals("PONG", good.ping());
                    awaitClientCount(postbox, 1);
                }
            }
            reportCollectedLeaks();
            assertEquals(List.of(), RecordingLeakDetector.leaks(), "Netty buffers leaked");
        } finally {
            pool.shutdownNow();
            ResourceLeakDetector.setLevel(savedLevel);
        }
    }

    /** SET then GET with binary values, every reply checked; returns how many pairs were done. */
    private static int checkSetAndGet(Jedis jedis, AtomicBoolean fuzzing) {
        Random random = new Random(5);
        int done = 0;
        while (fuzzing.get() || done == 0) {
            byte[] key = ("good:" + random.nextInt(100)).getBytes(StandardCharsets.US_ASCII);
            byte[] value = new byte[random.nextInt(300)];
            random.nextBytes(value);
            assertEquals("OK", jedis.set(key, value));
            assertArrayEquals(value, jedis.get(key));
            done++;
        }
        return done;
    }

    /**
     * Client bookkeeping runs on the executor; this polls it from the test thread until it settles. A
     * slow server overflows its accept queue under this churn, and a connection the kernel then
     * completes late (SYN-ACK retries back off over seconds) is only accepted, and its close seen,
     * after that: the wait is generous.
     */
    private static void awaitClientCount(InJvmPostbox postbox, int expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (postbox.server().engine().clients().size() != expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(expected, postbox.server().engine().clients().size(), "clients still connected");
    }

    /**
     * Netty notices a leaked buffer once the garbage collector has freed it, and reports it at the next
     * tracked allocation: collect, then allocate, a few times over.
     */
    private static void reportCollectedLeaks() throws InterruptedException {
        for (int round = 0; round < 5; round++) {
            System.gc();
            Thread.sleep(100);
            for (int i = 0; i < 100; i++) {
                ByteBufAllocator.DEFAULT.directBuffer(16).release();
                ByteBufAllocator.DEFAULT.heapBuffer(16).release();
            }
        }
    }

    /**
     * Fuzzing connections one after another: each sends a few random pieces, then either reads until the
     * server closes it or falls silent, or is dropped at once (often with a reset). Every byte received is
     * checked to be well-framed RESP. Returns the replies read.
     */
    private static final class Fuzzer implements java.util.concurrent.Callable<Integer> {

        private static final int QUIET_MILLIS = 200;

        private final int port;
        private final Random random;
        private final long deadline;

        Fuzzer(int port, long seed, long deadline) {
            this.port = port;
            this.random = new Random(seed);
            this.deadline = deadline;
        }

        @Override
        public Integer call() throws Exception {
            int sends = 0;
            int replies = 0;
            while (sends < MAX_SENDS_PER_FUZZER && System.currentTimeMillis() < deadline) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                    socket.setSoTimeout(QUIET_MILLIS);
                    try {
                        for (int i = 0, n = 1 + random.nextInt(20); i < n; i++, sends++) {
                            socket.getOutputStream().write(piece());
                        }
                    } catch (IOException closedByServer) {
                        // Read what it sent before closing.
                    }
                    if (random.nextInt(5) == 0) {
                        socket.setSoLinger(random.nextBoolean(), 0); // dropped unread, perhaps with a reset
                        continue;
                    }
                    ReplyChecker checker = new ReplyChecker();
                    drain(socket.getInputStream(), checker);
                    replies += checker.finish();
                }
            }
            return replies;
        }

        /** Reads until the server closes the connection or has been silent for the quiet period. */
        private static void drain(InputStream in, ReplyChecker checker) {
            byte[] chunk = new byte[16 * 1024];
            try {
                for (int n; (n = in.read(chunk)) >= 0; ) {
                    checker.feed(chunk, n);
                }
            } catch (SocketTimeoutException quiet) {
                // The server waits for the rest of a request.
            } catch (IOException reset) {
                // Closed with unread input left: the server's reset.
            }
        }

        private byte[] piece() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            switch (random.nextInt(10)) {
                case 0 -> out.writeBytes(randomBytes(1 + random.nextInt(512)));
                case 1 -> out.writeBytes(inlineGarbage());
                case 2 -> {
                    byte[] command = command();
                    out.write(command, 0, random.nextInt(command.length)); // truncated
                }
                case 3 -> out.writeBytes(hugeLength());
                case 4 -> {
                    byte[] command = command();
                    command[random.nextInt(command.length)] = (byte) random.nextInt(256); // one byte corrupted
                    out.writeBytes(command);
                }
                case 5 -> out.writeBytes(ascii(random.nextBoolean() ? "PING\r\n" : "ECHO \"a\\x00b\" 'c'\r\n"));
                default -> {
                    for (int i = 0, n = 1 + random.nextInt(50); i < n; i++) {
                        out.writeBytes(command());
                    }
                }
            }
            return out.toByteArray();
        }

        /** A valid request: SET, GET, ECHO, PING, or an unknown command, with binary arguments. */
        private byte[] command() {
            List<byte[]> args = new ArrayList<>();
            switch (random.nextInt(5)) {
                case 0 -> {
                    args.add(ascii("SET"));
                    args.add(ascii("fuzz:" + random.nextInt(50)));
                    args.add(randomBytes(random.nextInt(200)));
                }
                case 1 -> {
                    args.add(ascii("GET"));
                    args.add(ascii("fuzz:" + random.nextInt(50)));
                }
                case 2 -> {
                    args.add(ascii("ECHO"));
                    args.add(randomBytes(random.nextInt(100)));
                }
                case 3 -> args.add(ascii("PING"));
                default -> {
                    for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                        args.add(randomBytes(random.nextInt(20)));
                    }
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(ascii("*" + args.size() + "\r\n"));
            for (byte[] arg : args) {
                out.writeBytes(ascii("$" + arg.length + "\r\n"));
                out.writeBytes(arg);
                out.writeBytes(ascii("\r\n"));
            }
            return out.toByteArray();
        }

        private byte[] inlineGarbage() {
            String alphabet = "abcXYZ019 \t\"'\\x\0\u00ff";
            StringBuilder line = new StringBuilder();
            for (int i = 0, n = random.nextInt(80); i < n; i++) {
                line.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return ascii(line + (random.nextBoolean() ? "\r\n" : "\n"));
        }

        private byte[] hugeLength() {
            String[] lengths = {"2147483647", "2147483648", "536870912", "536870913", "9223372036854775807",
                    "-5", "99999999999999999999", "16385", "65536"};
            String length = lengths[random.nextInt(lengths.length)];
            String request = random.nextBoolean() ? "*" + length + "\r\n" : "*2\r\n$3\r\nGET\r\n$" + length + "\r\n";
            return ascii(request + "x".repeat(random.nextInt(100)));
        }

        private byte[] randomBytes(int length) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            return bytes;
        }

        private static byte[] ascii(String text) {
            return text.getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    /** Parses a connection's replies with Netty's RESP2 decoder, which throws on a malformed frame. */
    private static final class ReplyChecker {

        private final EmbeddedChannel decoder = new EmbeddedChannel(
                new RedisDecoder(), new RedisBulkStringAggregator(), new RedisArrayAggregator());
        private int replies;

        void feed(byte[] chunk, int length) {
            decoder.writeInbound(Unpooled.copiedBuffer(chunk, 0, length));
            Object reply;
            while ((reply = decoder.readInbound()) != null) {
                ReferenceCountUtil.release(reply);
                replies++;
            }
        }

        int finish() {
            decoder.finishAndReleaseAll();
            return replies;
        }
    }
}
