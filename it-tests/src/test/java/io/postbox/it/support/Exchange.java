package io.postbox.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * What a server does with a burst of raw bytes on a fresh connection: every byte it sends back, and
 * whether it then closes the connection. Reading stops when the server closes, or when it has been
 * silent for the quiet period (the server is then waiting for more input).
 *
 * @param reply  all bytes received
 * @param closed whether the server closed the connection (or reset it)
 */
public record Exchange(byte[] reply, boolean closed) {

    /** Long enough that a loaded machine's pause is not taken for a server waiting for input. */
    private static final int QUIET_MILLIS = 1000;
    private static final long MAX_MILLIS = 10_000;

    public static Exchange run(int port, byte[] input) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(QUIET_MILLIS);
            try {
                socket.getOutputStream().write(input);
            } catch (IOException closedWhileSending) {
                // The server may close before it has read everything (a limit was crossed); read what it sent.
            }
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] chunk = new byte[64 * 1024];
            long deadline = System.currentTimeMillis() + MAX_MILLIS;
            while (System.currentTimeMillis() < deadline) {
                int n;
                try {
                    n = in.read(chunk);
                } catch (SocketTimeoutException quiet) {
                    return new Exchange(reply.toByteArray(), false);
                } catch (IOException reset) {
                    return new Exchange(reply.toByteArray(), true);
                }
                if (n < 0) {
                    return new Exchange(reply.toByteArray(), true);
                }
                reply.write(chunk, 0, n);
            }
            throw new IOException("the server kept sending for " + MAX_MILLIS + " ms");
        }
    }

    /** The reply as text with control bytes escaped, for assertion messages. */
    public String replyText() {
        return escape(reply);
    }

    public static String escape(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c == '\r') {
                text.append("\\r");
            } else if (c == '\n') {
                text.append("\\n");
            } else if (c == '\\') {
                text.append("\\\\");
            } else if (c < 0x20 || c >= 0x7f) {
                text.append(String.format("\\x%02x", c));
            } else {
                text.append((char) c);
            }
        }
        return text.toString();
    }

    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return "\"" + replyText() + "\"" + (closed ? " then closed" : " (still open)");
    }
}
