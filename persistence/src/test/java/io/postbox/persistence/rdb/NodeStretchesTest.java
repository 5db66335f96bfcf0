package io.postbox.persistence.rdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.lists.PackedList;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class NodeStretchesTest {

    private static final int HELPERS = 2;
    private final ExecutorService helpers = Executors.newFixedThreadPool(HELPERS);

    @AfterEach
    void stopHelpers() throws InterruptedException {
        helpers.shutdownNow();
        assertTrue(helpers.awaitTermination(10, TimeUnit.SECONDS));
    }

    /** About 40 stretches of chunks: integers, short messages, and now and then a long element. */
    private static PackedList longList() {
        Random random = new Random(17);
        PackedList list = new PackedList();
        for (int i = 0; i < 300_000; i++) {
            int kind = random.nextInt(10);
            byte[] element = kind < 3 ? Long.toString(random.nextLong() >> random.nextInt(64)).getBytes()
                    : kind < 9 ? ("message-" + i + "-" + random.nextInt(1000)).getBytes()
                    : new byte[i % 100 == 0 ? 20_000 : random.nextInt(300)];
            list.push(random.nextBoolean() ? PackedList.End.HEAD : PackedList.End.TAIL, element);
        }
        return list;
    }

    private static byte[] sequential(PackedList list, boolean compression) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        new SegmentEncoder(file::write).encode(new RdbOutput.ListNodes(list.copy(), compression, 0));
        return file.toByteArray();
    }

    @Test
    void nodesEncodedByHelpersAreWrittenInListOrderAsOneThreadWritesThem() throws IOException {
        PackedList list = longList();
        assertTrue(list.chunkCount() > 30 * NodeStretches.CHUNKS_PER_STRETCH, "chunks: " + list.chunkCount());
        NodeStretches stretches = new NodeStretches(helpers, HELPERS, false, NodeEncoder::encode);
        for (boolean compression : new boolean[] {true, false}) {
            for (int round = 0; round < 3; round++) {
                ByteArrayOutputStream file = new ByteArrayOutputStream();
                stretches.encode(new RdbOutput.ListNodes(list.copy(), compression, 0), file::write);
                assertArrayEquals(sequential(list, compression), file.toByteArray(),
                        "compression " + compression + ", round " + round);
            }
        }
    }

    @Test
    void aStretchThatFailsOnAHelperFailsTheWholeAndTheRestIsSkipped() throws InterruptedException {
        PackedList list = longList();
        int total = (list.chunkCount() + NodeStretches.CHUNKS_PER_STRETCH - 1) / NodeStretches.CHUNKS_PER_STRETCH;
        AtomicInteger calls = new AtomicInteger();
        NodeStretches stretches = new NodeStretches(helpers, HELPERS, false, (encoder, chunks, compression) -> {
            if (calls.incrementAndGet() == 3) {
                throw new IllegalStateException("third stretch");
            }
            encoder.encode(chunks, compression);
        });
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> stretches.encode(new RdbOutput.ListNodes(list.copy(), true, 0), (bytes, offset, length) -> { }));
        assertEquals("third stretch", thrown.getMessage());
        helpers.shutdown();
        assertTrue(helpers.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(calls.get() < total, calls.get() + " of " + total + " stretches encoded");
    }

    @Test
    void aSinkThatFailsStopsTheEncoding() throws InterruptedException {
        PackedList list = longList();
        AtomicInteger calls = new AtomicInteger();
        NodeStretches stretches = new NodeStretches(helpers, HELPERS, false, (encoder, chunks, compression) -> {
            calls.incrementAndGet();
            encoder.encode(chunks, compression);
        });
        AtomicInteger writes = new AtomicInteger();
        IOException thrown = assertThrows(IOException.class,
                () -> stretches.encode(new RdbOutput.ListNodes(list.copy(), true, 0), (bytes, offset, length) -> {
                    if (writes.incrementAndGet() == 2) {
                        throw new IOException("disk full");
                    }
                }));
        assertEquals("disk full", thrown.getMessage());
        helpers.shutdown();
        assertTrue(helpers.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(calls.get() < 12, calls.get() + " stretches encoded");
    }

    @Test
    void aBackgroundSaveWritesWhatOneThreadWritesWithHelpersAtWork() throws IOException {
        PackedList list = longList();
        NodeStretches stretches = new NodeStretches(helpers, HELPERS, true, NodeEncoder::encode);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        stretches.encode(new RdbOutput.ListNodes(list.copy(), true, 0), file::write);
        assertArrayEquals(sequential(list, true), file.toByteArray());
    }

    @Test
    @Timeout(30)
    void aBackgroundSaveDoesNotWaitForAHelperThatStopsMidStretch() throws IOException {
        PackedList list = longList();
        Thread caller = Thread.currentThread();
        CountDownLatch stalled = new CountDownLatch(HELPERS);
        CountDownLatch never = new CountDownLatch(1);
        NodeStretches stretches = new NodeStretches(helpers, HELPERS, true, (encoder, chunks, compression) -> {
            try {
                if (Thread.currentThread() == caller) {
                    // Every helper holds a stretch before the caller encodes anything.
                    assertTrue(stalled.await(10, TimeUnit.SECONDS), "helpers took no stretch");
                } else {
                    // A helper that gets no CPU again: it holds its stretch until the test ends.
                    stalled.countDown();
                    never.await();
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException("stopped", e);
            }
            encoder.encode(chunks, compression);
        });
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        stretches.encode(new RdbOutput.ListNodes(list.copy(), true, 0), file::write);
        assertArrayEquals(sequential(list, true), file.toByteArray());
    }
}
