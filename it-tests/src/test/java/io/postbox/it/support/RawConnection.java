package io.postbox.it.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain socket that speaks RESP without interpreting it: commands go out as multibulk requests
 * (or raw bytes), and each reply comes back as the exact bytes the server sent, so two servers'
 * replies can be compared byte for byte.
 */
public final class RawConnection implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawConnection(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends one command and returns the raw bytes of its reply. */
    public byte[] call(List<byte[]> args) throws IOException {
        send(args);
        return readReply();
    }

    /** Sends one command and returns the raw bytes of the next {@code replies} replies, back to back. */
    public byte[] call(List<byte[]> args, int replies) throws IOException {
        send(args);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < replies; i++) {
            all.write(readReply());
        }
        return all.toByteArray();
    }

    public byte[] call(String... args) throws IOException {
        return call(command(args));
    }

    /** A command as text for a test's failure message: its first 12 arguments, values past 40 bytes shortened. */
    public static String describe(List<byte[]> command) {
        StringBuilder text = new StringBuilder();
        for (byte[] arg : command.subList(0, Math.min(command.size(), 12))) {
            String word = new String(arg, StandardCharsets.ISO_8859_1);
            text.append(word.length() > 40 ? word.substring(0, 40) + "...(" + arg.length + " bytes)" : word)
                    .append(' ');
        }
        return text + (command.size() > 12 ? "... [" + command.size() + " args]" : "");
    }

    /** A command's arguments as bytes (ISO-8859-1), in a list the caller may add to. */
    public static List<byte[]> command(String... words) {
        List<byte[]> args = new ArrayList<>(words.length);
        for (String word : words) {
            args.add(word.getBytes(StandardCharsets.ISO_8859_1));
        }
        return args;
    }

    public void send(List<byte[]> args) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write(('*' + Integer.toString(args.size()) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] arg : args) {
            request.write(('$' + Integer.toString(arg.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            request.write(arg);
            request.write('\r');
            request.write('\n');
        }
        out.write(request.toByteArray());
        out.flush();
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads exactly one complete reply (with any RESP3 attribute before it) and returns its bytes. */
    public byte[] readReply() throws IOException {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        readElement(reply);
        return reply.toByteArray();
    }

    /**
     * Reads the first line of a sync's payload, as a replica does after SYNC: it skips the newlines a
     * server sends while it prepares the snapshot, then returns the length that {@code $} gives; the
     * payload's bytes follow, with no CRLF after them ({@link #readBytes}). Any other line is an error.
     */
    public long readSyncLength() throws IOException {
        int first;
        do {
            first = in.read();
        } while (first == '\n');
        if (first < 0) {
            throw new EOFException("connection closed by server");
        }
        String rest = readLine(new ByteArrayOutputStream());
        if (first != '$') {
            throw new IOException("not a sync payload: " + (char) first + rest);
        }
        return Long.parseLong(rest);
    }

    /** Reads exactly {@code length} bytes. */
    public byte[] readBytes(int length) throws IOException {
        return readExactly(length);
    }

    /** Whether the server has closed the connection, waiting up to {@code millis} for it to do so. */
    public boolean closedByPeer(int millis) throws IOException {
        return ends(millis, false);
    }

    /** Whether the server ends the connection within {@code millis}, whatever it still sends before (skipped). */
    public boolean endsAfterSkipping(int millis) throws IOException {
        return ends(millis, true);
    }

    /** Whether the connection ends within {@code millis}; a byte that arrives first is skipped, or means no. */
    private boolean ends(int millis, boolean skipping) throws IOException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        byte[] read = new byte[skipping ? 64 * 1024 : 1];
        int saved = socket.getSoTimeout();
        try {
            do {
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                if (in.read(read) < 0) {
                    return true;
                }
            } while (skipping && System.nanoTime() < deadline);
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        } finally {
            socket.setSoTimeout(saved);
        }
    }

    private void readElement(ByteArrayOutputStream reply) throws IOException {
        String line = readLine(reply);
        char type = line.charAt(0);
        switch (type) {
            case '+', '-', ':', ',', '#', '_', '(' -> { }
            case '$', '=', '!' -> {
                int length = Integer.parseInt(line.substring(1));
                if (length >= 0) {
                    reply.write(readExactly(length + 2));
                }
            }
            case '*', '~', '>' -> {
                int count = Integer.parseInt(line.substring(1));
                for (int i = 0; i < count; i++) {
                    readElement(reply);
                }
            }
            case '%', '|' -> {
                int count = Integer.parseInt(line.substring(1));
                for (int i = 0; i < 2 * count; i++) {
                    readElement(reply);
                }
                if (type == '|') {
                    readElement(reply);
                }
            }
            default -> throw new IOException("not a RESP reply: " + line);
        }
    }

    private String readLine(ByteArrayOutputStream reply) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed by server");
            }
            reply.write(b);
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            previous = b;
        }
    }

    private byte[] readExactly(int length) throws IOException {
        byte[] data = in.readNBytes(length);
        if (data.length < length) {
            throw new EOFException("connection closed by server");
        }
        return data;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
