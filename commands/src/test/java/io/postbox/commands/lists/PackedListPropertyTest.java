package io.postbox.commands.lists;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.postbox.commands.lists.PackedList.End;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random operation sequences on a {@link PackedList} and on an {@code ArrayList<byte[]>} that does
 * the same thing the obvious way; after every step both hold the same elements and the chunks keep
 * their invariants. Chunk limits from tiny to the real 8 KB put chunk boundaries everywhere. Sealed
 * nodes (as a snapshot load appends them) stay sealed between steps unless a step reaches them.
 */
class PackedListPropertyTest {

    private static final byte[][] COMMON = {
        bytes(""), bytes("a"), bytes("b"), bytes("pivot"), bytes("message-0001"),
        bytes("x".repeat(130)), bytes("\u0000\u00ff")
    };

    @Test
    void randomOperationSequencesAgreeWithAnArrayList() {
        Random seeds = new Random(20240607L);
        int[] chunkLimits = {16, 24, 64, 200, 1024, PackedList.DEFAULT_CHUNK_BYTES};
        for (int run = 0; run < 2000; run++) {
            long seed = seeds.nextLong();
            int chunkBytes = chunkLimits[run % chunkLimits.length];
            try {
                runSequence(new Random(seed), chunkBytes, 150);
            } catch (AssertionError e) {
                throw new AssertionError("sequence seed " + seed + " chunk limit " + chunkBytes + ": "
                        + e.getMessage(), e);
            }
        }
    }

    private static void runSequence(Random random, int chunkBytes, int steps) {
        PackedList list = new PackedList(chunkBytes);
        List<byte[]> model = new ArrayList<>();
        for (int step = 0; step < steps; step++) {
            int size = model.size();
            switch (random.nextInt(14)) {
                case 0, 1 -> {
                    End end = anyEnd(random);
                    byte[] value = value(random, chunkBytes);
                    list.push(end, value);
                    model.add(end == End.HEAD ? 0 : size, value);
                }
                case 2 -> {
                    End end = anyEnd(random);
                    int n = random.nextInt(300);
                    for (int i = 0; i < n; i++) {
                        byte[] value = random.nextInt(4) == 0 ? COMMON[random.nextInt(COMMON.length)]
                                : bytes("e" + random.nextInt(1000));
                        list.push(end, value);
                        model.add(end == End.HEAD ? 0 : model.size(), value);
                    }
                }
                case 3, 4 -> {
                    End end = anyEnd(random);
                    int n = 1 + random.nextInt(random.nextBoolean() ? 3 : 100);
                    for (int i = 0; i < n; i++) {
                        byte[] expected = model.isEmpty() ? null
                                : model.remove(end == End.HEAD ? 0 : model.size() - 1);
                        assertArrayEquals(expected, list.pop(end), "pop " + end);
                    }
                }
                case 5 -> {
                    long index = anyIndex(random, size);
                    assertArrayEquals(modelGet(model, index), list.get(index), "get " + index);
                }
                case 6 -> {
                    long index = anyIndex(random, size);
                    byte[] value = value(random, chunkBytes);
                    boolean inRange = modelGet(model, index) != null;
                    assertEquals(inRange, list.set(index, value), "set " + index);
                    if (inRange) {
                        model.set((int) (index < 0 ? index + size : index), value);
                    }
                }
                case 7 -> {
                    byte[] pivot = random.nextInt(3) == 0 && size > 0 ? model.get(random.nextInt(size))
                            : COMMON[random.nextInt(COMMON.length)];
                    byte[] value = value(random, chunkBytes);
                    End side = anyEnd(random);
                    int found = indexOf(model, pivot);
                    assertEquals(found >= 0, list.insert(pivot, value, side), "insert");
                    if (found >= 0) {
                        model.add(side == End.HEAD ? found : found + 1, value);
                    }
                }
                case 8 -> {
                    byte[] value = random.nextInt(4) == 0 && size > 0 ? model.get(random.nextInt(size))
                            : COMMON[random.nextInt(COMMON.length)];
                    long count = switch (random.nextInt(8)) {
                        case 0 -> Long.MIN_VALUE;
                        case 1 -> Long.MAX_VALUE;
                        default -> random.nextInt(9) - 4;
                    };
                    assertEquals(modelRemove(model, value, count), list.remove(value, count),
                            "remove count " + count);
                }
                case 9 -> {
                    if (random.nextInt(3) == 0) {
                        long start = anyIndex(random, size);
                        long stop = anyIndex(random, size);
                        list.trim(start, stop);
                        modelTrim(model, start, stop);
                    }
                }
                case 10 -> {
                    long index = anyIndex(random, size);
                    End toward = anyEnd(random);
                    PackedList.Cursor cursor = list.cursor(index);
                    long position = index < 0 ? index + size : index;
                    int steps2 = random.nextInt(50);
                    for (int i = 0; i < steps2; i++) {
                        byte[] expected = position >= 0 && position < size ? model.get((int) position) : null;
                        assertEquals(expected != null, cursor.hasElement(), "cursor at " + position);
                        if (expected == null) {
                            break;
                        }
                        assertArrayEquals(expected, cursor.value());
                        assertTrue(cursor.valueEquals(expected));
                        cursor.step(toward);
                        position += toward == End.TAIL ? 1 : -1;
                    }
                }
                case 11 -> {
                    // Elements handed over already laid out, as a snapshot load hands its nodes.
                    int n = 1 + random.nextInt(random.nextBoolean() ? 5 : 200);
                    Chunk stored = new Chunk(Chunk.MIN_CAPACITY, End.TAIL);
                    for (int i = 0; i < n; i++) {
                        byte[] value = random.nextInt(3) == 0 ? value(random, chunkBytes) : bytes("job-" + i);
                        stored.reserve(End.TAIL, Chunk.encodedSize(value.length), Integer.MAX_VALUE);
                        stored.pushTail(value);
                        model.add(value);
                    }
                    list.appendStored(stored.data, stored.start, stored.end, stored.count);
                }
                case 12 -> {
                    // A node left sealed, as a snapshot load leaves one, unpacked once something reaches it.
                    int n = 1 + random.nextInt(random.nextBoolean() ? 5 : 100);
                    List<byte[]> elements = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        elements.add(random.nextInt(3) == 0 ? value(random, chunkBytes) : bytes("sealed-" + i));
                    }
                    list.appendSealed(new ListedNode(List.copyOf(elements)));
                    model.addAll(elements);
                }
                default -> {
                    if (random.nextInt(20) == 0) {
                        list.trim(1, 0);
                        model.clear();
                    } else if (random.nextInt(4) == 0) {
                        // Carry on with a copy; changing the original must leave the copy alone.
                        PackedList original = list;
                        list = original.copy();
                        original.push(End.HEAD, bytes("only in the original"));
                        original.set(-1, bytes("changed in the original"));
                        original.remove(COMMON[1], 0);
                    } else if (random.nextInt(3) == 0) {
                        // And changing the copy must leave the original alone (the two share arrays).
                        PackedList copy = list.copy();
                        copy.push(End.HEAD, bytes("only in the copy"));
                        copy.push(End.TAIL, bytes("only in the copy"));
                        copy.set(size / 2, bytes("changed in the copy"));
                        copy.insert(COMMON[1], bytes("inserted in the copy"), End.TAIL);
                        copy.remove(COMMON[2], 0);
                        copy.pop(End.HEAD);
                        copy.trim(1, -2);
                    }
                }
            }
            assertSameContents(model, list, step % 3 == 0);
        }
    }

    // ---- the reference model ----

    private static byte[] modelGet(List<byte[]> model, long index) {
        long i = index < 0 ? index + model.size() : index;
        return i >= 0 && i < model.size() ? model.get((int) i) : null;
    }

    private static int indexOf(List<byte[]> model, byte[] value) {
        for (int i = 0; i < model.size(); i++) {
            if (Arrays.equals(model.get(i), value)) {
                return i;
            }
        }
        return -1;
    }

    private static long modelRemove(List<byte[]> model, byte[] value, long count) {
        long limit = count == 0 ? Long.MAX_VALUE : count == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(count);
        long removed = 0;
        if (count >= 0) {
            for (Iterator<byte[]> it = model.iterator(); it.hasNext() && removed < limit; ) {
                if (Arrays.equals(it.next(), value)) {
                    it.remove();
                    removed++;
                }
            }
        } else {
            for (ListIterator<byte[]> it = model.listIterator(model.size()); it.hasPrevious() && removed < limit; ) {
                if (Arrays.equals(it.previous(), value)) {
                    it.remove();
                    removed++;
                }
            }
        }
        return removed;
    }

    private static void modelTrim(List<byte[]> model, long start, long stop) {
        long length = model.size();
        long from = start < 0 ? Math.max(0, start + length) : start;
        long to = Math.min(stop < 0 ? stop + length : stop, length - 1);
        if (from > to) {
            model.clear();
            return;
        }
        List<byte[]> kept = new ArrayList<>(model.subList((int) from, (int) to + 1));
        model.clear();
        model.addAll(kept);
    }

    // ---- checks ----

    /** Visits {@code list} chunk by chunk and, if {@code walk}, walks copies of it both ways with cursors. */
    private static void assertSameContents(List<byte[]> model, PackedList list, boolean walk) {
        assertEquals(model.size(), list.size(), "size");
        assertEquals(model.isEmpty(), list.isEmpty());
        assertChunkInvariants(list);
        // Visiting chunk by chunk leaves sealed chunks sealed; the cursors walk copies, which unpack
        // their own chunks only, so the list's stay sealed for the steps that follow.
        int[] visited = {0};
        PackedList.ChunkCursor chunks = list.chunkCursor(0);
        while (chunks.visitNext((data, offset, length) -> {
            int i = visited[0]++;
            assertTrue(i < model.size(), "no more elements visited than the list has");
            assertTrue(Arrays.equals(model.get(i), 0, model.get(i).length, data, offset, offset + length),
                    "element " + i + " visited chunk by chunk");
        })) {
            // The visitor checks each element.
        }
        assertEquals(model.size(), visited[0], "elements visited chunk by chunk");
        if (!walk) {
            return;
        }
        PackedList.Cursor forward = list.copy().cursor(0);
        for (byte[] expected : model) {
            assertTrue(forward.hasElement());
            assertArrayEquals(expected, forward.value());
            forward.step(End.TAIL);
        }
        assertFalse(forward.hasElement());
        PackedList backwardCopy = list.copy();
        PackedList.Cursor backward = backwardCopy.cursor(-1);
        for (int i = model.size() - 1; i >= 0; i--) {
            assertTrue(backward.hasElement());
            assertTrue(backward.valueEquals(model.get(i)));
            backward.step(End.HEAD);
        }
        assertFalse(backward.hasElement());
        assertChunkInvariants(backwardCopy);
    }

    private static void assertChunkInvariants(PackedList list) {
        long total = 0;
        Chunk previous = null;
        for (Chunk chunk = list.firstChunk(); chunk != null; chunk = chunk.next) {
            assertSame(previous, chunk.prev, "prev link");
            assertTrue(chunk.count > 0, "no empty chunk in a list");
            if (chunk.sealed != null) {
                assertEquals(chunk.sealed.count(), chunk.count, "a sealed chunk counts its node's elements");
                assertEquals(0, chunk.used(), "a sealed chunk holds no unpacked bytes");
                total += chunk.count;
                previous = chunk;
                continue;
            }
            assertTrue(0 <= chunk.start && chunk.start <= chunk.end && chunk.end <= chunk.capacity(), "bounds");
            assertTrue(chunk.used() <= list.chunkBytes() || chunk.count == 1,
                    "a chunk over the limit holds one element: " + chunk.used() + " in " + chunk.count);
            int elements = 0;
            for (int at = chunk.start; at < chunk.end; at = chunk.after(at)) {
                elements++;
            }
            assertEquals(chunk.count, elements, "count matches the encoded elements");
            total += chunk.count;
            previous = chunk;
        }
        assertEquals(list.size(), total, "chunk counts add up to the size");
        if (list.isEmpty()) {
            assertNull(list.firstChunk());
        } else {
            assertNotNull(list.firstChunk());
        }
    }

    /** Elements sealed as a loaded snapshot's node is, unpacked one push at a time. */
    private record ListedNode(List<byte[]> elements) implements SealedNode {
        @Override
        public int count() {
            return elements.size();
        }

        @Override
        public int bytes() {
            return 16 * elements.size();
        }

        @Override
        public void unpackInto(PackedList list) {
            for (byte[] element : elements) {
                list.pushTail(element, 0, element.length);
            }
        }
    }

    // ---- random inputs ----

    private static End anyEnd(Random random) {
        return random.nextBoolean() ? End.HEAD : End.TAIL;
    }

    private static long anyIndex(Random random, int size) {
        return switch (random.nextInt(10)) {
            case 0 -> Long.MIN_VALUE + random.nextInt(2);
            case 1 -> Long.MAX_VALUE - random.nextInt(2);
            default -> random.nextInt(2 * size + 7) - size - 3;
        };
    }

    /** Mostly small and often repeated values; sometimes empty, sometimes larger than a chunk. */
    private static byte[] value(Random random, int chunkBytes) {
        int kind = random.nextInt(20);
        if (kind < 8) {
            return COMMON[random.nextInt(COMMON.length)];
        }
        int length;
        if (kind < 16) {
            length = random.nextInt(20);
        } else if (kind < 19) {
            length = 100 + random.nextInt(300);
        } else {
            length = chunkBytes + 1 + random.nextInt(Math.max(chunkBytes, 20_000));
        }
        byte[] value = new byte[length];
        random.nextBytes(value);
        return value;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void elementsLongerThanOneLengthByteRoundTrip() {
        PackedList list = new PackedList();
        int[] lengths = {0, 1, 127, 128, 129, 16_383, 16_384, 70_000, 2_097_151, 2_097_152};
        for (int length : lengths) {
            byte[] value = new byte[length];
            Arrays.fill(value, (byte) 0x80);
            list.push(End.TAIL, value);
            list.push(End.HEAD, value);
        }
        for (int i = lengths.length - 1; i >= 0; i--) {
            assertEquals(lengths[i], list.pop(End.HEAD).length);
        }
        for (int i = lengths.length - 1; i >= 0; i--) {
            assertEquals(lengths[i], list.pop(End.TAIL).length);
        }
        assertTrue(list.isEmpty());
        assertNull(list.pop(End.TAIL));
        if (list.firstChunk() != null) {
            fail("an emptied list keeps no chunk");
        }
    }
}
