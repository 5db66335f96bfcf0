package io.postbox.commands.keyspace;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.postbox.commands.Numbers;
import io.postbox.commands.Scheduler;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.RespWriter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * MIGRATE's connections to target servers and the transfer over them, as Redis's migrateCommand makes
 * it: one connection per host:port kept open between calls (at most 64, closed after 10 s unused or
 * after an error), remembering the database it last selected so that SELECT goes only when that
 * changes; AUTH, SELECT and the RESTOREs written in one go, in 64 KB chunks, then one reply line read
 * for each; a retry on a fresh connection when writing fails or the first reply cannot be read, for
 * any reason but a timeout (a cached connection the target closed meanwhile). The command's timeout bounds connecting,
 * each chunk written and each line read.
 *
 * <p>The I/O blocks, so a transfer runs on a thread of its own while every client is frozen, as
 * Redis's MIGRATE holds its only thread; a chunk the target does not take in time is ended by closing
 * the socket from the executor, since a blocking write has no timeout of its own.
 */
public final class MigrationLinks {

    private static final int MAX_LINKS = 64;
    private static final long IDLE_MILLIS = 10_000;
    private static final int CHUNK_BYTES = 64 * 1024;
    private static final byte[] SELECT = "SELECT".getBytes(StandardCharsets.US_ASCII);
    private static final ErrorReply CONNECTING = new ErrorReply("IOERR error or timeout connecting to the client");
    private static final ErrorReply WRITING = new ErrorReply("IOERR error or timeout writing to target instance");
    private static final ErrorReply READING = new ErrorReply("IOERR error or timeout reading to target instance");

    /** Held by a transfer, which may block while holding it: the executor only ever tries it. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Link> links = new HashMap<>();
    /** How many connections are open, for INFO's migrate_cached_sockets. */
    private volatile int open;

    /** What MIGRATE sends: the keys' RESTOREs, after AUTH if {@code auth} is not null. */
    record Transfer(String host, int port, long timeoutMillis, long db, List<byte[]> auth, List<byte[][]> restores) {
    }

    /** Which RESTOREs the target took, in order, and the error to reply if any: keys taken go either way. */
    record Outcome(boolean[] taken, ErrorReply error) {
    }

    private static final class Link {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        long selectedDb = -1;
        long lastUseMillis;

        Link(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }
    }

    /** Failed to connect in a way Redis reports as such, rather than at the first write. */
    private static final class ConnectFailed extends Exception {
    }

    /** Runs {@code transfer}, blocking; {@code scheduler} runs the write watchdogs. */
    Outcome run(Transfer transfer, Scheduler scheduler) {
        lock.lock();
        try {
            closeIdleLocked();
            return transfer(transfer, scheduler);
        } finally {
            open = links.size();
            lock.unlock();
        }
    }

    private Outcome transfer(Transfer transfer, Scheduler scheduler) {
        String name = transfer.host() + ":" + transfer.port();
        boolean mayRetry = true;
        while (true) {
            Link link;
            try {
                link = link(name, transfer);
            } catch (ConnectFailed failed) {
                return nothingTaken(transfer, CONNECTING);
            } catch (IOException refused) {
                // Redis connects without blocking and learns of a refusal when it writes.
                if (mayRetry) {
                    mayRetry = false;
                    continue;
                }
                return nothingTaken(transfer, WRITING);
            }
            boolean select = link.selectedDb != transfer.db();
            ByteBuf request = request(transfer, select);
            try {
                link.socket.setSoTimeout(timeoutMillis(transfer));
                write(link, request, transfer.timeoutMillis(), scheduler);
            } catch (IOException failed) {
                close(name);
                if (mayRetry && !(failed instanceof SocketTimeoutException)) {
                    mayRetry = false;
                    continue;
                }
                return nothingTaken(transfer, WRITING);
            } finally {
                request.release();
            }
            Replies replies = readReplies(link, transfer, select);
            if (replies.error == null && replies.failure != null && replies.read == 0 && mayRetry
                    && !(replies.failure instanceof SocketTimeoutException)) {
                close(name);
                mayRetry = false;
                continue;
            }
            if (replies.failure != null) {
                close(name);
            }
            if (replies.error != null) {
                link.selectedDb = -1;
                return new Outcome(replies.taken, replies.error);
            }
            if (replies.failure != null) {
                return new Outcome(replies.taken, READING);
            }
            link.selectedDb = transfer.db();
            return new Outcome(replies.taken, null);
        }
    }

    private static Outcome nothingTaken(Transfer transfer, ErrorReply error) {
        return new Outcome(new boolean[transfer.restores().size()], error);
    }

    /** The replies read: to AUTH and SELECT, then one per RESTORE until {@code failure}, if any. */
    private static final class Replies {
        boolean[] taken;
        int read;
        ErrorReply error;
        IOException failure;
    }

    private static Replies readReplies(Link link, Transfer transfer, boolean select) {
        Replies replies = new Replies();
        replies.taken = new boolean[transfer.restores().size()];
        String auth = null;
        String selected = null;
        try {
            auth = transfer.auth() == null ? null : readLine(link.in);
            selected = select ? readLine(link.in) : null;
            for (; replies.read < replies.taken.length; replies.read++) {
                String restored = readLine(link.in);
                String refusal = auth != null && auth.startsWith("-") ? auth
                        : selected != null && selected.startsWith("-") ? selected
                        : restored.startsWith("-") ? restored : null;
                if (refusal == null) {
                    replies.taken[replies.read] = true;
                } else if (replies.error == null) {
                    replies.error = new ErrorReply("ERR Target instance replied with error: " + refusal.substring(1));
                }
            }
        } catch (IOException failed) {
            replies.failure = failed;
        }
        return replies;
    }

    private Link link(String name, Transfer transfer) throws IOException, ConnectFailed {
        Link link = links.get(name);
        if (link == null) {
            if (links.size() == MAX_LINKS) {
                links.entrySet().stream().min(Comparator.comparingLong(entry -> entry.getValue().lastUseMillis))
                        .map(Map.Entry::getKey).ifPresent(this::close);
            }
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(transfer.host(), transfer.port()), timeoutMillis(transfer));
                socket.setTcpNoDelay(true);
            } catch (UnknownHostException | SocketTimeoutException | IllegalArgumentException unreachable) {
                closeQuietly(socket);
                throw new ConnectFailed();
            } catch (IOException refused) {
                closeQuietly(socket);
                throw refused;
            }
            link = new Link(socket);
            links.put(name, link);
        }
        link.lastUseMillis = System.currentTimeMillis();
        return link;
    }

    /** The commands to send, in RESP as clients write them: arrays of bulk strings. */
    private static ByteBuf request(Transfer transfer, boolean select) {
        ByteBuf out = Unpooled.buffer();
        RespWriter writer = new RespWriter(2);
        writer.target(out);
        if (transfer.auth() != null) {
            command(writer, transfer.auth().toArray(byte[][]::new));
        }
        if (select) {
            command(writer, new byte[][] {SELECT, Numbers.toBytes(transfer.db())});
        }
        for (byte[][] restore : transfer.restores()) {
            command(writer, restore);
        }
        return out;
    }

    private static void command(RespWriter writer, byte[][] args) {
        writer.array(args.length);
        for (byte[] arg : args) {
            writer.bulk(arg);
        }
    }

    /** Writes in chunks, each within the timeout; one that is not is a {@link SocketTimeoutException}. */
    private static void write(Link link, ByteBuf request, long timeoutMillis, Scheduler scheduler) throws IOException {
        AtomicBoolean timedOut = new AtomicBoolean();
        for (int at = 0; at < request.writerIndex(); at += CHUNK_BYTES) {
            Scheduler.Timer watchdog = scheduler.timer(timeoutMillis, () -> {
                timedOut.set(true);
                closeQuietly(link.socket);
            });
            try {
                request.getBytes(at, link.out, Math.min(CHUNK_BYTES, request.writerIndex() - at));
            } catch (IOException failed) {
                throw timedOut.get() ? new SocketTimeoutException("write timed out") : failed;
            } finally {
                watchdog.cancel();
            }
        }
        link.out.flush();
    }

    /** A reply line without its CRLF; the target closing the connection first is a failure. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed by the target");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private static int timeoutMillis(Transfer transfer) {
        return (int) Math.min(Integer.MAX_VALUE, transfer.timeoutMillis());
    }

    /**
     * Closes the connections unused for 10 s, as Redis's cron does; not while a transfer runs, which
     * does it first itself.
     */
    void closeIdle() {
        if (lock.tryLock()) {
            try {
                closeIdleLocked();
                open = links.size();
            } finally {
                lock.unlock();
            }
        }
    }

    private void closeIdleLocked() {
        long now = System.currentTimeMillis();
        links.entrySet().removeIf(entry -> {
            boolean idle = now - entry.getValue().lastUseMillis > IDLE_MILLIS;
            if (idle) {
                closeQuietly(entry.getValue().socket);
            }
            return idle;
        });
    }

    /** How many connections are open (INFO's migrate_cached_sockets). */
    public int open() {
        return open;
    }

    /** How long after a transfer its connection may be closed as idle. */
    static long idleMillis() {
        return IDLE_MILLIS + 1000;
    }

    private void close(String name) {
        Link link = links.remove(name);
        if (link != null) {
            closeQuietly(link.socket);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closed already, or closing a broken connection: nothing left to release.
        }
    }
}
