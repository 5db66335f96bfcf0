package io.postbox.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Sends an RDB file to a replica as its sync's payload: {@code $}, the length and CRLF, then the file's
 * bytes, with no CRLF after them, as Redis sends a snapshot from disk. The file is read by a thread of
 * {@link #SENDERS}, since a read may wait for the disk and the executor never does; the socket is
 * written by the channel's loop, at most two chunks ahead of the client, so a slow replica holds up
 * only its sender, and a replica that takes none of a chunk for {@code repl-timeout} is dropped. With
 * more transfers than senders, the others wait their turn: what transfers hold in memory stays bounded
 * however many replicas ask at once. The file is opened before anything is sent: a save that replaces
 * it meanwhile does not change what this transfer reads.
 */
final class SnapshotTransfer implements Runnable {

    /** What the transfer tells the channel's loop when it ends. */
    interface Outcome {
        /** The whole payload, {@code bytes} with its first line, is sent; or {@code error} stopped the transfer. */
        void ended(long bytes, IOException error);
    }

    private static final int CHUNK_BYTES = 256 * 1024;
    /** The threads that read and send files, started as transfers need them and ended when idle. */
    private static final ExecutorService SENDERS = senders(4);

    private final Channel channel;
    private final Path file;
    private final long timeoutMillis;
    private final Outcome outcome;

    private SnapshotTransfer(Channel channel, Path file, long timeoutMillis, Outcome outcome) {
        this.channel = channel;
        this.file = file;
        this.timeoutMillis = timeoutMillis;
        this.outcome = outcome;
    }

    /**
     * Starts sending {@code file} on {@code channel}, giving up if a chunk waits {@code timeoutMillis} for
     * the client; {@code outcome} is told on the channel's loop.
     */
    static void start(Channel channel, Path file, long timeoutMillis, Outcome outcome) {
        SENDERS.execute(new SnapshotTransfer(channel, file, timeoutMillis, outcome));
    }

    private static ExecutorService senders(int threads) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 10, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "postbox-sync-transfer");
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    @Override
    public void run() {
        long sent = 0;
        long header = 0;
        IOException error = null;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            String length = "$" + size + "\r\n";
            header = length.length();
            ChannelFuture previous = channel.writeAndFlush(ByteBufUtil.writeAscii(channel.alloc(), length));
            while (sent < size) {
                ByteBuf chunk = channel.alloc().ioBuffer(CHUNK_BYTES);
                int read;
                try {
                    read = chunk.writeBytes(in, sent, (int) Math.min(CHUNK_BYTES, size - sent));
                } catch (IOException | RuntimeException e) {
                    chunk.release();
                    throw e;
                }
                if (read < 0) {
                    chunk.release();
                    throw new EOFException(file + " ended at byte " + sent + " of " + size);
                }
                sent += read;
                ChannelFuture written = channel.writeAndFlush(chunk);
                await(previous);
                previous = written;
            }
            await(previous);
        } catch (IOException e) {
            error = e;
        } catch (RuntimeException bug) {
            // Still reported, so the connection is closed rather than left waiting for the rest.
            error = new IOException(bug);
        }
        report(header + sent, error);
    }

    /** Waits until {@code write} is done: the socket took it, or the connection failed. */
    private void await(ChannelFuture write) throws IOException {
        if (!write.awaitUninterruptibly(timeoutMillis)) {
            throw new IOException("the replica took nothing for " + timeoutMillis / 1000 + " s (repl-timeout)");
        }
        if (!write.isSuccess()) {
            throw write.cause() instanceof IOException io ? io : new IOException(write.cause());
        }
    }

    private void report(long sent, IOException error) {
        try {
            channel.eventLoop().execute(() -> outcome.ended(sent, error));
        } catch (RejectedExecutionException stopped) {
            // The server stopped meanwhile: nobody is left to tell.
        }
    }
}
