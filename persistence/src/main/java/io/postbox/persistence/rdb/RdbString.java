package io.postbox.persistence.rdb;

import io.postbox.commands.config.Config;
import io.postbox.commands.keyspace.GrowingString;
import java.io.IOException;

/**
 * Strings: type 0, the value as one RDB string (integer-encoded, LZF-compressed or plain, see
 * {@link RdbOutput}). A keyspace {@code byte[]} never changes, so its writer keeps the array itself;
 * a {@link GrowingString} may change after the visit, so its writer keeps a copy.
 */
final class RdbString implements RdbType {

    @Override
    public boolean writes(Object value) {
        return value instanceof byte[] || value instanceof GrowingString;
    }

    @Override
    public ValueWriter writer(Object value) {
        byte[] string = value instanceof GrowingString growing ? growing.toBytes() : (byte[]) value;
        return new OneStringWriter(RdbFormat.TYPE_STRING, string);
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
