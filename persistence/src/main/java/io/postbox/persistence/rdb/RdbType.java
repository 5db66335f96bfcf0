package io.postbox.persistence.rdb;

import io.postbox.commands.config.Config;
import java.io.IOException;

/**
 * One Postbox value type in RDB files: how its values are written and which RDB encodings of it are
 * read back. There is one small class per type ({@link RdbString}, {@link RdbList}); {@link RdbTypes}
 * lists them, and a new type is added by writing its class and listing it there.
 */
public interface RdbType {

    /** Whether {@code value} (a keyspace value: {@code byte[]} or a TypedValue) is of this type. */
    boolean writes(Object value);

    /** A writer of one value; the value is read on the executor thread only. */
    ValueWriter writer(Object value);

    /** The RDB type bytes this type loads. */
    int[] reads();

    /**
     * Reads one value of RDB type {@code type} (one of {@link #reads()}), in the encoding the
     * server's {@code config} gives a value of its size (as Redis converts on load); null if the
     * stored value is empty, which Redis skips.
     */
    Object read(int type, RdbInput in, Config config) throws IOException;

    /** Writes one value, in one call or over several (a large list, between command batches). */
    interface ValueWriter {

        /** The RDB type byte written before the key. */
        int type();

        /** Writes more of the value, stopping once about {@code budget} bytes are written; true when it is all written. */
        boolean writeSome(RdbOutput out, long budget);

        /**
         * The value is about to change while it is only partly written: carry on from a private copy
         * of it, so the file still gets the value as it was.
         */
        void detach();
    }
}
