package io.postbox.persistence.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParsedRecordsTest {

    private static final Runnable NOTHING = () -> { };

    @Test
    void batchesComeInOrderThenTheEnd() throws IOException {
        try (ParsedRecords records = new ParsedRecords(emitter -> {
            for (int i = 0; i < 300; i++) {
                emitter.emit(batchAt(i));
            }
        })) {
            for (int i = 0; i < 300; i++) {
                assertEquals(i, records.next(NOTHING).offset);
            }
            assertNull(records.next(NOTHING));
            assertNull(records.next(NOTHING));
        }
    }

    @Test
    void whatStopsTheParserComesOutAfterTheBatchesBeforeIt() throws IOException {
        RdbFormatException corrupt = new RdbFormatException("Unexpected end of file (test.rdb at offset 7)");
        try (ParsedRecords records = new ParsedRecords(emitter -> {
            emitter.emit(batchAt(1));
            throw corrupt;
        })) {
            assertEquals(1, records.next(NOTHING).offset);
            assertSame(corrupt, assertThrows(RdbFormatException.class, () -> records.next(NOTHING)));
            assertNull(records.next(NOTHING));
        }
    }

    @Test
    void anUncheckedFailureOfTheParserIsRethrownToo() {
        IllegalStateException bug = new IllegalStateException("bug");
        try (ParsedRecords records = new ParsedRecords(emitter -> {
            throw bug;
        })) {
            assertSame(bug, assertThrows(IllegalStateException.class, () -> records.next(NOTHING)));
        }
    }

    @Test
    void closingStopsAParserWaitingForRoomAndWaitsForIt() throws IOException {
        AtomicInteger emitted = new AtomicInteger();
        Thread[] parser = new Thread[1];
        ParsedRecords records = new ParsedRecords(emitter -> {
            parser[0] = Thread.currentThread();
            while (true) {
                emitter.emit(batchAt(emitted.getAndIncrement()));
            }
        });
        assertEquals(0, records.next(NOTHING).offset);
        records.close();
        assertTrue(!parser[0].isAlive(), "the parser still runs after close()");
        int stoppedAt = emitted.get();
        assertTrue(stoppedAt < 1000, "the parser did not wait for room: " + stoppedAt);
    }

    @Test
    void whileTheParserHasNoBatchReadyTheCallerWorksMeanwhile() throws Exception {
        CountDownLatch callerWorked = new CountDownLatch(3);
        try (ParsedRecords records = new ParsedRecords(emitter -> {
            callerWorked.await();
            emitter.emit(batchAt(5));
        })) {
            assertEquals(5, records.next(callerWorked::countDown).offset);
            assertEquals(0, callerWorked.getCount());
            assertNull(records.next(NOTHING));
        }
    }

    private static RecordBatch batchAt(long offset) {
        RecordBatch batch = new RecordBatch();
        batch.offset = offset;
        return batch;
    }
}
