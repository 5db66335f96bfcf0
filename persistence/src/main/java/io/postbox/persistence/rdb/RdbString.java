package io.postbox.persistence.rdb;

import io.postbox.commands.config.Config;
import java.io.IOException;

/**
 * Strings: type 0, the value as one RDB string (integer-encoded, LZF-compressed or plain, see
 * {@link RdbOutput}). Keyspace strings are never changed in place, so a writer never needs a copy.
 */
final class RdbString implements RdbType {

    @Override
    public boolean writes(Object value) {
        return value instanceof byte[];
    }

    @Override
    public ValueWriter writer(Object value) {
        return new OneStringWriter(RdbFormat.TYPE_STRING, (byte[]) value);
    }

    @Override
    public int[] reads() {
        return new int[] {RdbFormat.TYPE_STRING};
    }

    @Override
    public Object read(int type, RdbInput in, Config config) throws IOException {
        return in.readString();
    }
}
