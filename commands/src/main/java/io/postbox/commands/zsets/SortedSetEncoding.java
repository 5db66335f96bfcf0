package io.postbox.commands.zsets;

/**
 * How a sorted set stores its members: {@link PackedEncoding} for small sets, {@link SkipListEncoding}
 * for large ones. Both keep members in Redis's order (score, then member bytes); ranks are 0-based
 * positions in that order. {@link SortedSet} decides which encoding a set uses and converts.
 */
interface SortedSetEncoding {

    /** The name OBJECT ENCODING reports. */
    String name();

    int size();

    /** The score of {@code member}, or NaN (never a score) if it is not in the set. */
    double score(byte[] member);

    /** Adds {@code member}, which is not in the set. The set keeps the array: it must not change. */
    void insert(byte[] member, double score);

    /** Changes the score of {@code member}, which is in the set. */
    void updateScore(byte[] member, double score);

    /** Removes {@code member}; false if it was not in the set. */
    boolean remove(byte[] member);

    /** The rank of {@code member}, or -1 if it is not in the set. */
    int rank(byte[] member);

    /** How many members from the lowest on pass {@code test}, a test that holds for a leading run. */
    int countWhile(ElementTest test);

    /**
     * How many members in a row, from {@code rank} (below the size) on and at most {@code max} of them,
     * pass {@code test} before the first that fails it, going up the order or down it when
     * {@code descending}.
     */
    int countRun(int rank, int max, boolean descending, ElementTest test);

    /**
     * Visits up to {@code count} members starting at {@code rank} (which is below the size), going
     * up the order, or down it when {@code descending}.
     */
    void visit(int rank, int count, boolean descending, EntryVisitor visitor);

    /** Visits {@code draws} members each chosen uniformly at random (repeats possible); the set is not empty. */
    void visitRandom(long draws, EntryVisitor visitor);

    /** Removes the {@code count} members from {@code rank} up, all of which exist. */
    void deleteRanks(int rank, int count);

    /**
     * One step of ZSCAN from {@code cursor}: visits some members and returns the cursor to continue
     * from, 0 when the walk is complete.
     */
    long scan(long cursor, EntryVisitor visitor);

    /** An independent copy (member arrays, which never change, may be shared). */
    SortedSetEncoding copy();

    /** Estimated heap bytes, measuring at most {@code samples} members (see TypedValue). */
    long memoryUsage(long samples);
}
