package io.postbox.commands.zsets;

import io.postbox.commands.keyspace.Dict;

/**
 * One member of a large sorted set: at once the entry of the member-to-score {@link Dict} (the
 * member bytes, their hash and the chain link live in {@link Dict.Entry}) and a node of the
 * {@link SkipList}. Sharing one object keeps the member stored once and costs one header.
 *
 * <p>Level 0 is held in plain fields ({@link #forward}; its span is always 1, so it is not stored).
 * Only a node of level two or more, about one in four, carries arrays for the levels above:
 * {@code higher[i]} and {@code higherSpans[i]} are the link and span of level {@code i + 1}. A span
 * is how many level-0 steps the link jumps; a level's last link, which points nowhere, spans the
 * nodes left after this one, as in Redis's t_zset.c.
 */
final class SkipListNode extends Dict.Entry {

    double score;
    /** The node before this one at level 0, or null for the first node. */
    SkipListNode backward;
    /** The next node at level 0, or null for the last node. */
    SkipListNode forward;
    /** Links of levels 1 and up, or null for a node of level 1. */
    SkipListNode[] higher;
    int[] higherSpans;

    SkipListNode(byte[] member, int hash, double score, int level) {
        super(member, hash);
        this.score = score;
        if (level > 1) {
            higher = new SkipListNode[level - 1];
            higherSpans = new int[level - 1];
        }
    }

    /** The list's head: a node of every level, holding no member. */
    static SkipListNode head(int levels) {
        return new SkipListNode(null, 0, 0, levels);
    }

    int level() {
        return higher == null ? 1 : higher.length + 1;
    }

    SkipListNode forward(int level) {
        return level == 0 ? forward : higher[level - 1];
    }

    void setForward(int level, SkipListNode node) {
        if (level == 0) {
            forward = node;
        } else {
            higher[level - 1] = node;
        }
    }

    int span(int level) {
        return level == 0 ? 1 : higherSpans[level - 1];
    }

    /** Sets the span of a level above 0; level 0 spans 1 by construction. */
    void setSpan(int level, int span) {
        if (level > 0) {
            higherSpans[level - 1] = span;
        }
    }

    /** True if this node sorts before the member {@code member} with {@code score}. */
    boolean before(double score, byte[] member) {
        return Scores.compare(this.score, key(), score, member) < 0;
    }
}
