package io.postbox.resp;

import static io.postbox.resp.Decoding.all;
import static io.postbox.resp.Decoding.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The request decoder against Redis 7.0.15's behaviour. Every expected error text and trigger here was
 * first sent to a reference redis-server over a raw socket; the replies are quoted in the tables.
 */
class RespDecoderTest {

    private static final String INVALID_MULTIBULK = "-ERR Protocol error: invalid multibulk length";
    private static final String INVALID_BULK = "-ERR Protocol error: invalid bulk length";

    @Test
    void decodesAMultibulkCommand() {
        assertEquals(List.of("[SET, k, v]"), all("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"));
    }

    @Test
    void keepsBinaryArgumentsByteForByte() {
        byte[] every = new byte[256];
        for (int i = 0; i < every.length; i++) {
            every[i] = (byte) i;
        }
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.writeBytes(bytes("*3\r\n$4\r\nECHO\r\n$256\r\n"));
        input.writeBytes(every);
        input.writeBytes(bytes("\r\n$0\r\n\r\n"));
        List<String> decoded = new Decoding(new TestLimits()).feed(input.toByteArray()).finish();
        assertEquals(List.of("[ECHO, " + new String(every, StandardCharsets.ISO_8859_1) + ", ]"), decoded);
    }

    @Test
    void decodesAPipelineOfManyCommandsInOneBuffer() {
        StringBuilder input = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            if (i % 3 == 0) {
                input.append("INCR counter:").append(i).append("\r\n");
                expected.add("[INCR, counter:" + i + "]");
            } else {
                String value = "v".repeat(i % 50);
                input.append("*3\r\n$3\r\nSET\r\n$").append(("k" + i).length()).append("\r\nk").append(i)
                        .append("\r\n$").append(value.length()).append("\r\n").append(value).append("\r\n");
                expected.add("[SET, k" + i + ", " + value + "]");
            }
        }
        assertEquals(expected, all(input.toString()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "*0\\r\\n",
            "*-1\\r\\n",
            "*-100\\r\\n",
            "*-1000000000000000000\\r\\n",
            "*-9223372036854775808\\r\\n",
            "\\r\\n",
            "\\n",
            "   \\r\\n",
    })
    void emptyRequestsAreSkippedWithoutAReply(String request) {
        assertEquals(List.of("[PING]"), all(unescape(request) + "PING\r\n"));
    }

    @Test
    void skipsTheTwoBytesAfterABulkWithoutCheckingThem() {
        assertEquals(List.of("[PING]", "[PING]"), all("*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n"));
    }

    @Test
    void endsALengthLineAtTheFirstCarriageReturnAndSkipsTheByteAfterIt() {
        // "$4\r\r\nPING\r\n": length 4, "\r\r" skipped, so the argument is "\nPIN" and "G\r" is skipped;
        // the "\n" left over is an empty inline line. Redis answers: unknown command ' PIN'.
        assertEquals(List.of("[\nPIN]"), all("*1\r\n$4\r\r\nPING\r\n"));
    }

    @Test
    void waitsForTheByteAfterTheCarriageReturnOfALengthLine() {
        Decoding decoding = new Decoding(new TestLimits());
        assertEquals(List.of(), decoding.feed(bytes("*1\r")).messages());
        assertEquals(List.of(), decoding.feed(bytes("\n$4\r")).messages());
        assertEquals(List.of(), decoding.feed(bytes("\nPING\r")).messages());
        assertEquals(List.of("[PING]"), decoding.feed(bytes("\n")).finish());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "PING\\r\\n              | [PING]",
            "PING\\n                 | [PING]",
            "PING\\r\\r\\n           | [PING]",
            "  SET  k   v  \\r\\n    | [SET, k, v]",
            "ECHO \"a b\"\\r\\n      | [ECHO, a b]",
    })
    void decodesInlineCommands(String request, String expected) {
        assertEquals(List.of(unescape(expected)), all(unescape(request)));
    }

    @Test
    void inlineArgumentsAreUnquotedAndUnescaped() {
        assertEquals(List.of("[ECHO, A\n, it's]"), all("ECHO \"\\x41\\n\" 'it\\'s'\r\n"));
    }

    @Test
    void inlineLinesMayBeMixedWithMultibulkRequests() {
        assertEquals(List.of("[GET, a]", "[GET, b]", "[GET, c]"),
                all("GET a\r\n*2\r\n$3\r\nGET\r\n$1\r\nb\r\nGET c\n"));
    }

    /** Redis finds the end of an inline line with strchr, which stops at NUL: such a line never ends. */
    @Test
    void anInlineLineWithANulByteNeverCompletes() {
        Decoding decoding = new Decoding(new TestLimits());
        assertEquals(List.of(), decoding.feed(bytes("ECHO a\0b\r\nPING\r\n")).messages());
        assertEquals(List.of(), decoding.feed(bytes("PING\r\n".repeat(10_000))).messages());
        assertEquals(List.of("-ERR Protocol error: too big inline request"),
                decoding.feed(bytes("PING\r\n".repeat(1_000))).finish());
    }

    @Test
    void aNulByteHidesTheEndOfALengthLine() {
        Decoding decoding = new Decoding(new TestLimits());
        assertEquals(List.of(), decoding.feed(bytes("*1\0\r\n$4\r\nPING\r\n")).messages());
        assertEquals(List.of("-ERR Protocol error: too big mbulk count string"),
                decoding.feed(new byte[RespDecoder.MAX_LINE]).finish());
    }

    @Test
    void aNulByteInsideABulkIsJustData() {
        assertEquals(List.of("[PI\0G]"), all("*1\r\n$4\r\nPI\0G\r\n"));
    }

    /** Triggers and texts as redis-server 7.0.15 answers them (then it closes the connection). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "*abc\\r\\n                         | " + INVALID_MULTIBULK,
            "*1x\\r\\n                          | " + INVALID_MULTIBULK,
            "*-0\\r\\n                          | " + INVALID_MULTIBULK,
            "*01\\r\\n                          | " + INVALID_MULTIBULK,
            "*+1\\r\\n                          | " + INVALID_MULTIBULK,
            "* 1\\r\\n                          | " + INVALID_MULTIBULK,
            "*\\r\\n                            | " + INVALID_MULTIBULK,
            "*-9223372036854775809\\r\\n        | " + INVALID_MULTIBULK,
            "*9223372036854775808\\r\\n         | " + INVALID_MULTIBULK,
            "*2147483648\\r\\n                  | " + INVALID_MULTIBULK,
            "*123456789012345678901\\r\\n       | " + INVALID_MULTIBULK,
            "*1\\r\\nx\\r\\n                    | -ERR Protocol error: expected '$', got 'x'",
            "*1\\r\\n\\n\\r\\n                  | -ERR Protocol error: expected '$', got '\\n'",
            "*1\\r\\n\\xff\\r\\n                | -ERR Protocol error: expected '$', got '\u00ff'",
            "*2\\r\\n$1\\r\\na\\r\\n:1\\r\\n    | -ERR Protocol error: expected '$', got ':'",
            "*1\\r\\n$abc\\r\\n                 | " + INVALID_BULK,
            "*1\\r\\n$-1\\r\\n                  | " + INVALID_BULK,
            "*1\\r\\n$-0\\r\\n                  | " + INVALID_BULK,
            "*1\\r\\n$01\\r\\n                  | " + INVALID_BULK,
            "*1\\r\\n$\\r\\n                    | " + INVALID_BULK,
            "*1\\r\\n$ 1\\r\\n                  | " + INVALID_BULK,
            "*1\\r\\n$536870913\\r\\n           | " + INVALID_BULK,
            "\"abc\\r\\n                        | -ERR Protocol error: unbalanced quotes in request",
            "PING \"a\"b\\r\\n                  | -ERR Protocol error: unbalanced quotes in request",
            "ECHO 'a\\r\\n                      | -ERR Protocol error: unbalanced quotes in request",
    })
    void protocolErrorsHaveRedisTexts(String request, String expected) {
        assertEquals(List.of(unescape(expected)), all(unescape(request)));
    }

    @Test
    void bulkLengthsUpToTheLimitAreAccepted() {
        Decoding decoding = new Decoding(new TestLimits());
        assertEquals(List.of(), decoding.feed(bytes("*1\r\n$536870912\r\n")).messages());
        assertEquals(List.of(), decoding.feed(bytes("*2147483647\r\n")).finish());
    }

    @Test
    void tooLongLinesAreRejectedOnlyPastSixtyFourKilobytes() {
        String inline = "a".repeat(RespDecoder.MAX_LINE);
        assertEquals(List.of(), all(inline));
        assertEquals(List.of("-ERR Protocol error: too big inline request"), all(inline + "a"));
        String count = "*" + "1".repeat(RespDecoder.MAX_LINE - 1);
        assertEquals(List.of(), all(count));
        assertEquals(List.of("-ERR Protocol error: too big mbulk count string"), all(count + "1"));
        String length = "*1\r\n$" + "1".repeat(RespDecoder.MAX_LINE - 1);
        assertEquals(List.of(), all(length));
        assertEquals(List.of("-ERR Protocol error: too big bulk count string"), all(length + "1"));
    }

    @Test
    void unauthenticatedClientsMaySendTenArgumentsAndSixteenKilobyteBulks() {
        TestLimits limits = new TestLimits();
        limits.authenticated = false;
        assertEquals(List.of(), all(limits, "*10\r\n"));
        assertEquals(List.of("-ERR Protocol error: unauthenticated multibulk length"), all(limits, "*11\r\n"));
        assertEquals(List.of(), all(limits, "*1\r\n$16384\r\n"));
        assertEquals(List.of("-ERR Protocol error: unauthenticated bulk length"), all(limits, "*1\r\n$16385\r\n"));
        // The size checks come first, as in Redis.
        assertEquals(List.of(INVALID_BULK), all(limits, "*1\r\n$536870913\r\n"));
        assertEquals(List.of(INVALID_MULTIBULK), all(limits, "*2147483648\r\n"));
        // Inline requests have no such limit.
        assertEquals(List.of("[PING, a, b, c, d, e, f, g, h, i, j, k, l]"), all(limits, "PING a b c d e f g h i j k l\r\n"));
    }

    @Test
    void protoMaxBulkLenIsReadLive() {
        TestLimits limits = new TestLimits();
        limits.maxBulkLength = 10;
        assertEquals(List.of("[0123456789]"), all(limits, "*1\r\n$10\r\n0123456789\r\n"));
        assertEquals(List.of(INVALID_BULK), all(limits, "*1\r\n$11\r\n"));
    }

    /** Redis runs each command before it parses the next, so AUTH lifts the limits for the rest of a pipeline. */
    @Test
    void limitsApplyFromTheNextCommandOfAPipeline() {
        TestLimits limits = new TestLimits();
        limits.authenticated = false;
        Decoding decoding = new Decoding(limits, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) {
                if (message instanceof byte[][] args && new String(args[0], StandardCharsets.ISO_8859_1).equals("AUTH")) {
                    limits.authenticated = true;
                }
                ctx.fireChannelRead(message);
            }
        });
        String eleven = "*11\r\n" + "$1\r\nx\r\n".repeat(11);
        assertEquals(List.of("[AUTH, pw]", "[x, x, x, x, x, x, x, x, x, x, x]"),
                decoding.feed(bytes("AUTH pw\r\n" + eleven)).finish());
    }

    @Test
    void aProtocolErrorFollowsTheCommandsBeforeItAndEndsDecoding() {
        Decoding decoding = new Decoding(new TestLimits());
        assertEquals(List.of("[PING]", "[PING]", INVALID_MULTIBULK),
                decoding.feed(bytes("*1\r\n$4\r\nPING\r\nPING\r\n*x\r\nPING\r\n")).messages());
        assertEquals(List.of(), decoding.feed(bytes("PING\r\n*1\r\n$4\r\nPING\r\n")).finish());
    }

    @Test
    void unparsedInputBeyondTheQueryBufferLimitOverflows() {
        TestLimits limits = new TestLimits();
        limits.maxQueryBuffer = 100;
        Decoding decoding = new Decoding(limits, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) {
                if (message instanceof QueryBufferOverflow overflow) {
                    assertEquals(101, overflow.bytes());
                    assertEquals("x".repeat(64), new String(overflow.head(), StandardCharsets.ISO_8859_1));
                }
                ctx.fireChannelRead(message);
            }
        });
        assertEquals(List.of(), decoding.feed(bytes("*2\r\n$3\r\nGET\r\n$1000\r\n" + "x".repeat(100))).messages());
        assertEquals(List.of("overflow"), decoding.feed(bytes("x")).messages());
        assertEquals(List.of(), decoding.feed(bytes("x".repeat(1000) + "\r\nPING\r\n")).finish());
    }

    @Test
    void aBigArgumentArrivingByteByByteDecodesWhole() {
        byte[] big = new byte[RespDecoder.BIG_ARG + 5];
        new Random(3).nextBytes(big);
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.writeBytes(bytes("*2\r\n$4\r\nECHO\r\n$" + big.length + "\r\n"));
        input.writeBytes(big);
        input.writeBytes(bytes("\r\nPING\r\n"));
        byte[] all = input.toByteArray();
        int[] everyByte = new int[all.length - 1];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertEquals(List.of("[ECHO, " + new String(big, StandardCharsets.ISO_8859_1) + "]", "[PING]"),
                new Decoding(new TestLimits()).feedSplit(all, everyByte).finish());
    }

    /** The part of a big argument already received counts too, and the log sample is its start. */
    @Test
    void aBigArgumentCountsTowardsTheQueryBufferAsItArrives() {
        TestLimits limits = new TestLimits();
        limits.maxQueryBuffer = RespDecoder.BIG_ARG;
        List<QueryBufferOverflow> overflows = new ArrayList<>();
        Decoding decoding = new Decoding(limits, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) {
                if (message instanceof QueryBufferOverflow overflow) {
                    overflows.add(overflow);
                }
                ctx.fireChannelRead(message);
            }
        });
        String header = "*2\r\n$4\r\nECHO\r\n$" + 2 * RespDecoder.BIG_ARG + "\r\n";
        assertEquals(List.of(), decoding.feed(bytes(header + "y".repeat(RespDecoder.BIG_ARG))).messages());
        assertEquals(List.of("overflow"), decoding.feed(bytes("y")).finish());
        assertEquals(RespDecoder.BIG_ARG + 1, overflows.get(0).bytes());
        assertEquals("y".repeat(64), new String(overflows.get(0).head(), StandardCharsets.ISO_8859_1));
    }

    /** Only the partial request counts, as Redis's query buffer: complete commands in one read do not. */
    @Test
    void completeCommandsDoNotCountTowardsTheQueryBuffer() {
        TestLimits limits = new TestLimits();
        limits.maxQueryBuffer = 100;
        List<String> decoded = all(limits, "*2\r\n$4\r\nECHO\r\n$10\r\n0123456789\r\n".repeat(100));
        assertEquals(100, decoded.size());
        assertTrue(decoded.stream().allMatch("[ECHO, 0123456789]"::equals));
    }

    /** Requests held back behind a blocked one are in Redis's query buffer, unparsed: they count too. */
    @Test
    void heldRequestsCountTowardsTheQueryBuffer() {
        TestLimits limits = new TestLimits();
        limits.maxQueryBuffer = 100;
        limits.heldBytes = 90;
        Decoding decoding = new Decoding(limits);
        assertEquals(List.of(), decoding.feed(bytes("*1\r\n$20\r\n0123456789")).messages());
        assertEquals(List.of("overflow"), decoding.feed(bytes("0")).finish());
    }

    /** What CLIENT LIST shows of the request being received: qbuf, qbuf-free and argv-mem. */
    @Test
    void theRequestBeingReceivedIsMeasured() {
        Decoding decoding = new Decoding(new TestLimits());
        RespDecoder decoder = decoding.decoder();
        assertEquals(0, decoder.pendingBytes());
        decoding.feed(bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nab"));
        assertEquals("SETk".length(), decoder.argumentBytes());
        assertEquals("ab".length(), decoder.pendingBytes());
        String big = "*2\r\n$4\r\nECHO\r\n$" + 2 * RespDecoder.BIG_ARG + "\r\n";
        assertEquals(List.of("[SET, k, abcde]"),
                decoding.feed(bytes("cde\r\n" + big + "z".repeat(RespDecoder.BIG_ARG))).messages());
        assertEquals("ECHO".length(), decoder.argumentBytes());
        assertEquals(RespDecoder.BIG_ARG, decoder.pendingBytes());
        assertTrue(decoder.freeBytes() >= RespDecoder.BIG_ARG, "the big argument's array is allocated whole");
        decoding.feed(bytes("z".repeat(RespDecoder.BIG_ARG) + "\r\n"));
        assertEquals(0, decoder.pendingBytes());
        assertEquals(0, decoder.argumentBytes());
        assertEquals(1, decoding.messages().size());
        decoding.finish();
    }

    @Test
    void byteAtATimeAndRandomSplitsDecodeTheSameCommands() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            byte[] input = randomRequests(random, round % 10 == 0);
            List<String> whole = new Decoding(new TestLimits()).feed(input).finish();

            if (input.length <= 4000) {
                int[] everyByte = new int[Math.max(0, input.length - 1)];
                for (int i = 0; i < everyByte.length; i++) {
                    everyByte[i] = i + 1;
                }
                assertEquals(whole, new Decoding(new TestLimits()).feedSplit(input, everyByte).finish());
            }

            int[] cuts = random.ints(random.nextInt(20), 0, input.length + 1).sorted().toArray();
            assertEquals(whole, new Decoding(new TestLimits()).feedSplit(input, cuts).finish());
        }
    }

    /** A random mix of multibulk and inline requests with binary arguments, optionally ending in garbage. */
    private static byte[] randomRequests(Random random, boolean brokenTail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int commands = 1 + random.nextInt(30);
        for (int c = 0; c < commands; c++) {
            if (random.nextInt(4) == 0) {
                out.writeBytes(bytes("SET key:" + random.nextInt(100) + " \"v\\x00\\n " + c + "\"\r\n"));
                continue;
            }
            int argc = random.nextInt(6);
            out.writeBytes(bytes("*" + argc + "\r\n"));
            for (int a = 0; a < argc; a++) {
                int length = switch (random.nextInt(50)) {
                    case 0 -> RespDecoder.BIG_ARG + random.nextInt(10_000);
                    case 1, 2, 3, 4 -> random.nextInt(5000);
                    default -> random.nextInt(40);
                };
                byte[] arg = new byte[length];
                random.nextBytes(arg);
                out.writeBytes(bytes("$" + arg.length + "\r\n"));
                out.writeBytes(arg);
                out.writeBytes(bytes("\r\n"));
            }
        }
        if (brokenTail) {
            out.writeBytes(bytes("*2\r\n$3\r\nGET\r\n?3\r\nkey\r\nPING\r\n"));
        }
        return out.toByteArray();
    }

    /** Test tables spell control bytes as \r, \n, \0 and \xHH. */
    private static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 == text.length()) {
                out.append(c);
                continue;
            }
            char next = text.charAt(++i);
            switch (next) {
                case 'r' -> out.append('\r');
                case 'n' -> out.append('\n');
                case '0' -> out.append('\0');
                case 'x' -> {
                    out.append((char) Integer.parseInt(text.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> out.append('\\').append(next);
            }
        }
        return out.toString();
    }
}
