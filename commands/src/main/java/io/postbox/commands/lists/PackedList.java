package io.postbox.commands.lists;

import io.postbox.commands.keyspace.ObjectSizes;
import io.postbox.commands.keyspace.TypedValue;
import io.postbox.commands.sort.Sortable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A list of byte strings, packed: a doubly linked sequence of {@link Chunk}s, each a byte array of
 * up to 8 KB holding many elements back to back (Redis's quicklist of listpacks, with the same
 * default size limit, list-max-listpack-size -2). An element larger than the limit gets a chunk of
 * its own. Memory per element is its length plus two bytes (for elements under 128 bytes) plus a
 * small share of one array header and node per chunk.
 *
 * <p>Costs: push and pop at either end are amortised O(1); reaching index i walks chunks from the
 * nearer end and then elements inside one chunk; an edit in the middle rewrites at most one chunk
 * (splitting it if it outgrows the limit), and removing by value compacts each chunk in one pass.
 *
 * <p>A list loaded from a snapshot may hold {@link SealedNode}s: chunks whose elements are still
 * packed as the file had them. Whatever reads or removes an element unpacks its chunk first; a push
 * starts a chunk of its own next to a sealed end, and counting (LLEN, walking to an index) needs only
 * each chunk's count.
 *
 * <p>Indexes are 0-based from the head; negative indexes count from the tail (-1 is the last).
 * Not thread-safe: only the executor thread touches a list.
 */
public final class PackedList implements TypedValue, Sortable {

    /** Either end of a list: LEFT is the head, RIGHT the tail. */
    public enum End { HEAD, TAIL }

    /** Redis's list-max-listpack-size -2: at most 8 KB of elements per chunk. */
    static final int DEFAULT_CHUNK_BYTES = 8192;
    private static final int SMALLEST_SIZED_CHUNK_BYTES = 4096;
    /** A listpack's 6-byte header and its end byte. */
    private static final int LISTPACK_FRAMING_BYTES = 7;

    // Heap layout with compressed references (see ObjectSizes), for memoryUsage().
    private static final int LIST_OBJECT_BYTES = 40;
    private static final int CHUNK_OBJECT_BYTES = 40;

    private final int chunkBytes;
    private Chunk head;
    private Chunk tail;
    private int chunks;
    private long size;

    public PackedList() {
        this(DEFAULT_CHUNK_BYTES);
    }

    /**
     * A list whose chunks hold at most {@code chunkBytes} of elements (tests and the snapshot rehearsal
     * use small chunks).
     */
    public PackedList(int chunkBytes) {
        this.chunkBytes = chunkBytes;
    }

    @Override
    public String typeName() {
        return "list";
    }

    @Override
    public String encoding() {
        return "quicklist";
    }

    /**
     * Redis's quicklist fields: the chunks as nodes, their size limit as a list-max-listpack-size (-1 is
     * 4 KB, each step down doubles it), never compressed, and their bytes as listpacks would take them
     * (a chunk's elements as {@link #usedBytes} counts them, framed by a listpack's header and end).
     */
    @Override
    public String layoutDetails() {
        int fill = -(Integer.numberOfTrailingZeros(Math.max(chunkBytes / SMALLEST_SIZED_CHUNK_BYTES, 1)) + 1);
        return String.format(Locale.ROOT,
                " ql_nodes:%d ql_avg_node:%.2f ql_listpack_max:%d ql_compressed:0 ql_uncompressed_size:%d",
                chunks, (double) size / chunks, fill, usedBytes() + (long) chunks * LISTPACK_FRAMING_BYTES);
    }

    @Override
    public long size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    // ---- as SORT reads it ----

    /** A list has an order of its own, which SORT keeps when told not to sort. */
    @Override
    public boolean ordered() {
        return true;
    }

    @Override
    public List<byte[]> elements(long start, long count, boolean reversed) {
        List<byte[]> elements = new ArrayList<>();
        if (start >= size) {
            return elements;
        }
        Cursor cursor = cursor(reversed ? size - 1 - start : start);
        for (long i = 0; i < count && cursor.hasElement(); i++) {
            elements.add(cursor.value());
            cursor.step(reversed ? End.HEAD : End.TAIL);
        }
        return elements;
    }

    // ---- the ends ----

    public void push(End end, byte[] value) {
        Chunk chunk = roomAt(end, Chunk.encodedSize(value.length));
        if (end == End.HEAD) {
            chunk.pushHead(value);
        } else {
            chunk.pushTail(value);
        }
        size++;
    }

    /**
     * Appends {@code length} bytes of {@code bytes} from {@code offset} as one element at the tail:
     * {@code push(TAIL, ...)} without a copy of its own (loading a snapshot hands slices of its nodes).
     */
    public void pushTail(byte[] bytes, int offset, int length) {
        roomAt(End.TAIL, Chunk.encodedSize(length)).pushTail(bytes, offset, length);
        size++;
    }

    /**
     * Appends {@code count} elements at the tail that {@code data} holds in bytes {@code [start, end)}
     * as a chunk stores them (see {@link StoredChunkVisitor}), taking the array over: the caller
     * neither reads nor writes it afterwards. Loading a snapshot whose nodes are close to that layout
     * hands each node over whole instead of copying its elements one by one. Elements that fill at
     * most half a chunk together with the tail's are copied into it instead, as two sparse neighbours
     * are merged, and more than a chunk's limit are split into chunks as an edit would.
     */
    public void appendStored(byte[] data, int start, int end, int count) {
        int bytes = end - start;
        if (tail != null && tail.sealed == null && tail.used() + bytes <= chunkBytes / 2
                && tail.reserve(End.TAIL, bytes, chunkBytes)) {
            tail.append(data, start, end, count);
        } else {
            Chunk stored = Chunk.adopt(data, start, end, count);
            linkAfter(tail, stored);
            splitIfOversized(stored);
        }
        size += count;
    }

    /** Appends the elements of {@code node} at the tail, sealed until something reads or removes one. */
    public void appendSealed(SealedNode node) {
        linkAfter(tail, Chunk.sealed(node));
        size += node.count();
    }

    /**
     * The chunk at {@code end}, with room made for {@code bytes} more. A chunk added next to a full
     * one starts at full size: a list that filled one chunk at an end is likely to fill the next
     * (a queue being loaded or pushed to), and growing it step by step would copy it each time.
     */
    private Chunk roomAt(End end, int bytes) {
        Chunk chunk = end == End.HEAD ? head : tail;
        if (chunk == null || chunk.sealed != null || !chunk.reserve(end, bytes, chunkBytes)) {
            int capacity = chunk == null ? Chunk.MIN_CAPACITY : chunkBytes;
            chunk = new Chunk(Math.max(bytes, capacity), end);
            if (end == End.HEAD) {
                linkBefore(head, chunk);
            } else {
                linkAfter(tail, chunk);
            }
        }
        return chunk;
    }

    /** Removes and returns the element at {@code end}, or null if the list is empty. */
    public byte[] pop(End end) {
        Chunk chunk = end == End.HEAD ? head : tail;
        if (chunk == null) {
            return null;
        }
        chunk = unsealed(chunk, end);
        byte[] value = end == End.HEAD ? chunk.popHead() : chunk.popTail();
        size--;
        if (chunk.count == 0) {
            unlink(chunk);
        }
        return value;
    }

    // ---- by index ----

    /** The element at {@code index}, or null if the index is out of range. */
    public byte[] get(long index) {
        Cursor cursor = cursor(index);
        return cursor.hasElement() ? cursor.value() : null;
    }

    /** Replaces the element at {@code index}; false if the index is out of range. */
    public boolean set(long index, byte[] value) {
        Cursor cursor = cursor(index);
        if (!cursor.hasElement()) {
            return false;
        }
        Chunk chunk = cursor.chunk;
        chunk.replace(cursor.at, value, chunkBytes);
        splitIfOversized(chunk);
        return true;
    }

    /**
     * A cursor on the element at {@code index}; it has no element if the index is out of range.
     * A cursor is valid until the list is next modified.
     */
    public Cursor cursor(long index) {
        if (index < 0) {
            index += size;
        }
        if (index < 0 || index >= size) {
            return new Cursor(this, null, 0);
        }
        Chunk chunk;
        if (index < size / 2) {
            chunk = head;
            while (index >= chunk.count) {
                index -= chunk.count;
                chunk = chunk.next;
            }
        } else {
            long fromTail = size - 1 - index;
            chunk = tail;
            while (fromTail >= chunk.count) {
                fromTail -= chunk.count;
                chunk = chunk.prev;
            }
            index = chunk.count - 1 - fromTail;
        }
        if (chunk.sealed != null) {
            chunk = unsealed(chunk, End.HEAD);
            while (index >= chunk.count) {
                index -= chunk.count;
                chunk = chunk.next;
            }
        }
        return new Cursor(this, chunk, chunk.offsetOf((int) index));
    }

    /**
     * Keeps the elements from {@code start} to {@code stop} inclusive and drops the rest, with LTRIM's
     * rules: negative indexes count from the tail, out-of-range indexes are clamped, and an empty
     * range empties the list.
     */
    public void trim(long start, long stop) {
        long length = size;
        if (start < 0) {
            start += length;
        }
        if (stop < 0) {
            stop += length;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > stop || start >= length) {
            drop(End.HEAD, length);
            return;
        }
        if (stop >= length) {
            stop = length - 1;
        }
        drop(End.HEAD, start);
        drop(End.TAIL, length - stop - 1);
    }

    // ---- by value ----

    /**
     * Inserts {@code value} next to the first element (from the head) equal to {@code pivot}, on its
     * {@code side}: HEAD for before it, TAIL for after it. False if no element equals the pivot.
     */
    public boolean insert(byte[] pivot, byte[] value, End side) {
        for (Chunk chunk = head; chunk != null; chunk = chunk.next) {
            unsealed(chunk, End.HEAD);
            for (int at = chunk.start; at < chunk.end; at = chunk.after(at)) {
                if (chunk.equalsAt(at, pivot)) {
                    chunk.insert(side == End.HEAD ? at : chunk.after(at), value, chunkBytes);
                    size++;
                    splitIfOversized(chunk);
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Removes elements equal to {@code value}: the first {@code count} from the head if count is
     * positive, the last {@code -count} from the tail if negative, all of them if zero. Returns how
     * many were removed.
     */
    public long remove(byte[] value, long count) {
        long limit = count == 0 || count == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(count);
        End from = count < 0 ? End.TAIL : End.HEAD;
        long removed = 0;
        Chunk chunk = from == End.HEAD ? head : tail;
        while (chunk != null && removed < limit) {
            chunk = unsealed(chunk, from);
            Chunk following = from == End.HEAD ? chunk.next : chunk.prev;
            int gone = from == End.HEAD
                    ? chunk.removeFromHead(value, limit - removed)
                    : chunk.removeFromTail(value, limit - removed);
            removed += gone;
            if (chunk.count == 0) {
                unlink(chunk);
            } else if (gone > 0) {
                // Merge only with the neighbour already scanned, so `following` stays linked.
                if (from == End.HEAD) {
                    mergeIfSparse(chunk.prev, chunk);
                } else {
                    mergeIfSparse(chunk, chunk.next);
                }
            }
            chunk = following;
        }
        size -= removed;
        return removed;
    }

    // ---- the keyspace's view ----

    @Override
    public PackedList copy() {
        PackedList copy = new PackedList(chunkBytes);
        for (Chunk chunk = head; chunk != null; chunk = chunk.next) {
            Chunk twin = chunk.share();
            copy.linkAfter(copy.tail, twin);
        }
        copy.size = size;
        return copy;
    }

    /**
     * Estimated heap bytes: the list object, plus the average node and array of the first
     * {@code samples} chunks times the number of chunks, as Redis's MEMORY USAGE samples quicklist
     * nodes.
     */
    @Override
    public long memoryUsage(long samples) {
        long sampled = 0;
        long chunkSum = 0;
        for (Chunk chunk = head; chunk != null && sampled < samples; chunk = chunk.next) {
            chunkSum += CHUNK_OBJECT_BYTES
                    + (chunk.sealed != null ? chunk.storedBytes() : ObjectSizes.byteArray(chunk.capacity()));
            sampled++;
        }
        return LIST_OBJECT_BYTES + (sampled == 0 ? 0 : Math.round((double) chunkSum / sampled * chunks));
    }

    // ---- chunk by chunk, for serialisers ----

    /** Receives one element's bytes in place: {@code length} bytes of {@code data} at {@code offset}, not to be kept. */
    @FunctionalInterface
    public interface ElementVisitor {
        void element(byte[] data, int offset, int length);
    }

    /**
     * Receives a chunk's elements as they are stored, in bytes {@code [start, end)} of {@code data} (not to
     * be kept), one after the other, each: its length as a LEB128 varint (7 bits per byte, least
     * significant group first, high bit = more), its bytes, and its length again with the groups in
     * reverse order. An element shorter than 128 bytes is one byte of length, its bytes, the same byte.
     */
    @FunctionalInterface
    public interface StoredChunkVisitor {
        void chunk(byte[] data, int start, int end);
    }

    /** How many chunks the list has: the nodes a serialiser writes it as. */
    public int chunkCount() {
        return chunks;
    }

    /** Bytes the chunks' elements occupy, their lengths included: about what a serialiser writes. */
    public long usedBytes() {
        long used = 0;
        for (Chunk chunk = head; chunk != null; chunk = chunk.next) {
            used += chunk.storedBytes();
        }
        return used;
    }

    /** A cursor on the chunk after the first {@code skip} chunks (a serialiser resuming on a {@link #copy()}). */
    public ChunkCursor chunkCursor(int skip) {
        Chunk chunk = head;
        for (int i = 0; i < skip && chunk != null; i++) {
            chunk = chunk.next;
        }
        return new ChunkCursor(chunk);
    }

    /**
     * Walks the chunks from the head, one at a time; valid until the list is modified. A cursor on a
     * {@link #copy()} that nobody changes may be split into stretches ({@link #take}) read on other threads.
     */
    public static final class ChunkCursor {
        private Chunk next;
        /** Chunks this cursor may still visit: all that follow, or a stretch of them. */
        private long left;

        private ChunkCursor(Chunk next) {
            this(next, Long.MAX_VALUE);
        }

        private ChunkCursor(Chunk next, long left) {
            this.next = next;
            this.left = left;
        }

        /**
         * Visits the elements of the next chunk, head to tail, and moves past it; false if there is none.
         * A sealed chunk is unpacked into a copy for the visit and stays sealed.
         */
        public boolean visitNext(ElementVisitor visitor) {
            if (!hasNext()) {
                return false;
            }
            Chunk chunk = next;
            if (chunk.sealed == null) {
                visitElements(chunk, visitor);
            } else {
                for (Chunk piece = unpack(chunk.sealed, DEFAULT_CHUNK_BYTES).head; piece != null; piece = piece.next) {
                    visitElements(piece, visitor);
                }
            }
            next = chunk.next;
            left--;
            return true;
        }

        private static void visitElements(Chunk chunk, ElementVisitor visitor) {
            byte[] data = chunk.data;
            for (int at = chunk.start, end = chunk.end; at < end; ) {
                int first = data[at];
                if (first >= 0) {
                    // The common case, an element shorter than 128 bytes: one byte of length either side.
                    visitor.element(data, at + 1, first);
                    at += first + 2;
                } else {
                    int length = chunk.lengthAt(at);
                    int value = chunk.valueAt(at, length);
                    visitor.element(data, value, length);
                    at = value + length + Chunk.varintSize(length);
                }
            }
        }

        /**
         * Hands the next chunk over as it is stored, and moves past it; false if there is none. Faster
         * than {@link #visitNext} for a serialiser whose format is close to the chunk's; such a serialiser
         * writes a sealed chunk as it is ({@link #takeSealed}), so the next chunk must not be one.
         */
        public boolean visitNextStored(StoredChunkVisitor visitor) {
            if (!hasNext()) {
                return false;
            }
            Chunk chunk = next;
            if (chunk.sealed != null) {
                throw new IllegalStateException("a sealed chunk has no stored bytes: take it with takeSealed");
            }
            visitor.chunk(chunk.data, chunk.start, chunk.end);
            next = chunk.next;
            left--;
            return true;
        }

        /**
         * If the next chunk is still sealed, moves past it and returns its node, for a serialiser that
         * writes it as it was read; else null, and the cursor stays where it is.
         */
        public SealedNode takeSealed() {
            if (!hasNext() || next.sealed == null) {
                return null;
            }
            SealedNode node = next.sealed;
            next = next.next;
            left--;
            return node;
        }

        public boolean hasNext() {
            return next != null && left > 0;
        }

        /** A cursor on the next {@code n} chunks (fewer where this one ends); this one moves past them. */
        public ChunkCursor take(int n) {
            ChunkCursor stretch = new ChunkCursor(next, Math.min(n, left));
            for (int i = 0; i < n && hasNext(); i++) {
                next = next.next;
                left--;
            }
            return stretch;
        }

        /** A cursor on the chunks this one has still to visit; moving either leaves the other where it is. */
        public ChunkCursor copy() {
            return new ChunkCursor(next, left);
        }
    }

    /** The head chunk, for tests that check the chunk invariants. */
    Chunk firstChunk() {
        return head;
    }

    int chunkBytes() {
        return chunkBytes;
    }

    // ---- chunk bookkeeping ----

    /**
     * {@code chunk}, its elements unpacked first if it is sealed: they then fill it and as many chunks
     * after it as they need. Returns the piece at {@code side}: {@code chunk} itself for the head
     * side, the last piece for the tail side.
     */
    private Chunk unsealed(Chunk chunk, End side) {
        if (chunk.sealed == null) {
            return chunk;
        }
        Chunk piece = unpack(chunk.sealed, chunkBytes).head;
        chunk.takeOver(piece);
        Chunk last = chunk;
        for (piece = piece.next; piece != null; ) {
            Chunk following = piece.next;
            piece.prev = null;
            piece.next = null;
            linkAfter(last, piece);
            last = piece;
            piece = following;
        }
        return side == End.HEAD ? chunk : last;
    }

    /** The elements of {@code node}, in a list of their own whose chunks hold up to {@code chunkBytes}. */
    private static PackedList unpack(SealedNode node, int chunkBytes) {
        PackedList elements = new PackedList(chunkBytes);
        node.unpackInto(elements);
        if (elements.size != node.count() || elements.size == 0) {
            throw new IllegalStateException(
                    "A sealed list node held " + elements.size + " elements, not " + node.count());
        }
        return elements;
    }

    /** Removes {@code n} elements from {@code end}, whole chunks first. */
    private void drop(End end, long n) {
        while (n > 0) {
            Chunk chunk = end == End.HEAD ? head : tail;
            if (chunk.count <= n) {
                n -= chunk.count;
                size -= chunk.count;
                unlink(chunk);
            } else if (chunk.sealed != null) {
                unsealed(chunk, end);
            } else {
                if (end == End.HEAD) {
                    chunk.dropHead((int) n);
                } else {
                    chunk.dropTail((int) n);
                }
                size -= n;
                n = 0;
            }
        }
    }

    /**
     * Re-packs a chunk that an edit in the middle made larger than the limit into pieces of about
     * equal size, an element over the limit alone in its piece.
     */
    private void splitIfOversized(Chunk chunk) {
        if (chunk.used() <= chunkBytes || chunk.count < 2) {
            return;
        }
        int pieces = (chunk.used() + chunkBytes - 1) / chunkBytes;
        int target = (chunk.used() + pieces - 1) / pieces;
        Chunk last = chunk;
        int pieceStart = chunk.start;
        int pieceCount = 0;
        for (int at = chunk.start; at < chunk.end; ) {
            int bytes = Chunk.encodedSize(chunk.lengthAt(at));
            if (pieceCount > 0 && at - pieceStart + bytes > target) {
                Chunk piece = chunk.slice(pieceStart, at - pieceStart, pieceCount);
                linkAfter(last, piece);
                last = piece;
                pieceStart = at;
                pieceCount = 0;
            }
            at += bytes;
            pieceCount++;
        }
        linkAfter(last, chunk.slice(pieceStart, chunk.end - pieceStart, pieceCount));
        unlink(chunk);
    }

    /** Joins two neighbouring chunks when together they fill at most half a chunk. */
    private void mergeIfSparse(Chunk left, Chunk right) {
        if (left != null && right != null && left.used() + right.used() <= chunkBytes / 2) {
            left.absorb(right);
            unlink(right);
        }
    }

    private void linkBefore(Chunk successor, Chunk chunk) {
        chunks++;
        if (successor == null) {
            head = tail = chunk;
            return;
        }
        chunk.next = successor;
        chunk.prev = successor.prev;
        if (successor.prev == null) {
            head = chunk;
        } else {
            successor.prev.next = chunk;
        }
        successor.prev = chunk;
    }

    private void linkAfter(Chunk predecessor, Chunk chunk) {
        chunks++;
        if (predecessor == null) {
            head = tail = chunk;
            return;
        }
        chunk.prev = predecessor;
        chunk.next = predecessor.next;
        if (predecessor.next == null) {
            tail = chunk;
        } else {
            predecessor.next.prev = chunk;
        }
        predecessor.next = chunk;
    }

    private void unlink(Chunk chunk) {
        chunks--;
        if (chunk.prev == null) {
            head = chunk.next;
        } else {
            chunk.prev.next = chunk.next;
        }
        if (chunk.next == null) {
            tail = chunk.prev;
        } else {
            chunk.next.prev = chunk.prev;
        }
        chunk.prev = null;
        chunk.next = null;
    }

    /** A position on one element, stepping towards either end; valid until the list is modified. */
    public static final class Cursor {
        /** The list, which unpacks the sealed chunks the cursor steps onto. */
        private final PackedList list;
        private Chunk chunk;
        private int at;

        private Cursor(PackedList list, Chunk chunk, int at) {
            this.list = list;
            this.chunk = chunk;
            this.at = at;
        }

        /** False once the cursor has stepped past an end (or started out of range). */
        public boolean hasElement() {
            return chunk != null;
        }

        /** A copy of the current element. */
        public byte[] value() {
            return chunk.copyAt(at);
        }

        public boolean valueEquals(byte[] value) {
            return chunk.equalsAt(at, value);
        }

        /** Moves one element towards {@code end}. */
        public void step(End end) {
            if (end == End.TAIL) {
                at = chunk.after(at);
                if (at == chunk.end) {
                    chunk = chunk.next == null ? null : list.unsealed(chunk.next, End.HEAD);
                    at = chunk == null ? 0 : chunk.start;
                }
            } else if (at == chunk.start) {
                chunk = chunk.prev == null ? null : list.unsealed(chunk.prev, End.TAIL);
                at = chunk == null ? 0 : chunk.before(chunk.end);
            } else {
                at = chunk.before(at);
            }
        }
    }
}
