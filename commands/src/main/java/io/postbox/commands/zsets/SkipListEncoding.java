package io.postbox.commands.zsets;

import io.postbox.commands.keyspace.Dict;
import io.postbox.commands.keyspace.ObjectSizes;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The encoding of large sorted sets, Redis's "skiplist": a {@link Dict} from member to node for O(1)
 * score lookups, and a {@link SkipList} of the same nodes for order, rank and ranges in O(log n).
 * Each member is one {@link SkipListNode} in both, so its bytes are stored once.
 */
final class SkipListEncoding implements SortedSetEncoding {

    /** Heap bytes of a node (see {@link SkipListNode}): header, six references, an int, a double. */
    private static final int NODE_BYTES = 48;
    /**
     * Heap bytes of an empty set: this object, the dict, the list with its head of every level and
     * its scratch arrays.
     */
    private static final int FIXED_BYTES = 700;

    private final Dict<SkipListNode> members;
    private final SkipList list = new SkipList();

    SkipListEncoding() {
        this(new Dict<>());
    }

    private SkipListEncoding(Dict<SkipListNode> members) {
        this.members = members;
    }

    /** The encoding of the nodes of {@code members}, made by {@link SkipList#newNode} and linked to no list. */
    /** An empty encoding whose member dict is sized for {@code expected} members at once (loading). */
    static SkipListEncoding sizedFor(long expected) {
        Dict<SkipListNode> members = new Dict<>();
        members.reserve((int) Math.min(expected, 1 << 30));
        return new SkipListEncoding(members);
    }

    static SkipListEncoding linking(Dict<SkipListNode> members) {
        SkipListEncoding encoding = new SkipListEncoding(members);
        members.forEach(encoding.list::insert);
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
        SkipListNode node = members.find(member);
        return node == null ? Double.NaN : node.score;
    }

    @Override
    public void insert(byte[] member, double score) {
        SkipListNode node = SkipList.newNode(member, Dict.hash(member), score);
        members.add(node);
        list.insert(node);
    }

    /** Inserts {@code member} unless it is there already (false then), hashing it once: how a load adds. */
    boolean insertIfAbsent(byte[] member, double score) {
        int hash = Dict.hash(member);
        if (members.find(member, hash) != null) {
            return false;
        }
        SkipListNode node = SkipList.newNode(member, hash, score);
        members.add(node);
        list.insert(node);
        return true;
    }

    @Override
    public void updateScore(byte[] member, double score) {
        list.updateScore(members.find(member), score);
    }

    @Override
    public boolean remove(byte[] member) {
        SkipListNode node = members.remove(member);
        if (node == null) {
            return false;
        }
        list.delete(node);
        return true;
    }

    @Override
    public int rank(byte[] member) {
        SkipListNode node = members.find(member);
        return node == null ? -1 : list.rank(node);
    }

    @Override
    public int countWhile(ElementTest test) {
        return list.countWhile(test);
    }

    @Override
    public int countRun(int rank, int max, boolean descending, ElementTest test) {
        int n = 0;
        for (SkipListNode node = list.at(rank); n < max && node != null
                && test.holds(node.score, node.key(), 0, node.key().length); n++) {
            node = descending ? node.backward : node.forward;
        }
        return n;
    }

    @Override
    public void visit(int rank, int count, boolean descending, EntryVisitor visitor) {
        SkipListNode node = list.at(rank);
        for (int n = 0; n < count && node != null; n++) {
            SkipListNode next = descending ? node.backward : node.forward;
            visitor.visit(node.key(), node.score);
            node = next;
        }
    }

    @Override
    public void visitRandom(long draws, EntryVisitor visitor) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (long n = 0; n < draws; n++) {
            SkipListNode node = list.at(random.nextInt(size()));
            visitor.visit(node.key(), node.score);
        }
    }

    @Override
    public void deleteRanks(int rank, int count) {
        list.deleteRanks(rank, count, node -> members.remove(node.key(), node.hash()));
    }

    @Override
    public long scan(long cursor, EntryVisitor visitor) {
        return members.scan(cursor, node -> visitor.visit(node.key(), node.score));
    }

    @Override
    public SortedSetEncoding copy() {
        SkipListEncoding copy = new SkipListEncoding();
        for (SkipListNode node = list.first(); node != null; node = node.forward) {
            copy.insert(node.key(), node.score);
        }
        return copy;
    }

    /**
     * The tables, plus the first {@code samples} nodes measured (member, node, level arrays, bucket)
     * and extrapolated to the whole set, as Redis samples a skiplist for MEMORY USAGE.
     */
    @Override
    public long memoryUsage(long samples) {
        long bytes = FIXED_BYTES + (long) members.buckets() * ObjectSizes.REFERENCE;
        long sampled = 0;
        long sampledBytes = 0;
        for (SkipListNode node = list.first(); node != null && sampled < samples; node = node.forward) {
            sampledBytes += NODE_BYTES + ObjectSizes.byteArray(node.key().length);
            if (node.higher != null) {
                sampledBytes += 2 * ObjectSizes.align(16L + 4L * node.higher.length);
            }
            sampled++;
        }
        if (sampled > 0) {
            bytes += (long) ((double) sampledBytes / sampled * size());
        }
        return bytes;
    }
}
