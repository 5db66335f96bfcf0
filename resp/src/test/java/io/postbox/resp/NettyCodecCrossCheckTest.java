package io.postbox.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.ErrorRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.IntegerRedisMessage;
import io.netty.handler.codec.redis.RedisArrayAggregator;
import io.netty.handler.codec.redis.RedisBulkStringAggregator;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.handler.codec.redis.RedisEncoder;
import io.netty.handler.codec.redis.RedisMessage;
import io.netty.handler.codec.redis.SimpleStringRedisMessage;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Our codec against Netty's independent Redis codec: requests Netty encodes must decode to the same
 * arguments, and replies we write must parse, as RESP2, into the tree we meant.
 */
class NettyCodecCrossCheckTest {

    @Test
    void commandsEncodedByNettyDecodeToTheSameArguments() {
        Random random = new Random(11);
        EmbeddedChannel encoder = new EmbeddedChannel(new RedisEncoder());
        Decoding decoding = new Decoding(new TestLimits());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            int argc = random.nextInt(12);
            List<RedisMessage> args = new ArrayList<>();
            byte[][] command = new byte[argc][];
            for (int a = 0; a < argc; a++) {
                command[a] = randomBytes(random);
                args.add(new FullBulkStringRedisMessage(Unpooled.wrappedBuffer(command[a])));
            }
            encoder.writeOutbound(new ArrayRedisMessage(args));
            if (argc > 0) {
                expected.add(Decoding.show(command));
            }
            // Netty writes each command as several buffers: every one is fed as it comes, a split test for free.
            ByteBuf piece;
            while ((piece = encoder.readOutbound()) != null) {
                decoding.feed(ByteBufUtil.getBytes(piece));
                piece.release();
            }
        }
        assertEquals(expected, decoding.finish());
        encoder.finishAndReleaseAll();
    }

    @Test
    void repliesWeWriteParseAsTheSameTreeWithNettysDecoder() {
        Random random = new Random(13);
        for (int round = 0; round < 500; round++) {
            List<Node> replies = new ArrayList<>();
            ByteBuf wire = Unpooled.buffer();
            RespWriter writer = new RespWriter(2);
            writer.target(wire);
            for (int i = 0, n = 1 + random.nextInt(10); i < n; i++) {
                Node reply = randomNode(random, 0);
                reply.writeTo(writer);
                replies.add(reply);
            }

            EmbeddedChannel decoder = new EmbeddedChannel(
                    new RedisDecoder(), new RedisBulkStringAggregator(), new RedisArrayAggregator());
            decoder.writeInbound(wire);
            List<String> parsed = new ArrayList<>();
            RedisMessage message;
            while ((message = decoder.readInbound()) != null) {
                parsed.add(show(message));
                ReferenceCountUtil.release(message);
            }
            decoder.finishAndReleaseAll();

            List<String> expected = replies.stream().map(Node::resp2).toList();
            assertEquals(expected, parsed);
        }
    }

    /** A reply as a tree: written through {@link Reply}, and shown as RESP2 should carry it. */
    private interface Node {
        void writeTo(Reply reply);

        String resp2();
    }

    private static Node randomNode(Random random, int depth) {
        int kind = random.nextInt(depth < 3 ? 14 : 10);
        switch (kind) {
            case 0: {
                String text = randomText(random, "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz0123456789:=");
                return leaf(r -> r.simple(text), "+" + text);
            }
            case 1: {
                String text = "ERR " + randomText(random, "abc xyz\r\n'\"");
                return leaf(r -> r.error(text), "-" + text.replace('\r', ' ').replace('\n', ' '));
            }
            case 2: {
                long value = randomLong(random);
                return leaf(r -> r.integer(value), ":" + value);
            }
            case 3: {
                byte[] value = randomBytes(random);
                return leaf(r -> r.bulk(value), bulkShown(value));
            }
            case 4:
                return leaf(Reply::nullBulk, "$null");
            case 5:
                return leaf(Reply::nullArray, "*null");
            case 6: {
                double value = randomDouble(random);
                return leaf(r -> r.doubleValue(value), bulkShown(DoubleFormat.g17Bytes(value)));
            }
            case 7: {
                boolean value = random.nextBoolean();
                return leaf(r -> r.bool(value), value ? ":1" : ":0");
            }
            case 8: {
                byte[] text = randomBytes(random);
                return leaf(r -> r.verbatim("txt", text), bulkShown(text));
            }
            case 9:
                return leaf(Reply::ok, "+OK");
            case 10:
                return aggregate(random, depth, random.nextInt(5), Reply::array);
            case 11: {
                int pairs = random.nextInt(4);
                return aggregate(random, depth, 2 * pairs, (r, n) -> r.map(pairs));
            }
            case 12:
                return aggregate(random, depth, random.nextInt(5), Reply::set);
            default:
                return aggregate(random, depth, random.nextInt(5), Reply::push);
        }
    }

    private static Node leaf(java.util.function.Consumer<Reply> write, String shown) {
        return new Node() {
            @Override
            public void writeTo(Reply reply) {
                write.accept(reply);
            }

            @Override
            public String resp2() {
                return shown;
            }
        };
    }

    /** Any aggregate is an array in RESP2; a map of n pairs is an array of 2n elements. */
    private static Node aggregate(Random random, int depth, int elements,
                                  java.util.function.ObjIntConsumer<Reply> header) {
        List<Node> children = new ArrayList<>();
        for (int i = 0; i < elements; i++) {
            children.add(randomNode(random, depth + 1));
        }
        return new Node() {
            @Override
            public void writeTo(Reply reply) {
                header.accept(reply, elements);
                children.forEach(child -> child.writeTo(reply));
            }

            @Override
            public String resp2() {
                return "*" + children.stream().map(Node::resp2).toList();
            }
        };
    }

    private static String show(RedisMessage message) {
        if (message instanceof SimpleStringRedisMessage simple) {
            return "+" + simple.content();
        }
        if (message instanceof ErrorRedisMessage error) {
            return "-" + error.content();
        }
        if (message instanceof IntegerRedisMessage integer) {
            return ":" + integer.value();
        }
        if (message instanceof FullBulkStringRedisMessage bulk) {
            return bulk.isNull() ? "$null" : bulkShown(ByteBufUtil.getBytes(bulk.content()));
        }
        if (message instanceof ArrayRedisMessage array) {
            return array.isNull() ? "*null" : "*" + array.children().stream().map(NettyCodecCrossCheckTest::show).toList();
        }
        throw new AssertionError("unexpected " + message);
    }

    private static String bulkShown(byte[] value) {
        return "$" + new String(value, StandardCharsets.ISO_8859_1);
    }

    private static byte[] randomBytes(Random random) {
        int length = switch (random.nextInt(30)) {
            case 0, 1, 2 -> 0;
            case 3 -> random.nextInt(70_000); // past 64 KiB now and then
            default -> random.nextInt(30);
        };
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String randomText(Random random, String alphabet) {
        StringBuilder text = new StringBuilder();
        for (int i = 0, n = random.nextInt(20); i < n; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static long randomLong(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> random.nextInt(1100);
            case 1 -> Long.MIN_VALUE;
            case 2 -> Long.MAX_VALUE;
            case 3 -> -random.nextInt(1000);
            default -> random.nextLong();
        };
    }

    private static double randomDouble(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> Double.POSITIVE_INFINITY;
            case 1 -> -0.0;
            case 2 -> random.nextInt(1000);
            default -> Double.longBitsToDouble(random.nextLong());
        };
    }
}
