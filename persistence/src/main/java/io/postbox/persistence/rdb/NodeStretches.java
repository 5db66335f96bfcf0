package io.postbox.persistence.rdb;

import io.postbox.commands.lists.PackedList;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Encodes the nodes of a frozen list on the calling thread and on helper threads at once, in stretches
 * of {@link #CHUNKS_PER_STRETCH} chunks, and hands the encoded stretches to a sink in list order: the
 * bytes are those one thread would write, as a node's encoding depends on its chunk alone (LZF output
 * on its input alone). For the saves clients wait for, where the executor is idle and a long list is
 * most of the work, and for background saves with a helper that runs only on an otherwise idle core.
 *
 * <p>The calling thread keeps a line of at most {@code 2 x threads} stretches, each offered to the
 * helpers as it joins the line. It writes the first once it is encoded, meanwhile encodes the first
 * stretch nobody took, and when every stretch in line is taken, waits for the first; or, in a background
 * save, encodes the first over again itself, as its helper, which runs only when a core is idle, may not
 * run again for as long as the cores are busy: whichever encoding ends first is written. A stretch that
 * failed fails the whole in its turn; stretches still in line when the caller stops are claimed by it,
 * so the helpers skip them.
 *
 * <p>{@link #encode} is called by one thread at a time; stretches are encoded on any.
 */
final class NodeStretches {

    /** About 256 KB of elements, a fraction of a millisecond to encode: enough to make the hand-over cheap. */
    static final int CHUNKS_PER_STRETCH = 32;

    /** What encodes one stretch into the encoder: {@link NodeEncoder#encode} (tests inject failures). */
    @FunctionalInterface
    interface Encoding {
        void encode(NodeEncoder encoder, PackedList.ChunkCursor chunks, boolean compression);
    }

    private final Executor helpers;
    private final int lineLength;
    private final Encoding encoding;
    private final boolean background;
    /** The calling thread's encoder. */
    private final NodeEncoder own;
    private final ConcurrentLinkedQueue<NodeEncoder> encoders = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<byte[]> buffers = new ConcurrentLinkedQueue<>();

    /**
     * @param helperCount the threads of {@code helpers}, which work beside the calling thread
     * @param background  whether the calling thread shares the cores with an executor serving clients and
     *                    the helpers run only on idle cores: then it yields after each node it encodes
     *                    (see {@link NodeEncoder}) and never waits for a helper
     */
    NodeStretches(Executor helpers, int helperCount, boolean background, Encoding encoding) {
        this.helpers = helpers;
        this.lineLength = 2 * (helperCount + 1);
        this.background = background;
        this.encoding = encoding;
        this.own = new NodeEncoder(background);
    }

    /** Encodes the nodes of {@code nodes} into {@code sink}, in order. */
    void encode(RdbOutput.ListNodes nodes, SegmentEncoder.ByteSink sink) throws IOException {
        PackedList.ChunkCursor cursor = nodes.list().chunkCursor(0);
        ArrayDeque<Stretch> line = new ArrayDeque<>();
        try {
            while (true) {
                while (line.size() < lineLength && cursor.hasNext()) {
                    Stretch stretch = new Stretch(cursor.take(CHUNKS_PER_STRETCH), nodes.compression());
                    line.add(stretch);
                    helpers.execute(stretch::encodeOnHelper);
                }
                Stretch first = line.peek();
                if (first == null) {
                    return;
                }
                if (!first.encoded()) {
                    Stretch free = firstUntaken(line);
                    if (free != null) {
                        free.encodeUnlessTaken(own);
                        continue;
                    }
                    if (background) {
                        first.encodeAgain(own);
                    }
                    // A helper that ended first may not have stored its bytes yet (it claims the stretch,
                    // then stores them, then counts down): they are read only after the count.
                    first.awaitEncoded();
                }
                line.poll();
                first.writeTo(sink);
            }
        } finally {
            for (Stretch left : line) {
                left.taken.set(true);
            }
        }
    }

    private static Stretch firstUntaken(ArrayDeque<Stretch> line) {
        for (Stretch stretch : line) {
            if (!stretch.taken.get()) {
                return stretch;
            }
        }
        return null;
    }

    /**
     * Some chunks to encode, and once {@link #done} counts down, their bytes or the failure: those of the
     * first encoding to end, by whoever took the stretch or by the caller over again.
     */
    private final class Stretch {
        final PackedList.ChunkCursor chunks;
        /** The same chunks, for the caller's encoding over again. */
        final PackedList.ChunkCursor again;
        final boolean compression;
        final AtomicBoolean taken = new AtomicBoolean();
        final AtomicBoolean ended = new AtomicBoolean();
        final CountDownLatch done = new CountDownLatch(1);
        byte[] bytes;
        int length;
        /** A RuntimeException or an Error, thrown again by the writing thread. */
        Throwable failure;

        Stretch(PackedList.ChunkCursor chunks, boolean compression) {
            this.chunks = chunks;
            this.again = chunks.copy();
            this.compression = compression;
        }

        void encodeOnHelper() {
            if (!taken.compareAndSet(false, true)) {
                return;
            }
            NodeEncoder encoder = encoders.poll();
            if (encoder == null) {
                encoder = new NodeEncoder(false);
            }
            try {
                encode(encoder, chunks);
            } finally {
                encoders.add(encoder);
            }
        }

        void encodeUnlessTaken(NodeEncoder encoder) {
            if (taken.compareAndSet(false, true)) {
                encode(encoder, chunks);
            }
        }

        void encodeAgain(NodeEncoder encoder) {
            encode(encoder, again);
        }

        private void encode(NodeEncoder encoder, PackedList.ChunkCursor cursor) {
            byte[] buffer = buffers.poll();
            encoder.reset(buffer == null ? new byte[0] : buffer);
            Throwable failed = null;
            try {
                encoding.encode(encoder, cursor, compression);
            } catch (RuntimeException | Error e) {
                failed = e;
            }
            if (ended.compareAndSet(false, true)) {
                bytes = encoder.bytes();
                length = encoder.length();
                failure = failed;
                done.countDown();
            } else {
                buffers.add(encoder.bytes());
            }
        }

        boolean encoded() {
            return done.getCount() == 0;
        }

        void awaitEncoded() throws IOException {
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while a list was encoded");
            }
        }

        void writeTo(SegmentEncoder.ByteSink sink) throws IOException {
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw (RuntimeException) failure;
            }
            sink.write(bytes, 0, length);
            buffers.add(bytes);
        }
    }
}
