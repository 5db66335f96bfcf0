package io.postbox.commands.zsets;

import java.util.Arrays;

/**
 * Where a large sorted set keeps its members: one record of longs per member, in chunks, that is at
 * once a node of the {@link SkipList}, laid out as Redis's zskiplistNode with the levels inline, and
 * an entry of the {@link MemberIndex}. A step of a search reads the next node's record and nothing
 * else, where a node object with arrays for its levels made it wait for up to three loads. And
 * linking a member stores only one reference, its bytes' into a slot: an old-generation node
 * pointing at a young one dirties a card that a garbage-collector refinement thread then has to
 * scan, and nodes as objects dirtied about three per insert.
 *
 * <p>A record is addressed by its offset (an int). Its longs, from the offset:
 * <ul>
 *   <li>{@link #SCORE}: the score's bits;
 *   <li>{@link #HASH_CHAIN}: the member's hash in the high half, and in the low half the next record
 *       of its chain in the member index (0 for none);
 *   <li>{@link #BACKWARD_SLOT}: the previous node's offset in the high half (0, the head's, for
 *       none) and in the low half the slot of the node's member ({@link #member});
 *   <li>{@link #LINKS} + i for each level i of the node: the next node's offset at that level in the
 *       high half (0 for none: nothing links to the head) and the link's span in the low half;
 *       level 0 always spans 1, so its low half holds the node's level instead.
 * </ul>
 * The head is the record at offset 0, of every level. A freed record goes on the free list of its
 * level, chained through its score, and keeps its slot; the next node of that level takes both.
 *
 * <p>Chunks never move once full, so a large set grows without copying; the first chunk starts
 * small and doubles up to the chunk size, so a set just past the packed limits stays small. Records
 * go back to the heap only with the set: one that shrinks keeps the records of its largest size for
 * its next members (MEMORY USAGE counts them).
 */
final class SkipListRecords {

    static final int SCORE = 0;
    static final int HASH_CHAIN = 1;
    static final int BACKWARD_SLOT = 2;
    static final int LINKS = 3;

    private static final int CHUNK_BITS = 13;
    private static final int CHUNK = 1 << CHUNK_BITS;
    private static final int SLOT_CHUNK_BITS = 12;
    private static final int SLOT_CHUNK = 1 << SLOT_CHUNK_BITS;
    private static final int FIRST_CHUNK = 64;
    private static final int FIRST_SLOT_CHUNK = 16;

    private long[][] chunks = {new long[FIRST_CHUNK]};
    private byte[][][] members = {new byte[FIRST_SLOT_CHUNK][]};
    /** Where the next new record goes. */
    private int top;
    private int slots;
    /** The first free record of each level, or 0. */
    private final int[] free = new int[SkipList.MAX_LEVEL + 1];

    SkipListRecords() {
        allocate(SkipList.MAX_LEVEL);
    }

    long get(int offset) {
        return chunks[offset >>> CHUNK_BITS][offset & (CHUNK - 1)];
    }

    void set(int offset, long value) {
        chunks[offset >>> CHUNK_BITS][offset & (CHUNK - 1)] = value;
    }

    /** A record of {@code level} levels whose links are still to be set. */
    int allocate(int level) {
        int record = free[level];
        if (record != 0) {
            free[level] = (int) get(record + SCORE);
            return record;
        }
        record = reserve(LINKS + level);
        set(record + BACKWARD_SLOT, newSlot());
        set(record + LINKS, level);
        return record;
    }

    /** Gives {@code record} back; its member is let go. */
    void free(int record) {
        int level = level(record);
        setMember(record, null);
        set(record + SCORE, free[level]);
        free[level] = record;
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
        int slot = (int) get(record + BACKWARD_SLOT);
        return members[slot >>> SLOT_CHUNK_BITS][slot & (SLOT_CHUNK - 1)];
    }

    void setMember(int record, byte[] member) {
        int slot = (int) get(record + BACKWARD_SLOT);
        members[slot >>> SLOT_CHUNK_BITS][slot & (SLOT_CHUNK - 1)] = member;
    }

    /** Heap bytes of the chunks. */
    long bytes() {
        long bytes = 0;
        for (long[] chunk : chunks) {
            bytes += chunk == null ? 0 : 16L + 8L * chunk.length;
        }
        for (byte[][] chunk : members) {
            bytes += chunk == null ? 0 : 16L + 4L * chunk.length;
        }
        return bytes + 16L + 4L * (chunks.length + members.length);
    }

    /** Room for {@code size} longs within one chunk: a record never straddles two. */
    private int reserve(int size) {
        int start = top;
        if ((start & (CHUNK - 1)) + size > CHUNK) {
            start = (start | (CHUNK - 1)) + 1;
        }
        if (start < 0 || start > Integer.MAX_VALUE - size) {
            throw new IllegalStateException("sorted set too large");
        }
        int chunk = start >>> CHUNK_BITS;
        int end = (start & (CHUNK - 1)) + size;
        if (chunk == chunks.length) {
            chunks = Arrays.copyOf(chunks, chunks.length * 2);
        }
        if (chunks[chunk] == null) {
            chunks[chunk] = new long[CHUNK];
        } else if (chunks[chunk].length < end) {
            chunks[chunk] = Arrays.copyOf(chunks[chunk], Math.min(CHUNK, Math.max(end, chunks[chunk].length * 2)));
        }
        top = start + size;
        return start;
    }

    private int newSlot() {
        int slot = slots++;
        int chunk = slot >>> SLOT_CHUNK_BITS;
        int index = slot & (SLOT_CHUNK - 1);
        if (chunk == members.length) {
            members = Arrays.copyOf(members, members.length * 2);
        }
        if (members[chunk] == null) {
            members[chunk] = new byte[SLOT_CHUNK][];
        } else if (members[chunk].length <= index) {
            members[chunk] = Arrays.copyOf(members[chunk], Math.min(SLOT_CHUNK, members[chunk].length * 2));
        }
        return slot;
    }
}
