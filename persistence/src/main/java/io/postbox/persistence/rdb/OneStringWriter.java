package io.postbox.persistence.rdb;

/**
 * Writes a value that is one RDB string: a string value, or a packed encoding (listpack, intset)
 * built when the writer was made, so it never reads the live value again.
 */
final class OneStringWriter implements RdbType.ValueWriter {

    private final int type;
    private final byte[] string;

    OneStringWriter(int type, byte[] string) {
        this.type = type;
        this.string = string;
    }

    @Override
    public int type() {
        return type;
    }

    @Override
    public boolean writeSome(RdbOutput out, long budget) {
        out.writeString(string);
        return true;
    }

    @Override
    public void detach() {
    }
}
