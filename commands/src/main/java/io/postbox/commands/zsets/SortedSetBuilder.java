package io.postbox.commands.zsets;

import io.postbox.commands.keyspace.Dict;
import java.util.function.DoubleBinaryOperator;

/**
 * Collects the members of a sorted set being computed (ZUNION, ZINTER, ZDIFF) before it is ordered: a member added twice has its scores combined. The nodes go straight into the skip list
 * of the result when it is built, so nothing is copied.
 */
final class SortedSetBuilder {

    private final Dict<SkipListNode> members = new Dict<>();
    private int longestMember;

    /** Adds {@code member}, or if it is present replaces its score by {@code combine(old, score)}. */
    void add(byte[] member, double score, DoubleBinaryOperator combine) {
        int hash = Dict.hash(member);
        SkipListNode node = members.find(member, hash);
        if (node != null) {
            node.score = combine.applyAsDouble(node.score, score);
            return;
        }
        members.add(SkipList.newNode(member, hash, score));
        longestMember = Math.max(longestMember, member.length);
    }

    /** The result ordered, in the skip-list encoding (what Redis replies from). */
    SkipListEncoding ordered() {
        return SkipListEncoding.linking(members);
    }

    /** The result as a set to store: packed if it fits {@code limits}. */
    SortedSet toSortedSet(PackedLimits limits) {
        return SortedSet.of(ordered(), longestMember, limits);
    }
}
