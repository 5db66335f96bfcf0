package io.postbox.commands.zsets;

/**
 * A test of one element of a sorted set, by its score and member; the member is the bytes
 * {@code bytes[from, to)}, so a packed encoding need not copy it out. Range searches use tests that
 * hold for a leading run of the set's order and fail from some point on ("sorts before the range").
 */
@FunctionalInterface
interface ElementTest {

    boolean holds(double score, byte[] bytes, int from, int to);

    /**
     * Whether {@link #holds} reads the member. An encoding that keeps members apart from scores
     * gives a test that does not read it an empty member instead of loading each one.
     */
    default boolean readsMember() {
        return true;
    }

    /** {@code test}, which decides by the score alone, marked so. */
    static ElementTest byScore(ElementTest test) {
        return new ElementTest() {
            @Override
            public boolean holds(double score, byte[] bytes, int from, int to) {
                return test.holds(score, bytes, from, to);
            }

            @Override
            public boolean readsMember() {
                return false;
            }
        };
    }
}
