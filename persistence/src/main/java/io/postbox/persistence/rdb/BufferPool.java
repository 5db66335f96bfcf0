package io.postbox.persistence.rdb;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Arrays that go from the executor to a snapshot's writer thread and back: a string the executor
 * encodes into a pooled array (a list node's listpack) is compressed and written by the writer
 * thread, which then returns the array here for the next one. So a snapshot of a large list
 * allocates a backlog's worth of arrays, not the size of the list in garbage (which the collector
 * would answer by growing the young generation: resident memory and pauses during the save).
 *
 * <p>Only arrays of {@link #BUFFER_BYTES} are pooled, at most {@link #MAX_BUFFERS} of them; longer
 * requests get a fresh array that is left to the collector. Thread-safe.
 */
public final class BufferPool {

    /** Room for a list node: chunks hold about 8 KB, and a listpack adds a few bytes per element. */
    static final int BUFFER_BYTES = 16 * 1024;
    /** Enough to cover the snapshot's backlog of queued segments (2 MB of nodes of about 8 KB) with room to spare. */
    static final int MAX_BUFFERS = 512;

    private final ConcurrentLinkedQueue<byte[]> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger freeCount = new AtomicInteger();

    /** An array of at least {@code length} bytes (its other bytes are leftovers). */
    public byte[] take(int length) {
        if (length > BUFFER_BYTES) {
            return new byte[length];
        }
        byte[] buffer = free.poll();
        if (buffer == null) {
            return new byte[BUFFER_BYTES];
        }
        freeCount.decrementAndGet();
        return buffer;
    }

    /** Returns an array from {@link #take} that nobody uses any more. */
    public void give(byte[] buffer) {
        if (buffer.length != BUFFER_BYTES) {
            return;
        }
        if (freeCount.incrementAndGet() > MAX_BUFFERS) {
            freeCount.decrementAndGet();
            return;
        }
        free.add(buffer);
    }

    /** Arrays waiting to be taken. */
    int freeCount() {
        return freeCount.get();
    }
}
