package io.postbox.commands.zsets;

import io.postbox.commands.keyspace.Dict;
import java.util.function.DoubleBinaryOperator;

/**
 * Collects the members of a sorted set being computed (ZUNION, ZINTER, ZDIFF) before it is ordered: a
 * member added twice has its scores combined. The nodes are made in the skip list of the result and
 * linked when it is built, so nothing is copied.
 */
final class SortedSetBuilder {

    private final SkipListRecords records = new SkipListRecords();
    private final MemberIndex members = new MemberIndex(records);
    private final SkipList list = new SkipList(records);
    private int longestMember;

    /** Adds {@code member}, or if it is present replaces its score by {@code combine(old, score)}. */
    void add(byte[] member, double score, DoubleBinaryOperator combine) {
        int hash = Dict.hash(member);
        int node = members.find(member, hash);
        if (node != SkipList.NONE) {
            list.setScore(node, combine.applyAsDouble(list.score(node), score));
            return;
        }
        members.add(list.newNode(member, hash, score));
        longestMember = Math.max(longestMember, member.length);
    }

    /** The result ordered, in the skip-list encoding (what Redis replies from). */
    SkipListEncoding ordered() {
        members.forEach(list::insert);
        return new SkipListEncoding(records, members, list);
    }

    /** The result as a set to store: packed if it fits {@code limits}. */
    SortedSet toSortedSet(PackedLimits limits) {
        return SortedSet.of(ordered(), longestMember, limits);
    }
}
