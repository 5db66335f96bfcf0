package io.postbox.persistence.rdb;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Batches of records parsed on a thread of its own ("postbox-rdb-parser") while the caller stores
 * them. Reading, checking and decoding the file is most of a load's work; on its own thread it runs
 * on a second core beside the storing, where Redis does both on one.
 *
 * <p>The caller takes the batches in file order from {@link #next()}; what the parser threw comes out
 * of {@code next()} as it was thrown (a corrupt file's error names the file and offset as before).
 * {@link #close()} stops a parser still running and waits for it: once it returns, the input is no
 * longer read and may be closed or read on by the caller. One caller thread.
 */
final class ParsedRecords implements AutoCloseable {

    /** The parsing, given where its batches go. */
    interface Parsing {
        void run(RecordParser.Emitter emitter) throws IOException, InterruptedException;
    }

    /**
     * Batches parsed ahead of the storing. The two sides are fast at different times (a long list
     * keeps the parser busy while the storer idles; the storer stores 262,144 keys at a time, see
     * LoadBatch, while the parser carries on), so the queue holds about that many keys.
     */
    private static final int AHEAD = 512;
    private static final Object END = new Object();
    /** How often {@link #next} runs its caller's work while it waits for the parser. */
    private static final long WAIT_STEP_MILLIS = 1;

    /** RecordBatch, END, or the Throwable that stopped the parser. */
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(AHEAD);
    private final Thread thread;
    private boolean ended;

    ParsedRecords(Parsing parsing) {
        thread = new Thread(() -> {
            try {
                parsing.run(queue::put);
                queue.put(END);
            } catch (InterruptedException closed) {
                // The caller closed: nothing more is taken.
            } catch (Throwable failure) {
                try {
                    queue.put(failure);
                } catch (InterruptedException closed) {
                    // The caller closed meanwhile (it failed too, or stops taking).
                }
            }
        }, "postbox-rdb-parser");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The next batch in file order, or null after the last; rethrows what stopped the parser. While the
     * parser has none ready (it may be reading one long list), runs {@code whileWaiting} every
     * {@link #WAIT_STEP_MILLIS}.
     */
    RecordBatch next(Runnable whileWaiting) throws IOException {
        if (ended) {
            return null;
        }
        Object taken;
        try {
            taken = queue.poll();
            while (taken == null) {
                whileWaiting.run();
                taken = queue.poll(WAIT_STEP_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while loading the RDB file");
        }
        if (taken instanceof RecordBatch batch) {
            return batch;
        }
        ended = true;
        if (taken == END) {
            return null;
        }
        if (taken instanceof IOException e) {
            throw e;
        }
        if (taken instanceof RuntimeException e) {
            throw e;
        }
        throw (Error) taken;
    }

    /** Stops the parser if it still runs (it may be waiting for room for a batch) and waits for it to end. */
    @Override
    public void close() {
        thread.interrupt();
        boolean interrupted = false;
        while (thread.isAlive()) {
            queue.clear();
            try {
                thread.join(100);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
