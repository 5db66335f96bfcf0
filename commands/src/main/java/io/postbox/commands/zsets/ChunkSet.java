package io.postbox.commands.zsets;

import java.util.BitSet;

/** A set of chunk numbers that knows its lowest, for {@link SkipListRecords}' lowest-first allocation. */
final class ChunkSet {

    private final BitSet chunks = new BitSet();
    private int lowest = -1;

    void add(int chunk) {
        chunks.set(chunk);
        if (lowest < 0 || chunk < lowest) {
            lowest = chunk;
        }
    }

    void remove(int chunk) {
        chunks.clear(chunk);
        if (chunk == lowest) {
            lowest = chunks.nextSetBit(chunk + 1);
        }
    }

    /** The lowest chunk in the set, or -1 if it is empty. */
    int lowest() {
        return lowest;
    }
}
