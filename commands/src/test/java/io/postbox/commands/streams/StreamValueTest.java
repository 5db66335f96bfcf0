package io.postbox.commands.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stream structure: IDs, packed nodes, deletion, trimming, ranges both ways, copies. */
class StreamValueTest {

    private static byte[][] fields(String... words) {
        byte[][] result = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            result[i] = words[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return result;
    }

    private static StreamValue streamOf(int entries, long maxEntries) {
        StreamValue stream = new StreamValue();
        for (int i = 1; i <= entries; i++) {
            stream.append(new StreamId(i, 0), fields("f", "v" + i), 4096, maxEntries);
        }
        return stream;
    }

    private static List<Long> msOf(List<StreamEntry> entries) {
        return entries.stream().map(e -> e.id().ms()).toList();
    }

    @Test
    void idsCompareAsUnsigned128BitNumbers() {
        StreamId small = new StreamId(1, 0);
        StreamId huge = new StreamId(-1L, 0);
        assertTrue(small.compareTo(huge) < 0);
        assertTrue(new StreamId(5, -1L).compareTo(new StreamId(6, 0)) < 0);
        assertEquals("18446744073709551615-18446744073709551615", StreamId.MAX.toString());
        assertEquals(new StreamId(6, 0), new StreamId(5, -1L).next());
        assertEquals(new StreamId(5, -1L), new StreamId(6, 0).previous());
        assertNull(StreamId.MAX.next());
        assertNull(StreamId.MIN.previous());
    }

    /** As Redis's iterator: deleted entries are skipped, never taken for the end of a range. */
    @Test
    void entriesAppendedAfterAnXsetidBackAreFoundPastHigherDeletedOnes() {
        StreamValue stream = new StreamValue();
        stream.append(new StreamId(198, 3), fields("f", "v1"), 4096, 100);
        stream.append(StreamId.MAX, fields("f", "v2"), 4096, 100);
        assertTrue(stream.delete(StreamId.MAX));
        stream.lastId = new StreamId(223, 2);
        stream.append(new StreamId(226, 0), fields("f", "v3"), 4096, 100);
        stream.append(new StreamId(227, 0), fields("f", "v4"), 4096, 100);

        StreamId at226 = new StreamId(226, 0);
        assertEquals(List.of(226L), msOf(stream.range(at226, at226, 0, false)));
        assertEquals(List.of(226L), msOf(stream.range(at226, new StreamId(226, 5), 0, true)));
        assertEquals(List.of(227L, 226L, 198L), msOf(stream.range(StreamId.MIN, StreamId.MAX, 0, true)));
        assertTrue(stream.delete(at226));
        assertFalse(stream.delete(at226));
        assertEquals(List.of(198L, 227L), msOf(stream.range(StreamId.MIN, StreamId.MAX, 0, false)));
    }

    @Test
    void idsParseAsRedisDoes() {
        assertEquals(new StreamId(5, 0), StreamId.parseStrict("5".getBytes()));
        assertEquals(new StreamId(5, -1L), StreamId.parse("5".getBytes(), -1L, false));
        assertEquals(new StreamId(-1L, 3), StreamId.parseStrict("18446744073709551615-3".getBytes()));
        assertEquals(new StreamId(12, 0), StreamId.parseStrict(" 12".getBytes()), "strtoull skips blanks");
        assertEquals(StreamId.MIN, StreamId.parse("-".getBytes(), 0, false));
        assertEquals(StreamId.MAX, StreamId.parse("+".getBytes(), 0, false));
        for (String bad : List.of("-", "+", "", "x", "1-x", "-1", "18446744073709551616", "1-2-3", "1-")) {
            assertThrows(ErrorReply.class, () -> StreamId.parseStrict(bad.getBytes()), bad);
        }
    }

    @Test
    void entriesPackIntoNodesOfAtMostMaxEntries() {
        StreamValue stream = streamOf(250, 100);
        assertEquals(3, stream.nodeCount());
        assertEquals(250, stream.length);
        assertEquals(new StreamId(250, 0), stream.lastId);
        assertEquals(new StreamId(1, 0), stream.firstId);
        assertEquals(250, stream.entriesAdded);
        StreamValue.RawNode first = stream.nodeAfter(null);
        StreamValue.RawNode second = stream.nodeAfter(first.master());
        StreamValue.RawNode third = stream.nodeAfter(second.master());
        assertEquals(List.of(100, 100, 50), List.of(first.live(), second.live(), third.live()));
        assertNull(stream.nodeAfter(third.master()));
        assertEquals(StreamNode.SAME_FIELDS, first.entries().get(5).flags() & StreamNode.SAME_FIELDS);
    }

    @Test
    void aNodeIsClosedBeforeItReachesMaxBytes() {
        StreamValue stream = new StreamValue();
        byte[] big = new byte[1000];
        for (int i = 1; i <= 10; i++) {
            stream.append(new StreamId(i, 0), new byte[][] {"f".getBytes(), big}, 4096, 100);
        }
        assertTrue(stream.nodeCount() >= 3, "about four 1000-byte values per 4096-byte node");
        assertEquals(10, stream.range(StreamId.MIN, StreamId.MAX, 0, false).size());
    }

    @Test
    void entriesWithOtherFieldsKeepTheirOwn() {
        StreamValue stream = new StreamValue();
        stream.append(new StreamId(1, 1), fields("a", "1", "b", "2"), 4096, 100);
        stream.append(new StreamId(1, 2), fields("x", "3"), 4096, 100);
        stream.append(new StreamId(1, 3), fields("a", "4", "b", "5"), 4096, 100);
        List<StreamEntry> all = stream.range(StreamId.MIN, StreamId.MAX, 0, false);
        assertArrayEquals(fields("x", "3"), all.get(1).fieldsValues());
        assertArrayEquals(fields("a", "4", "b", "5"), all.get(2).fieldsValues());
    }

    @Test
    void rangesRunBothWaysSkipDeletedEntriesAndStopAtCount() {
        StreamValue stream = streamOf(250, 100);
        assertTrue(stream.delete(new StreamId(150, 0)));
        assertFalse(stream.delete(new StreamId(150, 0)));
        assertFalse(stream.delete(new StreamId(999, 0)));
        assertEquals(List.of(148L, 149L, 151L), msOf(stream.range(new StreamId(148, 0), new StreamId(151, 0), 0, false)));
        assertEquals(List.of(151L, 149L, 148L), msOf(stream.range(new StreamId(148, 0), new StreamId(151, 0), 0, true)));
        assertEquals(List.of(250L, 249L), msOf(stream.range(StreamId.MIN, StreamId.MAX, 2, true)));
        assertEquals(List.of(99L, 100L, 101L), msOf(stream.range(new StreamId(99, 0), new StreamId(101, 0), 0, false)));
        assertEquals(List.of(101L, 100L, 99L), msOf(stream.range(new StreamId(99, 0), new StreamId(101, 0), 0, true)));
        assertEquals(List.of(), stream.range(new StreamId(5, 0), new StreamId(4, 0), 0, false));
        assertEquals(249, stream.length);
        assertEquals(new StreamId(250, 0), stream.lastValidId());
    }

    @Test
    void aNodeGoesWithItsLastLiveEntry() {
        StreamValue stream = streamOf(150, 100);
        for (int i = 101; i <= 150; i++) {
            stream.delete(new StreamId(i, 0));
        }
        assertEquals(1, stream.nodeCount());
        assertEquals(new StreamId(100, 0), stream.lastValidId());
        assertEquals(new StreamId(150, 0), stream.lastId, "the last ID never goes back");
    }

    @Test
    void exactTrimsRemoveEntriesApproximateOnesWholeNodesOnly() {
        StreamValue approx = streamOf(250, 100);
        assertEquals(100, approx.trim(new StreamTrim(true, 120, StreamId.MIN, true, 10_000)));
        assertEquals(150, approx.length);
        assertEquals(new StreamId(101, 0), approx.firstId);

        StreamValue exact = streamOf(250, 100);
        assertEquals(130, exact.trim(new StreamTrim(true, 120, StreamId.MIN, false, 0)));
        assertEquals(120, exact.length);
        assertEquals(new StreamId(131, 0), exact.firstId);

        StreamValue byId = streamOf(250, 100);
        assertEquals(204, byId.trim(new StreamTrim(false, 0, new StreamId(205, 0), false, 0)));
        assertEquals(new StreamId(205, 0), byId.firstId);

        StreamValue limited = streamOf(250, 100);
        assertEquals(0, limited.trim(new StreamTrim(true, 0, StreamId.MIN, true, 99)));
        assertEquals(200, limited.trim(new StreamTrim(true, 0, StreamId.MIN, true, 200)));
    }

    @Test
    void aCopyIsIndependent() {
        StreamValue stream = streamOf(10, 100);
        StreamGroup group = new StreamGroup("g", StreamId.MIN, 0);
        StreamConsumer consumer = group.addConsumer("c", 1);
        PendingEntry pending = new PendingEntry(consumer, 1, 1);
        group.pending.put(new StreamId(1, 0), pending);
        consumer.pending.put(new StreamId(1, 0), pending);
        stream.groups.put("g", group);
        StreamValue copy = (StreamValue) stream.copy();
        stream.delete(new StreamId(1, 0));
        stream.group("g").acknowledge(new StreamId(1, 0));
        assertEquals(10, copy.length);
        assertEquals(1, copy.group("g").pending.size());
        assertEquals(1, copy.group("g").consumer("c").pending.size());
    }

    @Test
    void sameShapedEntriesCostFewBytesBeyondTheirValues() {
        StreamValue stream = new StreamValue();
        byte[] value = new byte[16];
        long ms = 1_700_000_000_000L;
        for (int i = 0; i < 100_000; i++) {
            stream.append(new StreamId(ms + i / 10, i % 10), new byte[][] {"field".getBytes(), value}, 4096, 100);
        }
        long perEntry = stream.memoryUsage(Long.MAX_VALUE) / 100_000;
        assertTrue(perEntry < 30, "bytes per entry: " + perEntry);
    }
}
