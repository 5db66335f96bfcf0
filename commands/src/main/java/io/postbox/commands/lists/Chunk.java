package io.postbox.commands.lists;

import java.util.Arrays;

/**
 * One node of a {@link PackedList}: many elements encoded back to back in a single byte array, with
 * free space at both ends so pushes and pops at either end touch no other bytes.
 *
 * <p>Layout of {@code data}: {@code [free][element][element]...[element][free]}, the elements
 * occupying {@code [start, end)}. One element is
 * <pre>
 *   forward length   LEB128 varint: 7 bits per byte, least significant group first, high bit = more
 *   bytes            the element itself
 *   backward length  the same groups in reverse order, high bit set on every byte but the first,
 *                    so it can be read from its last byte towards the front
 * </pre>
 * An element shorter than 128 bytes costs two bytes beyond its own. The backward length is what lets
 * a cursor step towards the head without an index.
 *
 * <p>Invariants: {@code 0 <= start <= end <= data.length}; {@code count} elements lie in
 * {@code [start, end)}; a chunk in a list is never empty. Not thread-safe.
 */
final class Chunk {

    /** The smallest array a chunk is given; small lists start here and grow by doubling. */
    static final int MIN_CAPACITY = 32;

    byte[] data;
    int start;
    int end;
    int count;
    Chunk prev;
    Chunk next;
    /**
     * Whether {@code data} may also belong to a chunk of a copy of the list ({@link #share()}): the
     * array is then copied before this chunk writes into it, so copying a list costs its chunk
     * objects, not its bytes (a snapshot writing a queue while it is pushed to and popped from).
     */
    private boolean shared;
    /**
     * The chunk's elements while they are still as a snapshot file stored them, else null: then
     * {@code count} is theirs and {@code data} is empty, until the list unpacks them into this chunk
     * (and as many more as they need) before anything reads or removes one.
     */
    SealedNode sealed;
    /**
     * {@code sealed.bytes()} while sealed, kept here: a snapshot sums the bytes of every chunk of a long
     * list on the executor, and reading each sealed node and its array for it costs cache misses (1-4 ms
     * over the 20,600 nodes of a loaded 10,000,000-element list).
     */
    private int sealedBytes;

    /** An empty chunk of {@code capacity} bytes whose free space is all on the side of {@code toward}. */
    Chunk(int capacity, PackedList.End toward) {
        data = new byte[capacity];
        start = toward == PackedList.End.HEAD ? capacity : 0;
        end = start;
    }

    int used() {
        return end - start;
    }

    /** Bytes of elements this chunk holds as stored: in {@code data}, or in its sealed node. */
    int storedBytes() {
        return sealed != null ? sealedBytes : used();
    }

    int capacity() {
        return data.length;
    }

    // ---- element encoding ----

    static int varintSize(int value) {
        if (value < 1 << 7) {
            return 1;
        } else if (value < 1 << 14) {
            return 2;
        } else if (value < 1 << 21) {
            return 3;
        } else if (value < 1 << 28) {
            return 4;
        }
        return 5;
    }

    /** Bytes one element of {@code length} bytes occupies, both lengths included. */
    static int encodedSize(int length) {
        return length + 2 * varintSize(length);
    }

    /** Writes an element at {@code at}; the caller has made {@code encodedSize} bytes of room there. */
    void write(int at, byte[] value) {
        write(at, value, 0, value.length);
    }

    /** Writes {@code length} bytes of {@code bytes} from {@code offset} as an element at {@code at}. */
    void write(int at, byte[] bytes, int offset, int length) {
        own();
        int pos = at;
        int rest = length;
        while (rest >= 0x80) {
            data[pos++] = (byte) (rest & 0x7f | 0x80);
            rest >>>= 7;
        }
        data[pos++] = (byte) rest;
        System.arraycopy(bytes, offset, data, pos, length);
        pos += length;
        int groups = varintSize(length);
        rest = length;
        for (int i = groups - 1; i >= 0; i--) {
            data[pos + i] = (byte) (rest & 0x7f | (i > 0 ? 0x80 : 0));
            rest >>>= 7;
        }
    }

    /** Length of the element that starts at {@code at}. */
    int lengthAt(int at) {
        int length = 0;
        int shift = 0;
        byte b;
        do {
            b = data[at++];
            length |= (b & 0x7f) << shift;
            shift += 7;
        } while (b < 0);
        return length;
    }

    /** Offset of the bytes of the element that starts at {@code at}. */
    int valueAt(int at, int length) {
        return at + varintSize(length);
    }

    /** Offset just past the element that starts at {@code at}. */
    int after(int at) {
        return at + encodedSize(lengthAt(at));
    }

    /** Offset of the element that ends just before {@code at}. */
    int before(int at) {
        int length = 0;
        int shift = 0;
        int pos = at;
        byte b;
        do {
            b = data[--pos];
            length |= (b & 0x7f) << shift;
            shift += 7;
        } while (b < 0);
        return at - encodedSize(length);
    }

    byte[] copyAt(int at) {
        int length = lengthAt(at);
        int from = valueAt(at, length);
        return Arrays.copyOfRange(data, from, from + length);
    }

    boolean equalsAt(int at, byte[] value) {
        int length = lengthAt(at);
        if (length != value.length) {
            return false;
        }
        int from = valueAt(at, length);
        return Arrays.equals(data, from, from + length, value, 0, length);
    }

    /** Offset of the {@code index}-th element, walking from the nearer end of the chunk. */
    int offsetOf(int index) {
        if (index < count / 2) {
            int at = start;
            for (int i = 0; i < index; i++) {
                at = after(at);
            }
            return at;
        }
        int at = end;
        for (int i = count; i > index; i--) {
            at = before(at);
        }
        return at;
    }

    // ---- the ends ----

    /**
     * Makes {@code bytes} of room at the given end, or returns false when the list should start a new
     * chunk there instead. Amortised O(1) per byte pushed: data moves only when the free space on the
     * other side is at least as large as the data (re-centring), or when the array doubles.
     */
    boolean reserve(PackedList.End at, int bytes, int maxBytes) {
        int needed = used() + bytes;
        if (needed > maxBytes) {
            return false;
        }
        int room = at == PackedList.End.HEAD ? start : data.length - end;
        if (room >= bytes) {
            return true;
        }
        if (needed <= data.length / 2) {
            own();
            int lead = (data.length - needed) / 2 + (at == PackedList.End.HEAD ? bytes : 0);
            System.arraycopy(data, start, data, lead, used());
            end = lead + used();
            start = lead;
            return true;
        }
        if (data.length >= maxBytes) {
            return false;
        }
        int capacity = Math.min(maxBytes, Math.max(data.length * 2, needed));
        relocate(capacity, at == PackedList.End.HEAD ? capacity - used() : 0);
        return true;
    }

    void pushHead(byte[] value) {
        start -= encodedSize(value.length);
        write(start, value);
        count++;
    }

    void pushTail(byte[] value) {
        pushTail(value, 0, value.length);
    }

    void pushTail(byte[] bytes, int offset, int length) {
        write(end, bytes, offset, length);
        end += encodedSize(length);
        count++;
    }

    byte[] popHead() {
        byte[] value = copyAt(start);
        start += encodedSize(value.length);
        count--;
        shrinkIfSparse();
        return value;
    }

    byte[] popTail() {
        int at = before(end);
        byte[] value = copyAt(at);
        end = at;
        count--;
        shrinkIfSparse();
        return value;
    }

    /** Drops {@code n} elements from the head side ({@code n < count}). */
    void dropHead(int n) {
        int at = start;
        for (int i = 0; i < n; i++) {
            at = after(at);
        }
        start = at;
        count -= n;
        shrinkIfSparse();
    }

    /** Drops {@code n} elements from the tail side ({@code n < count}). */
    void dropTail(int n) {
        int at = end;
        for (int i = 0; i < n; i++) {
            at = before(at);
        }
        end = at;
        count -= n;
        shrinkIfSparse();
    }

    // ---- the middle ----

    /**
     * Replaces {@code remove} bytes at {@code at} by a hole of {@code insert} bytes, moving whichever
     * side of the edit is shorter, and returns where the hole now starts. A full array grows towards
     * {@code maxBytes}, or just enough beyond it; the list then splits the chunk.
     */
    int splice(int at, int remove, int insert, int maxBytes) {
        own();
        int delta = insert - remove;
        int front = at - start;
        int back = end - at - remove;
        if (delta < 0) {
            if (front <= back) {
                System.arraycopy(data, start, data, start - delta, front);
                start -= delta;
                return at - delta;
            }
            System.arraycopy(data, at + remove, data, at + insert, back);
            end += delta;
            return at;
        }
        if (delta > 0) {
            boolean headRoom = start >= delta;
            boolean tailRoom = data.length - end >= delta;
            if (headRoom && (front <= back || !tailRoom)) {
                System.arraycopy(data, start, data, start - delta, front);
                start -= delta;
                return at - delta;
            }
            if (tailRoom) {
                System.arraycopy(data, at + remove, data, at + insert, back);
                end += delta;
                return at;
            }
            int needed = used() + delta;
            int capacity = Math.max(needed, Math.min(data.length * 2, maxBytes));
            byte[] grown = new byte[capacity];
            int lead = (capacity - needed) / 2;
            System.arraycopy(data, start, grown, lead, front);
            System.arraycopy(data, at + remove, grown, lead + front + insert, back);
            data = grown;
            start = lead;
            end = lead + needed;
            return lead + front;
        }
        return at;
    }

    /** Writes {@code value} in place of the element at {@code at}. */
    void replace(int at, byte[] value, int maxBytes) {
        int written = splice(at, encodedSize(lengthAt(at)), encodedSize(value.length), maxBytes);
        write(written, value);
        shrinkIfSparse();
    }

    /** Inserts {@code value} so that it starts at {@code at}. */
    void insert(int at, byte[] value, int maxBytes) {
        write(splice(at, 0, encodedSize(value.length), maxBytes), value);
        count++;
    }

    /**
     * Removes elements equal to {@code value}, at most {@code limit}, scanning from the head and
     * sliding kept elements over removed ones in one pass. Returns how many were removed.
     */
    int removeFromHead(byte[] value, long limit) {
        own();
        int read = start;
        int write = start;
        int removed = 0;
        while (read < end && removed < limit) {
            int size = encodedSize(lengthAt(read));
            if (equalsAt(read, value)) {
                removed++;
            } else {
                if (write != read) {
                    System.arraycopy(data, read, data, write, size);
                }
                write += size;
            }
            read += size;
        }
        if (removed > 0) {
            System.arraycopy(data, read, data, write, end - read);
            end = write + (end - read);
            count -= removed;
            shrinkIfSparse();
        }
        return removed;
    }

    /** As {@link #removeFromHead}, scanning from the tail and sliding kept elements towards it. */
    int removeFromTail(byte[] value, long limit) {
        own();
        int read = end;
        int write = end;
        int removed = 0;
        while (read > start && removed < limit) {
            int at = before(read);
            int size = read - at;
            if (equalsAt(at, value)) {
                removed++;
            } else {
                write -= size;
                if (write != at) {
                    System.arraycopy(data, at, data, write, size);
                }
            }
            read = at;
        }
        if (removed > 0) {
            int rest = read - start;
            System.arraycopy(data, start, data, write - rest, rest);
            start = write - rest;
            count -= removed;
            shrinkIfSparse();
        }
        return removed;
    }

    /** Appends the elements of {@code other} after this chunk's, growing the array to fit if needed. */
    void absorb(Chunk other) {
        if (data.length - end < other.used()) {
            relocate(used() + other.used(), 0);
        }
        append(other.data, other.start, other.end, other.count);
    }

    /**
     * Appends {@code count} elements stored in {@code from}'s bytes {@code [start, end)}; the caller
     * has made room for them at the tail.
     */
    void append(byte[] from, int start, int end, int count) {
        own();
        System.arraycopy(from, start, data, this.end, end - start);
        this.end += end - start;
        this.count += count;
    }

    /** A chunk with the same elements that shares this one's array until either writes to it. */
    Chunk share() {
        shared = true;
        Chunk twin = new Chunk(data, start, end, count);
        twin.shared = true;
        twin.sealed = sealed;
        twin.sealedBytes = sealedBytes;
        return twin;
    }

    /** A chunk of the elements of {@code node}, left sealed. */
    static Chunk sealed(SealedNode node) {
        Chunk chunk = new Chunk(new byte[0], 0, 0, node.count());
        chunk.sealed = node;
        chunk.sealedBytes = node.bytes();
        return chunk;
    }

    /** Takes the elements of {@code other}, which is dropped, in place of this chunk's (links aside). */
    void takeOver(Chunk other) {
        data = other.data;
        start = other.start;
        end = other.end;
        count = other.count;
        shared = other.shared;
        sealed = null;
        sealedBytes = 0;
    }

    /** A chunk over {@code count} elements already laid out in {@code data}'s bytes {@code [start, end)}. */
    static Chunk adopt(byte[] data, int start, int end, int count) {
        return new Chunk(data, start, end, count);
    }

    private Chunk(byte[] data, int start, int end, int count) {
        this.data = data;
        this.start = start;
        this.end = end;
        this.count = count;
    }

    /** Makes {@code data} this chunk's own before a write into it. */
    private void own() {
        if (shared) {
            data = data.clone();
            shared = false;
        }
    }

    /** A chunk holding copies of the {@code n} elements starting at {@code at}, {@code bytes} long. */
    Chunk slice(int at, int bytes, int n) {
        Chunk piece = new Chunk(Math.max(bytes, MIN_CAPACITY), PackedList.End.TAIL);
        System.arraycopy(data, at, piece.data, 0, bytes);
        piece.end = bytes;
        piece.count = n;
        return piece;
    }

    // ---- memory ----

    /**
     * Halves the array while seven eighths of it are free, so a list that shrank gives memory back.
     * The gap between this threshold and the growth threshold keeps push/pop pairs from reallocating
     * every time, except around elements as large as the chunk, where the copy is of their size anyway.
     */
    private void shrinkIfSparse() {
        int capacity = data.length;
        while (capacity > MIN_CAPACITY && used() * 8 <= capacity) {
            capacity /= 2;
        }
        if (count > 0 && capacity < data.length) {
            capacity = Math.max(MIN_CAPACITY, capacity);
            relocate(capacity, (capacity - used()) / 2);
        }
    }

    /** Moves the elements into a new array of {@code capacity} bytes, starting at {@code lead}. */
    private void relocate(int capacity, int lead) {
        byte[] moved = new byte[capacity];
        int used = used();
        System.arraycopy(data, start, moved, lead, used);
        data = moved;
        shared = false;
        start = lead;
        end = lead + used;
    }
}
