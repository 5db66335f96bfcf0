package io.postbox.persistence.rdb;

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
        byte[] string = (byte[]) value;
        return new ValueWriter() {
            @Override
            public int type() {
                return RdbFormat.TYPE_STRING;
            }

            @Override
            public boolean writeSome(RdbOutput out, long budget) {
                out.writeString(string);
                return true;
            }

            @Override
            public void detach() {
            }
        };
    }

    @Override
    public int[] reads() {
        return new int[] {RdbFormat.TYPE_STRING};
    }

    @Override
    public Object read(int type, RdbInput in) throws IOException {
        return in.readString();
    }
}
