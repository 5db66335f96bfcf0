package io.postbox.commands.zsets;

import io.postbox.commands.keyspace.TypedValue;
import io.postbox.commands.sort.Sortable;
import java.util.ArrayList;
import java.util.List;

/**
 * A sorted set, the value of a {@code zset} key: members (byte strings) each with a score (a double,
 * never NaN), ordered by score and then by member bytes. This is the API the commands use; they never
 * see the encoding.
 *
 * <p>Encodings follow Redis 7.0: a set starts {@linkplain PackedEncoding packed} ("listpack") and
 * becomes a {@linkplain SkipListEncoding skip list} ("skiplist") for good when an insert would take it
 * past {@link PackedLimits} or when SORT reads it; a set computed whole by ZUNIONSTORE and friends is
 * packed if it fits, and ZRANGESTORE picks the encoding from the number of members it will add.
 * Ranks are 0-based positions in ascending order. Which encoding a member passed through matters to
 * clients in one way only: a packed set stores a score of -0 as 0.
 *
 * <p>A set with no members must not stay in the keyspace: every command that removes members deletes
 * the key when the set becomes empty.
 */
public final class SortedSet implements TypedValue, Sortable {

    /** Members per step of {@link #visitScores}: a packed set's walk restarts from its front at each. */
    private static final int WALK_BATCH = 128;

    /** Which end of the order a pop takes from. */
    public enum End { MIN, MAX }

    /** This object: header and the encoding reference. */
    private static final int OBJECT_BYTES = 16;

    private SortedSetEncoding encoding;

    SortedSet() {
        this(new PackedEncoding());
    }

    SortedSet(SortedSetEncoding encoding) {
        this.encoding = encoding;
    }

    /* ---------------------------------------------------------------- TypedValue */

    @Override
    public String typeName() {
        return "zset";
    }

    @Override
    public String encoding() {
        return encoding.name();
    }

    @Override
    public TypedValue copy() {
        return new SortedSet(encoding.copy());
    }

    @Override
    public long memoryUsage(long samples) {
        return OBJECT_BYTES + encoding.memoryUsage(samples);
    }

    /* ---------------------------------------------------------------- Sortable (SORT) */

    @Override
    public long size() {
        return cardinality();
    }

    /** A sorted set's own order is by score: what SORT keeps when told not to sort. */
    @Override
    public boolean ordered() {
        return true;
    }

    @Override
    public void readyForSort() {
        if (!(encoding instanceof SkipListEncoding)) {
            convertToSkipList();
        }
    }

    @Override
    public List<byte[]> elements(long start, long count, boolean reversed) {
        List<byte[]> members = new ArrayList<>();
        if (start < cardinality()) {
            int n = (int) Math.min(count, cardinality() - start);
            visit(reversed ? cardinality() - 1 - (int) start : (int) start, n, reversed,
                    (member, score) -> members.add(member));
        }
        return members;
    }

    /* ---------------------------------------------------------------- members */

    /** The number of members (ZCARD). */
    public int cardinality() {
        return encoding.size();
    }

    /** The score of {@code member}, or NaN if it is not in the set. */
    public double score(byte[] member) {
        return encoding.score(member);
    }

    /**
     * Adds {@code member}, which is not in the set, converting a packed set that would outgrow
     * {@code limits} first. The set keeps the array: it must not change afterwards.
     */
    void insert(byte[] member, double score, PackedLimits limits) {
        if (encoding instanceof PackedEncoding && !limits.fit(cardinality() + 1L, member.length)) {
            convertToSkipList();
        }
        encoding.insert(member, score);
    }

    /** Changes the score of {@code member}, which is in the set. */
    void updateScore(byte[] member, double score) {
        encoding.updateScore(member, score);
    }

    boolean remove(byte[] member) {
        return encoding.remove(member);
    }

    /** The rank of {@code member} from the lowest score, or from the highest if {@code reverse}; -1 if absent. */
    int rank(byte[] member, boolean reverse) {
        int rank = encoding.rank(member);
        return rank < 0 || !reverse ? rank : cardinality() - 1 - rank;
    }

    /* ---------------------------------------------------------------- ranges */

    /** The ranks {@code [first, first + count)} of the members inside {@code range}. */
    RankSpan span(Range range) {
        int first = startRank(range);
        return new RankSpan(first, Math.max(0, endRank(range) - first));
    }

    /** The rank {@code range}'s first member has or would have: how many members sort before it. */
    int startRank(Range range) {
        return encoding.countWhile(range.test(range::before));
    }

    /** One past the rank of {@code range}'s last member: how many members do not sort after it. */
    int endRank(Range range) {
        return encoding.countWhile(range.test((score, bytes, from, to) -> !range.after(score, bytes, from, to)));
    }

    /**
     * How many members in a row, from {@code rank} (below the cardinality) and at most {@code max} of
     * them, lie inside {@code range}, going up the order or down it when {@code descending}.
     */
    int countInRange(int rank, int max, boolean descending, Range range) {
        return encoding.countRun(rank, max, descending, range.test(
                (score, bytes, from, to) -> !range.before(score, bytes, from, to) && !range.after(score, bytes, from, to)));
    }

    /**
     * Visits up to {@code count} members from {@code rank} on, upwards or, if {@code descending},
     * downwards; nothing if {@code rank} is outside the set.
     */
    void visit(int rank, int count, boolean descending, EntryVisitor visitor) {
        if (rank >= 0 && rank < cardinality() && count > 0) {
            encoding.visit(rank, count, descending, visitor);
        }
    }

    /**
     * Visits the members scored from {@code min} included to {@code max} excluded, lowest first, while
     * {@code visitor} asks for more: it reads a batch at a time, so a walk that stops early (GEOSEARCH
     * ... COUNT n ANY) does not read the whole range.
     */
    public void visitScores(double min, double max, ScoreWalk visitor) {
        RankSpan span = span(new ScoreRange(min, false, max, true));
        int end = span.first() + span.count();
        boolean[] more = {true};
        for (int rank = span.first(); rank < end && more[0]; rank += WALK_BATCH) {
            visit(rank, Math.min(WALK_BATCH, end - rank), false, (member, score) -> {
                if (more[0]) {
                    more[0] = visitor.visit(member, score);
                }
            });
        }
    }

    /** Visits every member with its score, lowest first (serialisers write sets this way). */
    public void visitAll(EntryVisitor visitor) {
        visit(0, cardinality(), false, visitor);
    }

    /** Removes the members of ranks {@code [first, first + count)}, which all exist. */
    void deleteRanks(int first, int count) {
        if (count > 0) {
            encoding.deleteRanks(first, count);
        }
    }

    /**
     * Removes up to {@code count} members from one end, telling {@code popped} of each in the order
     * they leave: lowest first from {@link End#MIN}, highest first from {@link End#MAX}.
     */
    void pop(End end, long count, EntryVisitor popped) {
        int n = (int) Math.min(count, cardinality());
        boolean fromMax = end == End.MAX;
        int first = fromMax ? cardinality() - n : 0;
        visit(fromMax ? cardinality() - 1 : 0, n, fromMax, popped);
        deleteRanks(first, n);
    }

    /** Visits {@code draws} members chosen uniformly at random, repeats possible; the set must not be empty. */
    void visitRandom(long draws, EntryVisitor visitor) {
        encoding.visitRandom(draws, visitor);
    }

    /** One ZSCAN step: see {@link SortedSetEncoding#scan}. */
    long scan(long cursor, EntryVisitor visitor) {
        return encoding.scan(cursor, visitor);
    }

    /* ---------------------------------------------------------------- encodings */

    /**
     * An empty set that will receive about {@code size} members, encoded as Redis's zsetTypeCreate
     * chooses from that hint: a skip list at once if that many would not stay packed.
     */
    static SortedSet forSize(long size, PackedLimits limits) {
        return limits.fit(size, 0) ? new SortedSet() : new SortedSet(new SkipListEncoding());
    }

    /**
     * A set of the members of {@code built}, whose longest member has {@code longestMember} bytes:
     * packed if it fits {@code limits}, as Redis converts the result of a STORE command.
     */
    static SortedSet of(SkipListEncoding built, int longestMember, PackedLimits limits) {
        if (!limits.fit(built.size(), longestMember)) {
            return new SortedSet(built);
        }
        SortedSet packed = new SortedSet();
        new SortedSet(built).visitAll(packed.encoding::insert);
        return packed;
    }

    private void convertToSkipList() {
        SkipListEncoding converted = new SkipListEncoding();
        encoding.visit(0, cardinality(), false, converted::insert);
        encoding = converted;
    }
}
