package io.postbox.commands.zsets;

import io.postbox.commands.config.Config;

/**
 * Builds a sorted set from members read from a file (an RDB snapshot), in any order, ending in the
 * encoding Redis gives a loaded set: packed if its size and longest member fit
 * {@code zset-max-listpack-entries} and {@code zset-max-listpack-value}, a skip list otherwise.
 */
public final class SortedSetLoader {

    private final PackedLimits limits;
    private final SkipListEncoding members;
    private final SortedSet set;
    private int longestMember;

    /** Members go into a skip list first, as Redis loads them, so a score of -0 survives unless the set ends packed. */
    public SortedSetLoader(Config config) {
        this(config, 0);
    }

    /** The same, for about {@code expected} members (the count the file gives): the member dict never rehashes. */
    public SortedSetLoader(Config config, long expected) {
        this.limits = PackedLimits.of(config);
        this.members = SkipListEncoding.sizedFor(expected);
        this.set = new SortedSet(members);
    }

    /**
     * Adds a member; false if it is already there (the file is corrupt). The set keeps the array. The
     * members stay in the skip list until {@link #finish}, which packs a small set.
     */
    public boolean add(byte[] member, double score) {
        if (!members.insertIfAbsent(member, score)) {
            return false;
        }
        longestMember = Math.max(longestMember, member.length);
        return true;
    }

    /** The set, or null if no member was added (an empty set is not stored). */
    public SortedSet finish() {
        if (set.cardinality() == 0) {
            return null;
        }
        if (set.encoding().equals("skiplist") && limits.fit(set.cardinality(), longestMember)) {
            SortedSetBuilder packed = new SortedSetBuilder();
            set.visitAll((member, score) -> packed.add(member, score, (a, b) -> b));
            return packed.toSortedSet(limits);
        }
        return set;
    }
}
