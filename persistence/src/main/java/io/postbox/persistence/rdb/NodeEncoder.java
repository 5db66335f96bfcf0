package io.postbox.persistence.rdb;

import io.postbox.commands.lists.PackedList;
import java.util.Arrays;

/**
 * Encodes chunks of a frozen list as QUICKLIST_2 nodes (per chunk: container {@code 2} and its listpack
 * as a string, LZF-compressed as {@link RdbOutput#writeCopyOf} would with rdbcompression), appending
 * them to an array it grows as needed. One instance per thread.
 */
final class NodeEncoder {

    private final Lzf lzf = new Lzf();
    private final Listpack.Builder listpack = new Listpack.Builder();
    /** Null: the thread never yields. */
    private final Yielding yielding;
    private byte[] out = new byte[0];
    private int length;

    /**
     * @param yields whether the thread yields after nodes ({@link Yielding}): set when it shares the
     *               CPU with an executor serving clients (see {@link SegmentEncoder})
     */
    NodeEncoder(boolean yields) {
        this.yielding = yields ? new Yielding() : null;
    }

    /** Starts over, appending to {@code buffer} (which may be replaced by a larger one: see {@link #bytes()}). */
    void reset(byte[] buffer) {
        out = buffer;
        length = 0;
    }

    /**
     * Appends the nodes of every chunk {@code chunks} visits; a chunk still sealed as a file had it
     * ({@link SealedListpack}) is written as it was read.
     */
    void encode(PackedList.ChunkCursor chunks, boolean compression) {
        while (chunks.hasNext()) {
            // The loader makes every sealed node there is (RdbList).
            SealedListpack sealed = (SealedListpack) chunks.takeSealed();
            if (sealed != null) {
                ensure(1 + sealed.maxWritten());
                length = RdbOutput.encodeLength(RdbFormat.QUICKLIST_NODE_PACKED, out, length);
                length = sealed.writeTo(out, length, compression);
            } else {
                chunks.visitNextStored(listpack::addStored);
                ensure(1 + listpack.size() + 18);
                length = RdbOutput.encodeLength(RdbFormat.QUICKLIST_NODE_PACKED, out, length);
                length = listpack.writeTo(out, length, compression, lzf);
            }
            if (yielding != null) {
                // A long list keeps this thread busy for seconds. When it shares a core with the executor,
                // the kernel lets it finish its time slice (milliseconds) before the woken executor runs:
                // yielding between nodes (tens of microseconds each) lets a request in sooner.
                yielding.afterNode();
            }
        }
    }

    /** The array holding what was encoded since {@link #reset}: its first {@link #length()} bytes. */
    byte[] bytes() {
        return out;
    }

    int length() {
        return length;
    }

    private void ensure(int more) {
        if (length + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, length + more));
        }
    }
}
