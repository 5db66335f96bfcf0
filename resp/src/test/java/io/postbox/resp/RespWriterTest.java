package io.postbox.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Reply bytes in both protocols, as redis-server 7.0.15 sends them (RESP3 after HELLO 3). */
class RespWriterTest {

    @Test
    void simpleTypes() {
        assertWrites(2, r -> r.simple("PONG"), "+PONG\r\n");
        assertWrites(2, Reply::ok, "+OK\r\n");
        assertWrites(2, r -> r.simple("OK"), "+OK\r\n");
        assertWrites(3, r -> r.simple("1.000001 [0 lua] \"x\"".getBytes(StandardCharsets.ISO_8859_1)),
                "+1.000001 [0 lua] \"x\"\r\n");
        assertWrites(2, r -> r.error("ERR syntax error"), "-ERR syntax error\r\n");
        assertWrites(2, r -> r.integer(0), ":0\r\n");
        assertWrites(2, r -> r.integer(1023), ":1023\r\n");
        assertWrites(2, r -> r.integer(1024), ":1024\r\n");
        assertWrites(2, r -> r.integer(-1), ":-1\r\n");
        assertWrites(2, r -> r.integer(Long.MAX_VALUE), ":9223372036854775807\r\n");
        assertWrites(2, r -> r.integer(Long.MIN_VALUE), ":-9223372036854775808\r\n");
        assertWrites(2, r -> r.bulk("x"), "$1\r\nx\r\n");
        assertWrites(2, r -> r.bulk(new byte[0]), "$0\r\n\r\n");
        assertWrites(2, r -> r.bulk("a\r\nb"), "$4\r\na\r\nb\r\n");
    }

    @Test
    void bulkStringsShortAndLongAlike() {
        // Up to 64 bytes a bulk string is rendered whole before it is written; longer ones are not.
        String small = "s".repeat(64);
        String large = "L".repeat(65);
        String huge = "h".repeat(10_000);
        assertWrites(2, r -> {
            r.bulk(small);
            r.bulk(large);
            r.bulk(huge);
            r.bulk("x");
            r.integer(-12345);
        }, "$64\r\n" + small + "\r\n$65\r\n" + large + "\r\n$10000\r\n" + huge + "\r\n"
                + "$1\r\nx\r\n:-12345\r\n");
    }

    @Test
    void errorTextsCannotBreakTheFraming() {
        assertWrites(2, r -> r.error("ERR unknown command '\r\n'"), "-ERR unknown command '  '\r\n");
    }

    @Test
    void resp2DegradesResp3Types() {
        assertWrites(2, Reply::nullBulk, "$-1\r\n");
        assertWrites(2, Reply::nullArray, "*-1\r\n");
        assertWrites(2, r -> r.array(0), "*0\r\n");
        assertWrites(2, r -> r.map(2), "*4\r\n");
        assertWrites(2, r -> r.set(3), "*3\r\n");
        assertWrites(2, r -> r.push(3), "*3\r\n");
        assertWrites(2, r -> r.doubleValue(1.5), "$3\r\n1.5\r\n");
        assertWrites(2, r -> r.doubleValue(Double.POSITIVE_INFINITY), "$3\r\ninf\r\n");
        assertWrites(2, r -> r.doubleValue(0.1), "$19\r\n0.10000000000000001\r\n");
        assertWrites(2, r -> r.bool(true), ":1\r\n");
        assertWrites(2, r -> r.bool(false), ":0\r\n");
        assertWrites(2, r -> r.verbatim("txt", "# Server".getBytes(StandardCharsets.US_ASCII)), "$8\r\n# Server\r\n");
        assertWrites(2, RespWriterTest::attributedReply, ":1\r\n");
    }

    @Test
    void resp3Types() {
        assertWrites(3, Reply::nullBulk, "_\r\n");
        assertWrites(3, Reply::nullArray, "_\r\n");
        assertWrites(3, r -> r.map(1), "%1\r\n");
        assertWrites(3, r -> r.set(0), "~0\r\n");
        assertWrites(3, r -> r.push(3), ">3\r\n");
        assertWrites(3, r -> r.doubleValue(1.5), ",1.5\r\n");
        assertWrites(3, r -> r.doubleValue(Double.POSITIVE_INFINITY), ",inf\r\n");
        assertWrites(3, r -> r.doubleValue(Double.NEGATIVE_INFINITY), ",-inf\r\n");
        assertWrites(3, r -> r.bool(true), "#t\r\n");
        assertWrites(3, r -> r.bool(false), "#f\r\n");
        assertWrites(3, r -> r.verbatim("txt", "# Server".getBytes(StandardCharsets.US_ASCII)), "=12\r\ntxt:# Server\r\n");
        assertWrites(3, r -> r.integer(7), ":7\r\n");
        assertWrites(3, r -> r.array(2), "*2\r\n");
        assertWrites(3, RespWriterTest::attributedReply, "|1\r\n+ttl\r\n:90\r\n:1\r\n");
    }

    /** A reply of 1 with an attribute about it; RESP2 drops the attribute. */
    private static void attributedReply(Reply reply) {
        Reply attribute = reply.attribute(1);
        attribute.simple("ttl");
        attribute.integer(90);
        reply.integer(1);
    }

    @Test
    void switchesProtocolBetweenReplies() {
        ByteBuf out = Unpooled.buffer();
        RespWriter writer = new RespWriter(2);
        writer.target(out);
        writer.nullBulk();
        writer.protocol(3);
        writer.nullBulk();
        assertEquals(3, writer.protocol());
        assertEquals("$-1\r\n_\r\n", out.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void bulksOfACollection() {
        assertWrites(2, r -> r.bulks(List.of("a".getBytes(StandardCharsets.US_ASCII), new byte[0])),
                "*2\r\n$1\r\na\r\n$0\r\n\r\n");
    }

    @Test
    void rendersEveryLongInHeaders() {
        long[] values = {0, 9, 10, 99, 100, 1023, 1024, 12345, -1, -7, -10, 1_000_000_000_000L, Long.MAX_VALUE,
                Long.MIN_VALUE, Long.MIN_VALUE + 1};
        for (long value : values) {
            assertWrites(2, r -> r.integer(value), ":" + value + "\r\n");
            if (value >= 0 && value <= Integer.MAX_VALUE) {
                assertWrites(2, r -> r.array((int) value), "*" + value + "\r\n");
            }
        }
    }

    private static void assertWrites(int protocol, Consumer<Reply> write, String expected) {
        ByteBuf out = Unpooled.buffer();
        RespWriter writer = new RespWriter(protocol);
        writer.target(out);
        write.accept(writer);
        assertEquals(expected, out.toString(StandardCharsets.ISO_8859_1));
    }
}
