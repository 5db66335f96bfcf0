package io.postbox.commands.zsets;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The ordered index of a large sorted set: a skip list whose links carry spans, as Redis's zskiplist,
 * so finding a member's rank, the node at a rank, or where a score range starts all take O(log n)
 * expected steps. Nodes are ordered by score, then by member bytes ({@link Scores#compare}). A node's
 * level is drawn once, when it is first inserted (each further level with probability 1/4, up to
 * {@link #MAX_LEVEL}), and kept when its score changes.
 *
 * <p>Ranks here are 0-based positions in ascending order. The list does not know about the member
 * hash that shares its nodes; {@link SkipListEncoding} keeps the two in step.
 *
 * <p>Not thread-safe: the executor thread owns every sorted set.
 */
final class SkipList {

    static final int MAX_LEVEL = 32;

    private final SkipListNode head = SkipListNode.head(MAX_LEVEL);
    private SkipListNode tail;
    private int length;
    /** The highest level any node has (at least 1). */
    private int level = 1;
    /** Scratch of insert and delete: the last node before the position, at each level, and its rank. */
    private final SkipListNode[] update = new SkipListNode[MAX_LEVEL];
    private final int[] rankAt = new int[MAX_LEVEL];

    int length() {
        return length;
    }

    SkipListNode first() {
        return head.forward;
    }

    SkipListNode last() {
        return tail;
    }

    /** A node for a new member, of a level drawn at random. */
    static SkipListNode newNode(byte[] member, int hash, double score) {
        return new SkipListNode(member, hash, score, randomLevel());
    }

    /** Links {@code node}, which is in no list, at its place. */
    void insert(SkipListNode node) {
        SkipListNode x = head;
        for (int i = level - 1; i >= 0; i--) {
            rankAt[i] = i == level - 1 ? 0 : rankAt[i + 1];
            SkipListNode next;
            while ((next = x.forward(i)) != null && next.before(node.score, node.key())) {
                rankAt[i] += x.span(i);
                x = next;
            }
            update[i] = x;
        }
        int nodeLevel = node.level();
        if (nodeLevel > level) {
            for (int i = level; i < nodeLevel; i++) {
                rankAt[i] = 0;
                update[i] = head;
                head.setSpan(i, length);
            }
            level = nodeLevel;
        }
        for (int i = 0; i < nodeLevel; i++) {
            node.setForward(i, update[i].forward(i));
            update[i].setForward(i, node);
            int stepsBefore = rankAt[0] - rankAt[i];
            node.setSpan(i, update[i].span(i) - stepsBefore);
            update[i].setSpan(i, stepsBefore + 1);
        }
        for (int i = nodeLevel; i < level; i++) {
            update[i].setSpan(i, update[i].span(i) + 1);
        }
        node.backward = update[0] == head ? null : update[0];
        if (node.forward != null) {
            node.forward.backward = node;
        } else {
            tail = node;
        }
        length++;
    }

    /** Unlinks {@code node}, which is in this list. Its level stays, so it can be inserted again. */
    void delete(SkipListNode node) {
        SkipListNode x = head;
        for (int i = level - 1; i >= 0; i--) {
            SkipListNode next;
            while ((next = x.forward(i)) != null && next.before(node.score, node.key())) {
                x = next;
            }
            update[i] = x;
        }
        unlink(node);
        node.forward = null;
        node.backward = null;
    }

    /**
     * Gives {@code node} a new score and moves it if its place changes. A node that stays between its
     * neighbours is only rewritten, as Redis's zslUpdateScore does.
     */
    void updateScore(SkipListNode node, double newScore) {
        SkipListNode previous = node.backward;
        SkipListNode next = node.forward;
        if ((previous == null || previous.score < newScore) && (next == null || next.score > newScore)) {
            node.score = newScore;
            return;
        }
        delete(node);
        node.score = newScore;
        insert(node);
    }

    /** The 0-based rank of {@code node}, which is in this list. */
    int rank(SkipListNode node) {
        return countWhile((score, bytes, from, to) -> Scores.compare(score, bytes, node.score, node.key()) < 0);
    }

    /**
     * How many nodes from the first on pass {@code test}, for a test that holds for a leading run
     * of the order and then fails: the rank of the first node that fails it.
     */
    int countWhile(ElementTest test) {
        SkipListNode x = head;
        int rank = 0;
        for (int i = level - 1; i >= 0; i--) {
            SkipListNode next;
            while ((next = x.forward(i)) != null && test.holds(next.score, next.key(), 0, next.key().length)) {
                rank += x.span(i);
                x = next;
            }
        }
        return rank;
    }

    /** The node at 0-based {@code rank}, which must be below {@link #length()}. */
    SkipListNode at(int rank) {
        int target = rank + 1;
        int traversed = 0;
        SkipListNode x = head;
        for (int i = level - 1; i >= 0; i--) {
            SkipListNode next;
            while ((next = x.forward(i)) != null && traversed + x.span(i) <= target) {
                traversed += x.span(i);
                x = next;
            }
            if (traversed == target) {
                return x;
            }
        }
        throw new IndexOutOfBoundsException("rank " + rank + " of " + length);
    }

    /** Unlinks the {@code count} nodes from 0-based {@code rank} on, telling {@code removed} of each. */
    void deleteRanks(int rank, int count, Consumer<SkipListNode> removed) {
        int traversed = 0;
        SkipListNode x = head;
        for (int i = level - 1; i >= 0; i--) {
            SkipListNode next;
            while ((next = x.forward(i)) != null && traversed + x.span(i) <= rank) {
                traversed += x.span(i);
                x = next;
            }
            update[i] = x;
        }
        x = x.forward;
        for (int n = 0; n < count && x != null; n++) {
            SkipListNode next = x.forward;
            unlink(x);
            x.forward = null;
            x.backward = null;
            removed.accept(x);
            x = next;
        }
    }

    /** Unlinks {@code node} given {@link #update}: the last node before it at every level. */
    private void unlink(SkipListNode node) {
        for (int i = 0; i < level; i++) {
            if (update[i].forward(i) == node) {
                update[i].setSpan(i, update[i].span(i) + node.span(i) - 1);
                update[i].setForward(i, node.forward(i));
            } else {
                update[i].setSpan(i, update[i].span(i) - 1);
            }
        }
        if (node.forward != null) {
            node.forward.backward = node.backward;
        } else {
            tail = node.backward;
        }
        while (level > 1 && head.forward(level - 1) == null) {
            level--;
        }
        length--;
    }

    private static int randomLevel() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int level = 1;
        while (level < MAX_LEVEL && (random.nextInt() & 3) == 0) {
            level++;
        }
        return level;
    }
}
