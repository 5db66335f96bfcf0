package io.postbox.commands.zsets;

/**
 * A stretch of a sorted set's order between two ends, as the BYSCORE and BYLEX forms name it. Both
 * tests take an element by score and member bytes {@code bytes[from, to)}. A range whose start lies
 * after its end holds nothing; the tests need not treat that case apart.
 */
interface Range {

    /** True if the element sorts before the range's start. */
    boolean before(double score, byte[] bytes, int from, int to);

    /** True if the element sorts after the range's end. */
    boolean after(double score, byte[] bytes, int from, int to);

    /** Whether the tests read the member; false when the score alone decides. */
    boolean readsMembers();

    /** {@code test}, a test of elements against this range, marked as reading members or not. */
    default ElementTest test(ElementTest test) {
        return readsMembers() ? test : ElementTest.byScore(test);
    }
}
