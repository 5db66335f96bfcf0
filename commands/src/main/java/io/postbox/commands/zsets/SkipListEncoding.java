package io.postbox.commands.zsets;

import io.postbox.commands.keyspace.Dict;
import io.postbox.commands.keyspace.ObjectSizes;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The encoding of large sorted sets, Redis's "skiplist": a {@link MemberIndex} from member to node
 * for O(1) score lookups, and a {@link SkipList} of the same nodes for order, rank and ranges in
 * O(log n). Both run through one record per member in {@link SkipListRecords}.
 */
final class SkipListEncoding implements SortedSetEncoding {

    /** Heap bytes of an empty set besides its records: this object, the index, the list and its scratch arrays. */
    private static final int FIXED_BYTES = 600;

    private final SkipListRecords records;
    private final MemberIndex members;
    private final SkipList list;

    SkipListEncoding() {
        this(new SkipListRecords());
    }

    private SkipListEncoding(SkipListRecords records) {
        this(records, new MemberIndex(records), new SkipList(records));
    }

    /** The encoding of {@code members} and {@code list}, which share {@code records} and hold the same nodes. */
    SkipListEncoding(SkipListRecords records, MemberIndex members, SkipList list) {
        this.members = members;
        this.list = list;
        this.records = records;
    }

    /** An empty encoding whose member index is sized for {@code expected} members at once (loading). */
    static SkipListEncoding sizedFor(long expected) {
        SkipListEncoding encoding = new SkipListEncoding();
        encoding.members.reserve((int) Math.min(expected, 1 << 30));
        return encoding;
    }

    @Override
    public String name() {
        return "skiplist";
    }

    @Override
    public int size() {
        return list.length();
    }

    @Override
    public double score(byte[] member) {
        int node = members.find(member, Dict.hash(member));
        return node == SkipList.NONE ? Double.NaN : list.score(node);
    }

    @Override
    public void insert(byte[] member, double score) {
        int node = list.newNode(member, Dict.hash(member), score);
        members.add(node);
        list.insert(node);
    }

    /** Inserts {@code member} unless it is there already (false then), hashing it once: how a load adds. */
    boolean insertIfAbsent(byte[] member, double score) {
        int hash = Dict.hash(member);
        if (members.find(member, hash) != SkipList.NONE) {
            return false;
        }
        int node = list.newNode(member, hash, score);
        members.add(node);
        list.insert(node);
        return true;
    }

    @Override
    public void updateScore(byte[] member, double score) {
        list.updateScore(members.find(member, Dict.hash(member)), score);
    }

    @Override
    public boolean remove(byte[] member) {
        int node = members.remove(member, Dict.hash(member));
        if (node == SkipList.NONE) {
            return false;
        }
        list.delete(node);
        moveMembersOfSparseChunks();
        return true;
    }

    @Override
    public int rank(byte[] member) {
        int node = members.find(member, Dict.hash(member));
        return node == SkipList.NONE ? -1 : list.rank(node);
    }

    @Override
    public int countWhile(ElementTest test) {
        return list.countWhile(test);
    }

    @Override
    public int countRun(int rank, int max, boolean descending, ElementTest test) {
        int n = 0;
        for (int node = list.at(rank); n < max && node != SkipList.NONE && list.holds(test, node); n++) {
            node = descending ? list.backward(node) : list.forward(node);
        }
        return n;
    }

    @Override
    public void visit(int rank, int count, boolean descending, EntryVisitor visitor) {
        int node = list.at(rank);
        for (int n = 0; n < count && node != SkipList.NONE; n++) {
            visitor.visit(list.member(node), list.score(node));
            node = descending ? list.backward(node) : list.forward(node);
        }
    }

    @Override
    public void visitRandom(long draws, EntryVisitor visitor) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (long n = 0; n < draws; n++) {
            int node = list.at(random.nextInt(size()));
            visitor.visit(list.member(node), list.score(node));
        }
    }

    @Override
    public void deleteRanks(int rank, int count) {
        list.deleteRanks(rank, count, members::remove);
        moveMembersOfSparseChunks();
    }

    /**
     * Moves the members of chunks left with a few records to lower chunks, so those chunks can go
     * back to the heap: a set that shrank gives its memory back without waiting for the last few
     * members of each chunk to leave. A member moves as a remove and an add would move it, with a
     * new level; if no lower chunk has room for that level, with one level, for which lower chunks
     * have the most room (a rare node made shorter does not change the list's shape); if none has
     * room for that either, it stays.
     */
    private void moveMembersOfSparseChunks() {
        for (int chunk = records.takeSparse(); chunk >= 0; chunk = records.takeSparse()) {
            // No room below for a record of one level: nothing would move, so the chunk is not walked.
            if (!records.hasRoomBelow(chunk, 1)) {
                continue;
            }
            for (int node : records.recordsIn(chunk)) {
                int level = SkipList.randomLevel();
                if (!records.hasRoomBelow(chunk, level)) {
                    level = 1;
                }
                if (records.hasRoomBelow(chunk, level)) {
                    byte[] member = list.member(node);
                    int hash = records.hash(node);
                    double score = list.score(node);
                    members.remove(node);
                    list.delete(node);
                    int moved = list.newNode(member, hash, score, level);
                    members.add(moved);
                    list.insert(moved);
                }
            }
        }
    }

    @Override
    public long scan(long cursor, EntryVisitor visitor) {
        return members.scan(cursor, node -> visitor.visit(list.member(node), list.score(node)));
    }

    @Override
    public SortedSetEncoding copy() {
        SkipListEncoding copy = new SkipListEncoding();
        for (int node = list.first(); node != SkipList.NONE; node = list.forward(node)) {
            copy.insert(list.member(node), list.score(node));
        }
        return copy;
    }

    /**
     * The tables and records, plus the first {@code samples} members' bytes measured and
     * extrapolated to the whole set, as Redis samples a skiplist for MEMORY USAGE.
     */
    @Override
    public long memoryUsage(long samples) {
        long bytes = FIXED_BYTES + 4L * members.buckets() + records.bytes();
        long sampled = 0;
        long sampledBytes = 0;
        for (int node = list.first(); node != SkipList.NONE && sampled < samples; node = list.forward(node)) {
            sampledBytes += ObjectSizes.byteArray(list.member(node).length);
            sampled++;
        }
        if (sampled > 0) {
            bytes += (long) ((double) sampledBytes / sampled * size());
        }
        return bytes;
    }
}
