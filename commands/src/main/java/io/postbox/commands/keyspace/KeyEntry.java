package io.postbox.commands.keyspace;

/**
 * A key of a database and its value, with a 32-bit header laid out as a Redis object's: the key's
 * access clock in the low 24 bits ({@link AccessTracking}, Redis's {@code lru} field) and above them
 * how a string value was last written ({@link StringForm}, in place of Redis's {@code encoding}
 * field). Packed into one int so that an entry stays 32 bytes.
 */
final class KeyEntry extends Dict.Entry {

    private static final int CLOCK_MASK = (1 << AccessTracking.CLOCK_BITS) - 1;
    private static final StringForm[] FORMS = StringForm.values();

    Object value;
    private int header;

    KeyEntry(byte[] key, int hash, Object value, int clock, StringForm form) {
        super(key, hash);
        this.value = value;
        this.header = clock | form.ordinal() << AccessTracking.CLOCK_BITS;
    }

    int clock() {
        return header & CLOCK_MASK;
    }

    void clock(int clock) {
        header = header & ~CLOCK_MASK | clock;
    }

    StringForm form() {
        return FORMS[header >>> AccessTracking.CLOCK_BITS];
    }

    void form(StringForm form) {
        header = header & CLOCK_MASK | form.ordinal() << AccessTracking.CLOCK_BITS;
    }
}
