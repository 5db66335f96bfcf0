package io.postbox.commands.zsets;

/**
 * A test of one element of a sorted set, by its score and member; the member is the bytes
 * {@code bytes[from, to)}, so a packed encoding need not copy it out. Range searches use tests that
 * hold for a leading run of the set's order and fail from some point on ("sorts before the range").
 */
@FunctionalInterface
interface ElementTest {

    boolean holds(double score, byte[] bytes, int from, int to);
}
