package io.postbox.commands.sort;

import java.util.List;

/**
 * A value SORT can sort (a set, a list, a sorted set), seen as a sequence of elements. Each type
 * says how to read its elements; SORT does the rest, whatever the type.
 */
public interface Sortable {

    /** How many elements there are. */
    long size();

    /**
     * True if the elements have an order of their own that SORT keeps when told not to sort (BY a
     * pattern without {@code *}): a list's order, a sorted set's order by score. A set's iteration
     * order is no order of its own.
     */
    boolean ordered();

    /**
     * Up to {@code count} elements from position {@code start}, counting in the value's order, or
     * from its end backwards when {@code reversed} (which only an {@link #ordered} value is asked for).
     */
    List<byte[]> elements(long start, long count, boolean reversed);

    /**
     * Called once before SORT reads the value, whether it sorts or not. Redis's SORT turns a packed
     * sorted set into a skip list for good here, which OBJECT ENCODING shows afterwards; the other
     * types keep their encoding.
     */
    default void readyForSort() {
    }
}
