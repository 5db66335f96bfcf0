package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.postbox.it.support.InJvmPostbox;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Replies the client's socket cannot take at once. The server writes a reply straight to the socket
 * when nothing is queued for it, and queues what the socket did not take: every byte must arrive once,
 * and the replies to the commands after it behind that rest.
 */
class LargeRepliesTest {

    private static final int VALUE_BYTES = 8 << 20;

    @Test
    void aReplyLargerThanTheSocketTakesArrivesWholeAndTheRepliesAfterItInOrder() throws Exception {
        byte[] value = new byte[VALUE_BYTES];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) ('a' + i % 26);
        }
        try (InJvmPostbox postbox = InJvmPostbox.start();
             Jedis jedis = new Jedis("127.0.0.1", postbox.port());
             Socket socket = new Socket()) {
            jedis.set("big".getBytes(StandardCharsets.US_ASCII), value);
            socket.setReceiveBufferSize(16 * 1024);
            socket.connect(new InetSocketAddress("127.0.0.1", postbox.port()), 5000);
            socket.setSoTimeout(30_000);
            // Nobody reads: the reply fills the socket and the server queues the rest of it. The commands
            // after it come in later reads, each with a reply of its own to send behind that rest.
            socket.getOutputStream().write(ascii("GET big\r\n"));
            Thread.sleep(200);
            socket.getOutputStream().write(ascii("PING\r\n"));
            Thread.sleep(100);
            socket.getOutputStream().write(ascii("GET big\r\nECHO done\r\n"));
            Thread.sleep(100);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            bulk(expected, value);
            expected.write(ascii("+PONG\r\n"));
            bulk(expected, value);
            bulk(expected, ascii("done"));
            byte[] received = new byte[expected.size()];
            new DataInputStream(socket.getInputStream()).readFully(received);
            assertArrayEquals(expected.toByteArray(), received, () -> "first difference at byte "
                    + Arrays.mismatch(expected.toByteArray(), received));
        }
    }

    private static void bulk(ByteArrayOutputStream out, byte[] bytes) throws IOException {
        out.write(ascii("$" + bytes.length + "\r\n"));
        out.write(bytes);
        out.write(ascii("\r\n"));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
