package io.postbox.commands.zsets;

import static io.postbox.commands.zsets.SkipListRecords.BACKWARD;
import static io.postbox.commands.zsets.SkipListRecords.LINKS;
import static io.postbox.commands.zsets.SkipListRecords.SCORE;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntConsumer;

/**
 * The ordered index of a large sorted set: a skip list whose links carry spans, as Redis's zskiplist,
 * so finding a member's rank, the node at a rank, or where a score range starts all take O(log n)
 * expected steps. Nodes are ordered by score, then by member bytes compared as unsigned (memcmp);
 * -0 and 0 are the same score. A node's level is drawn once, when it is first inserted (each further
 * level with probability 1/4, up to {@link #MAX_LEVEL}), and kept when its score changes.
 *
 * <p>Nodes are records in {@link SkipListRecords}, named by their offset; {@link #NONE} (the head's
 * offset) stands for no node. A member's bytes are read only when scores tie or a caller asks for
 * them: they are an array of their own, and loading them at every step would double a search's
 * waits for memory.
 *
 * <p>Ranks here are 0-based positions in ascending order. The list does not know about the
 * {@link MemberIndex} that shares its records; {@link SkipListEncoding} keeps the two in step.
 *
 * <p>Not thread-safe: the executor thread owns every sorted set.
 */
final class SkipList {

    static final int MAX_LEVEL = 32;
    /** No node: the head's offset, which no link and no backward link ever names otherwise. */
    static final int NONE = 0;
    private static final int HEAD = 0;
    private static final byte[] NO_MEMBER = new byte[0];

    private final SkipListRecords records;
    private int tail = NONE;
    private int length;
    /** The highest level any node has (at least 1). */
    private int level = 1;
    /** Scratch of searches: the last node before the position, at each level, and its rank. */
    private final int[] update = new int[MAX_LEVEL];
    private final int[] rankAt = new int[MAX_LEVEL];

    /** A list of nodes kept in {@code records}, which must hold no node yet. */
    SkipList(SkipListRecords records) {
        this.records = records;
    }

    int length() {
        return length;
    }

    int first() {
        return forward(HEAD);
    }

    /** The node after {@code node}, or {@link #NONE}. */
    int forward(int node) {
        return linkTarget(records.get(node + LINKS));
    }

    /** The node before {@code node}, or {@link #NONE}. */
    int backward(int node) {
        return (int) records.get(node + BACKWARD);
    }

    double score(int node) {
        return Double.longBitsToDouble(records.get(node + SCORE));
    }

    byte[] member(int node) {
        return records.member(node);
    }

    int level(int node) {
        return records.level(node);
    }

    /** A node for a new member, of a level drawn at random, in no list yet (nor in an index). */
    int newNode(byte[] member, int hash, double score) {
        return newNode(member, hash, score, randomLevel());
    }

    int newNode(byte[] member, int hash, double score, int level) {
        int node = records.allocate(level);
        records.setMember(node, member);
        records.setHash(node, hash);
        setScore(node, score);
        return node;
    }

    /** Sets the score of a node that is in no list yet (one being built). */
    void setScore(int node, double score) {
        records.set(node + SCORE, Double.doubleToRawLongBits(score));
    }

    /** Links {@code node}, which is in no list, at its place. */
    void insert(int node) {
        seek(score(node), member(node));
        int nodeLevel = level(node);
        if (nodeLevel > level) {
            for (int i = level; i < nodeLevel; i++) {
                rankAt[i] = 0;
                update[i] = HEAD;
                setLink(HEAD, i, NONE, length);
            }
            level = nodeLevel;
        }
        for (int i = 0; i < nodeLevel; i++) {
            long link = link(update[i], i);
            int stepsBefore = rankAt[0] - rankAt[i];
            setLink(node, i, linkTarget(link), linkSpan(link, i) - stepsBefore);
            setLink(update[i], i, node, stepsBefore + 1);
        }
        for (int i = nodeLevel; i < level; i++) {
            long link = link(update[i], i);
            setLink(update[i], i, linkTarget(link), linkSpan(link, i) + 1);
        }
        setBackward(node, update[0]);
        int next = forward(node);
        if (next != NONE) {
            setBackward(next, node);
        } else {
            tail = node;
        }
        length++;
    }

    /** Unlinks {@code node}, which is in this list, and frees it. */
    void delete(int node) {
        seek(score(node), member(node));
        unlink(node);
        records.free(node);
    }

    /**
     * Gives {@code node} a new score and moves it if its place changes. A node that stays between its
     * neighbours is only rewritten, as Redis's zslUpdateScore does.
     */
    void updateScore(int node, double newScore) {
        int previous = backward(node);
        int next = forward(node);
        if ((previous == NONE || score(previous) < newScore) && (next == NONE || score(next) > newScore)) {
            setScore(node, newScore);
            return;
        }
        seek(score(node), member(node));
        unlink(node);
        setScore(node, newScore);
        insert(node);
    }

    /** The 0-based rank of {@code node}, which is in this list. */
    int rank(int node) {
        return seek(score(node), member(node));
    }

    /**
     * How many nodes from the first on pass {@code test}, for a test that holds for a leading run
     * of the order and then fails: the rank of the first node that fails it.
     */
    int countWhile(ElementTest test) {
        int x = HEAD;
        int rank = 0;
        for (int i = level - 1; i >= 0; i--) {
            long link;
            int next;
            while ((next = linkTarget(link = link(x, i))) != NONE && holds(test, next)) {
                rank += linkSpan(link, i);
                x = next;
            }
        }
        return rank;
    }

    /** Whether {@code node} passes {@code test}; its member is loaded only for a test that reads it. */
    boolean holds(ElementTest test, int node) {
        if (!test.readsMember()) {
            return test.holds(score(node), NO_MEMBER, 0, 0);
        }
        byte[] member = member(node);
        return test.holds(score(node), member, 0, member.length);
    }

    /**
     * The node at 0-based {@code rank}, which must be below {@link #length()}. The last is the tail,
     * where ZPOPMAX and ranges from the end start, as in Redis: no search.
     */
    int at(int rank) {
        if (rank == length - 1) {
            return tail;
        }
        int wanted = rank + 1;
        int traversed = seekRank(wanted);
        if (traversed == wanted) {
            return update[0];
        }
        throw new IndexOutOfBoundsException("rank " + rank + " of " + length);
    }

    /**
     * Unlinks and frees the {@code count} nodes from 0-based {@code rank} on, showing each to
     * {@code removed} first.
     */
    void deleteRanks(int rank, int count, IntConsumer removed) {
        seekRank(rank);
        int x = forward(update[0]);
        for (int n = 0; n < count && x != NONE; n++) {
            int next = forward(x);
            removed.accept(x);
            unlink(x);
            records.free(x);
            x = next;
        }
    }

    /**
     * Fills {@link #update} with the last node before (score, member) at each level and
     * {@link #rankAt} with their ranks (1-based, the head's 0); returns how many nodes sort before.
     */
    private int seek(double score, byte[] member) {
        int x = HEAD;
        int rank = 0;
        for (int i = level - 1; i >= 0; i--) {
            long link;
            int next;
            while ((next = linkTarget(link = link(x, i))) != NONE && before(next, score, member)) {
                rank += linkSpan(link, i);
                x = next;
            }
            rankAt[i] = rank;
            update[i] = x;
        }
        return rank;
    }

    /** Fills {@link #update} with the last node at each level whose 1-based rank is at most {@code rank}; returns the rank of {@code update[0]}. */
    private int seekRank(int rank) {
        int x = HEAD;
        int traversed = 0;
        for (int i = level - 1; i >= 0; i--) {
            long link;
            int next;
            while ((next = linkTarget(link = link(x, i))) != NONE && traversed + linkSpan(link, i) <= rank) {
                traversed += linkSpan(link, i);
                x = next;
            }
            update[i] = x;
        }
        return traversed;
    }

    private boolean before(int node, double score, byte[] member) {
        double nodeScore = score(node);
        return nodeScore < score || (nodeScore == score && Arrays.compareUnsigned(member(node), member) < 0);
    }

    /** Unlinks {@code node} given {@link #update}: the last node before it at every level. */
    private void unlink(int node) {
        for (int i = 0; i < level; i++) {
            long link = link(update[i], i);
            if (linkTarget(link) == node) {
                long own = link(node, i);
                setLink(update[i], i, linkTarget(own), linkSpan(link, i) + linkSpan(own, i) - 1);
            } else {
                setLink(update[i], i, linkTarget(link), linkSpan(link, i) - 1);
            }
        }
        int next = forward(node);
        if (next != NONE) {
            setBackward(next, backward(node));
        } else {
            tail = backward(node);
        }
        while (level > 1 && linkTarget(link(HEAD, level - 1)) == NONE) {
            level--;
        }
        length--;
    }

    private long link(int node, int level) {
        return records.get(node + LINKS + level);
    }

    /** Sets a link; the span of level 0 is always 1 and is not stored (the node's level is). */
    private void setLink(int node, int level, int target, int span) {
        int offset = node + LINKS + level;
        long low = level == 0 ? records.get(offset) & 0xFFFF_FFFFL : span & 0xFFFF_FFFFL;
        records.set(offset, (long) target << 32 | low);
    }

    private void setBackward(int node, int previous) {
        records.set(node + BACKWARD, previous);
    }

    private static int linkTarget(long link) {
        return (int) (link >>> 32);
    }

    private static int linkSpan(long link, int level) {
        return level == 0 ? 1 : (int) link;
    }

    /** A level of 1 with a chance of 3/4, and each level above it with a quarter of the one below's. */
    static int randomLevel() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int level = 1;
        while (level < MAX_LEVEL && (random.nextInt() & 3) == 0) {
            level++;
        }
        return level;
    }
}
