package io.postbox.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link RespDecoder} on an embedded channel, fed chunk by chunk. Decoded messages are shown as
 * text: a command as its arguments in brackets ({@code [SET, k, v]}, bytes as ISO-8859-1 chars),
 * a protocol error as {@code -ERR <message>}, a query buffer overflow as {@code overflow}.
 */
final class Decoding {

    private final RespDecoder decoder;
    private final EmbeddedChannel channel;
    private final List<ByteBuf> fed = new ArrayList<>();

    Decoding(TestLimits limits, ChannelHandler... after) {
        decoder = new RespDecoder(limits);
        channel = new EmbeddedChannel(decoder);
        channel.pipeline().addLast(after);
    }

    RespDecoder decoder() {
        return decoder;
    }

    /** Decodes {@code input} in one buffer. */
    static List<String> all(TestLimits limits, String input) {
        return new Decoding(limits).feed(bytes(input)).finish();
    }

    static List<String> all(String input) {
        return all(new TestLimits(), input);
    }

    Decoding feed(byte[] chunk) {
        ByteBuf buffer = Unpooled.wrappedBuffer(chunk);
        if (chunk.length > 0) {
            fed.add(buffer); // an empty chunk is Netty's shared empty buffer, never released
        }
        channel.writeInbound(buffer);
        return this;
    }

    /** Feeds {@code input} in pieces that end at the given offsets (and at its end). */
    Decoding feedSplit(byte[] input, int[] cuts) {
        int from = 0;
        for (int cut : cuts) {
            feed(Arrays.copyOfRange(input, from, cut));
            from = cut;
        }
        return feed(Arrays.copyOfRange(input, from, input.length));
    }

    /** The messages decoded so far. */
    List<String> messages() {
        List<String> shown = new ArrayList<>();
        Object message;
        while ((message = channel.readInbound()) != null) {
            shown.add(show(message));
        }
        return shown;
    }

    /** Closes the channel and returns every message; fails if an input buffer was not released. */
    List<String> finish() {
        List<String> shown = messages();
        channel.finishAndReleaseAll();
        shown.addAll(messages());
        for (ByteBuf buffer : fed) {
            if (buffer.refCnt() != 0) {
                throw new AssertionError("the decoder did not release an input buffer");
            }
        }
        return shown;
    }

    static String show(Object message) {
        if (message instanceof byte[][] args) {
            List<String> words = new ArrayList<>();
            for (byte[] arg : args) {
                words.add(new String(arg, StandardCharsets.ISO_8859_1));
            }
            return words.toString();
        }
        if (message instanceof ProtocolError error) {
            return "-ERR " + error.message();
        }
        if (message instanceof QueryBufferOverflow) {
            return "overflow";
        }
        throw new AssertionError("unexpected message " + message);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
