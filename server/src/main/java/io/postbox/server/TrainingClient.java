package io.postbox.server;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link StartupTraining} run's client: a blocking RESP2 connection that pipelines requests and
 * reads every reply whole, failing on the first error reply, so that a workload which stopped
 * working cannot go unnoticed.
 */
final class TrainingClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int unanswered;

    TrainingClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /** Queues a request; its reply is read by the next {@link #call}. */
    void send(String... args) throws IOException {
        header('*', args.length);
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            header('$', bytes.length);
            out.write(bytes);
            out.write('\r');
            out.write('\n');
        }
        unanswered++;
    }

    /**
     * Sends the queued requests and this one, and reads all their replies.
     *
     * @return the last reply: a String for simple and bulk strings (null for nil), a Long, or a List
     * @throws IOException for an error reply, naming it
     */
    Object call(String... args) throws IOException {
        send(args);
        out.flush();
        Object reply = null;
        for (; unanswered > 0; unanswered--) {
            reply = read();
        }
        return reply;
    }

    private void header(char type, int count) throws IOException {
        out.write(type);
        out.write(Integer.toString(count).getBytes(StandardCharsets.US_ASCII));
        out.write('\r');
        out.write('\n');
    }

    private Object read() throws IOException {
        String line = line();
        String rest = line.substring(1);
        switch (line.charAt(0)) {
            case '+':
                return rest;
            case '-':
                throw new IOException("the server replied " + line);
            case ':':
                return Long.parseLong(rest);
            case '$': {
                int length = Integer.parseInt(rest);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(rest);
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    items.add(read());
                }
                return count < 0 ? null : items;
            }
            default:
                throw new IOException("unexpected reply line " + line);
        }
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\r'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the server closed the connection");
            }
            line.append((char) b);
        }
        in.read();
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
