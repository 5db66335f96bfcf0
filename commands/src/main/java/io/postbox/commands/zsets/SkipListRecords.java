package io.postbox.commands.zsets;

import java.util.Arrays;

/**
 * Where a large sorted set keeps its members: one record of longs per member, in chunks, that is at
 * once a node of the {@link SkipList}, laid out as Redis's zskiplistNode with the levels inline, and
 * an entry of the {@link MemberIndex}. A step of a search reads the next node's record and nothing
 * else, where a node object with arrays for its levels made it wait for up to three loads. And
 * linking a member stores only one reference, its bytes' into the member array of the record's
 * chunk: an old-generation node pointing at a young one dirties a card that a garbage-collector
 * refinement thread then has to scan, and nodes as objects dirtied about three per insert.
 *
 * <p>A record is addressed by its offset (an int). Its longs, from the offset:
 * <ul>
 *   <li>{@link #SCORE}: the score's bits;
 *   <li>{@link #HASH_CHAIN}: the member's hash in the high half, and in the low half the next record
 *       of its chain in the member index (0 for none);
 *   <li>{@link #BACKWARD}: the previous node's offset (0, the head's, for none);
 *   <li>{@link #LINKS} + i for each level i of the node: the next node's offset at that level in the
 *       high half (0 for none: nothing links to the head) and the link's span in the low half;
 *       level 0 always spans 1, so its low half holds the node's level instead.
 * </ul>
 * The head is the record at offset 0, of every level. A record is at least {@link #SMALLEST} longs,
 * so its offset within its chunk, divided by that, names its member's place in the chunk's member
 * array.
 *
 * <p>A record's offset holds for its life, so a large set grows without copying more than the chunk
 * it fills: each chunk's array starts small and doubles up to the chunk size, so a set just
 * past the packed limits stays small. A freed record goes on its chunk's free list for its level,
 * and a new record is taken from the lowest chunk that has one of its level or room for it. A chunk
 * whose last record is freed goes back to the heap, its member array with it, and is taken up again
 * before the set grows past its last. A chunk left with a few records is named by {@link
 * #takeSparse}, for its owner to move their members to lower chunks: so a set that shrank gives its
 * memory back, as Redis's allocator gives back each node.
 */
final class SkipListRecords {

    static final int SCORE = 0;
    static final int HASH_CHAIN = 1;
    static final int BACKWARD = 2;
    static final int LINKS = 3;

    /** The size of a record of one level: a power of two, so a shift divides by it. */
    private static final int SMALLEST = LINKS + 1;
    private static final int MEMBER_SHIFT = Integer.numberOfTrailingZeros(SMALLEST);
    private static final int LARGEST = LINKS + SkipList.MAX_LEVEL;
    private static final int CHUNK_BITS = 13;
    private static final int CHUNK = 1 << CHUNK_BITS;
    /** The array a chunk starts with: it doubles as the chunk fills. */
    private static final int FIRST_CHUNK = 64;
    /** A chunk left with this many records, about 2% of a full one's, has them moved down. */
    private static final int FEW = CHUNK / 256;

    /** Null for a chunk given back. */
    private long[][] chunks = {null};
    private byte[][][] members = {null};
    /** Longs of each chunk taken so far: where its next new record goes. */
    private int[] used = {0};
    private int[] liveRecords = {0};
    /** Per chunk, the first free record of each level (0 for none); null until a record of the chunk is freed. */
    private int[][] freeRecords = {null};
    /** Per level, the chunks with a free record of that level. */
    private final ChunkSet[] withFree = new ChunkSet[SkipList.MAX_LEVEL + 1];
    /** Chunks with room for a record of any level: those not filled yet, and those given back. */
    private final ChunkSet withRoom = new ChunkSet();
    /** Chunks left with a few records, for {@link #takeSparse}. */
    private final ChunkSet sparse = new ChunkSet();

    SkipListRecords() {
        for (int level = 1; level <= SkipList.MAX_LEVEL; level++) {
            withFree[level] = new ChunkSet();
        }
        withRoom.add(0);
        allocate(SkipList.MAX_LEVEL);
    }

    long get(int offset) {
        return chunks[offset >>> CHUNK_BITS][offset & (CHUNK - 1)];
    }

    void set(int offset, long value) {
        chunks[offset >>> CHUNK_BITS][offset & (CHUNK - 1)] = value;
    }

    /** A record of {@code level} levels, without a member, whose links are still to be set. */
    int allocate(int level) {
        int chunk = chunkFor(level);
        if (chunk >= 0 && chunk == withFree[level].lowest()) {
            return reuse(chunk, level);
        }
        int record = carve(chunk >= 0 ? chunk : addChunk(), LINKS + level);
        set(record + LINKS, level);
        return record;
    }

    /** Whether a new record of {@code level} levels would come from a chunk below {@code chunk}. */
    boolean hasRoomBelow(int chunk, int level) {
        int from = chunkFor(level);
        return from >= 0 && from < chunk;
    }

    /**
     * The chunk a record of {@code level} levels comes from: the lowest with a free record of that
     * level or room for one; -1 for a chunk still to add.
     */
    private int chunkFor(int level) {
        int reused = withFree[level].lowest();
        int roomy = withRoom.lowest();
        return reused >= 0 && (roomy < 0 || reused <= roomy) ? reused : roomy;
    }

    /**
     * A chunk that was left with {@link #FEW} records since the last call, and is not empty: its
     * members are better moved to lower chunks, so it can go back to the heap. -1 for none.
     */
    int takeSparse() {
        int chunk = sparse.lowest();
        if (chunk >= 0) {
            sparse.remove(chunk);
        }
        return chunk;
    }

    /** The records in use in {@code chunk}. */
    int[] recordsIn(int chunk) {
        int[] found = new int[liveRecords[chunk]];
        int n = 0;
        for (int offset = 0; offset < used[chunk]; offset += LINKS + level(chunk << CHUNK_BITS | offset)) {
            int record = chunk << CHUNK_BITS | offset;
            if (member(record) != null) {
                found[n++] = record;
            }
        }
        return found;
    }

    /** Gives {@code record} back; its member is let go, and its chunk too if it was the last there. */
    void free(int record) {
        int chunk = record >>> CHUNK_BITS;
        int level = level(record);
        setMember(record, null);
        int live = --liveRecords[chunk];
        if (live == 0) { // never the first chunk's: the head is there
            release(chunk);
            return;
        }
        if (live == FEW && chunk > 0) {
            sparse.add(chunk);
        }
        if (freeRecords[chunk] == null) {
            freeRecords[chunk] = new int[SkipList.MAX_LEVEL + 1];
        }
        set(record + SCORE, freeRecords[chunk][level]);
        freeRecords[chunk][level] = record;
        withFree[level].add(chunk);
    }

    int hash(int record) {
        return (int) (get(record + HASH_CHAIN) >>> 32);
    }

    /** Sets the hash of a record in no chain. */
    void setHash(int record, int hash) {
        set(record + HASH_CHAIN, (long) hash << 32);
    }

    int chainNext(int record) {
        return (int) get(record + HASH_CHAIN);
    }

    void setChainNext(int record, int next) {
        set(record + HASH_CHAIN, get(record + HASH_CHAIN) & 0xFFFF_FFFF_0000_0000L | next & 0xFFFF_FFFFL);
    }

    int level(int record) {
        return (int) get(record + LINKS);
    }

    byte[] member(int record) {
        return members[record >>> CHUNK_BITS][(record & (CHUNK - 1)) >>> MEMBER_SHIFT];
    }

    void setMember(int record, byte[] member) {
        members[record >>> CHUNK_BITS][(record & (CHUNK - 1)) >>> MEMBER_SHIFT] = member;
    }

    /** Heap bytes of the chunks and their bookkeeping. */
    long bytes() {
        long bytes = 16L + 20L * chunks.length;
        for (int chunk = 0; chunk < chunks.length; chunk++) {
            if (chunks[chunk] != null) {
                bytes += 16L + 8L * chunks[chunk].length + 16L + 4L * members[chunk].length;
            }
            if (freeRecords[chunk] != null) {
                bytes += 16L + 4L * freeRecords[chunk].length;
            }
        }
        return bytes;
    }

    private int reuse(int chunk, int level) {
        int record = freeRecords[chunk][level];
        int next = (int) get(record + SCORE);
        freeRecords[chunk][level] = next;
        if (next == 0) {
            withFree[level].remove(chunk);
        }
        liveRecords[chunk]++;
        return record;
    }

    /** A new record of {@code size} longs at the end of what {@code chunk} has taken. */
    private int carve(int chunk, int size) {
        int start = used[chunk];
        int end = start + size;
        long[] longs = chunks[chunk];
        if (longs == null) {
            chunks[chunk] = new long[FIRST_CHUNK];
            members[chunk] = new byte[FIRST_CHUNK >>> MEMBER_SHIFT][];
        } else if (longs.length < end) {
            int length = Math.min(CHUNK, Math.max(end, longs.length * 2));
            chunks[chunk] = Arrays.copyOf(longs, length);
            members[chunk] = Arrays.copyOf(members[chunk], length >>> MEMBER_SHIFT);
        }
        used[chunk] = end;
        if (end + LARGEST > CHUNK) {
            withRoom.remove(chunk);
        }
        liveRecords[chunk]++;
        return chunk << CHUNK_BITS | start;
    }

    /** Puts an empty chunk after the last; its array comes with its first record. */
    private int addChunk() {
        int chunk = chunks.length;
        if (chunk == 1 << (31 - CHUNK_BITS)) {
            throw new IllegalStateException("sorted set too large");
        }
        int length = chunk * 2;
        chunks = Arrays.copyOf(chunks, length);
        members = Arrays.copyOf(members, length);
        used = Arrays.copyOf(used, length);
        liveRecords = Arrays.copyOf(liveRecords, length);
        freeRecords = Arrays.copyOf(freeRecords, length);
        for (int added = chunk; added < length; added++) {
            withRoom.add(added);
        }
        return chunk;
    }

    /** Gives an empty chunk's arrays back to the heap; it stays ready to be taken up again. */
    private void release(int chunk) {
        if (freeRecords[chunk] != null) {
            for (int level = 1; level <= SkipList.MAX_LEVEL; level++) {
                if (freeRecords[chunk][level] != 0) {
                    withFree[level].remove(chunk);
                }
            }
            freeRecords[chunk] = null;
        }
        chunks[chunk] = null;
        members[chunk] = null;
        used[chunk] = 0;
        withRoom.add(chunk);
        sparse.remove(chunk);
    }
}
