package io.postbox.persistence.rdb;

import java.util.List;

/**
 * Writes a count and then that many strings, over as many calls as the budget needs: the table
 * encodings of hashes (field, value, ... with the count of pairs) and sets. The strings were collected
 * when the writer was made, and keyspace types never change a stored array in place, so the writer
 * holds the value as it was without a copy and {@link #detach()} has nothing to do.
 */
final class StringSequenceWriter implements RdbType.ValueWriter {

    private final int type;
    private final long count;
    private final List<byte[]> strings;
    private int written = -1;

    /** @param count what the file states before the strings (pairs for a hash, members for a set) */
    StringSequenceWriter(int type, long count, List<byte[]> strings) {
        this.type = type;
        this.count = count;
        this.strings = strings;
    }

    @Override
    public int type() {
        return type;
    }

    @Override
    public boolean writeSome(RdbOutput out, long budget) {
        long start = out.pendingBytes();
        if (written < 0) {
            out.writeLength(count);
            written = 0;
        }
        while (written < strings.size()) {
            out.writeString(strings.get(written++));
            if (out.pendingBytes() - start >= budget) {
                break;
            }
        }
        return written == strings.size();
    }

    @Override
    public void detach() {
    }
}
