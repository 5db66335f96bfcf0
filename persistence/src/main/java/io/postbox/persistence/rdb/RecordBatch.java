package io.postbox.persistence.rdb;

import io.postbox.commands.Engine;
import java.io.IOException;

/**
 * A run of records parsed from an RDB file, in file order, handed from the thread that parses them
 * to the one that stores them ({@link ParsedRecords}). A record is a key to store (its database,
 * name, value and expiry time), or a {@link Step}: anything else the file asks of the engine.
 * Owned by one thread at a time; the hand-over publishes it.
 */
final class RecordBatch {

    /**
     * What the storing thread does, in its place among the keys, besides storing one;
     * {@code replaceExisting} when what the file holds replaces what the engine has (DEBUG RELOAD MERGE).
     */
    interface Step {
        void apply(Engine engine, boolean replaceExisting) throws IOException;
    }

    /** Records per batch: large enough that handing over costs little per key. */
    static final int CAPACITY = 512;

    /** A key, or null where {@link #values} holds a {@link Step}. */
    final byte[][] keys = new byte[CAPACITY][];
    final Object[] values = new Object[CAPACITY];
    final long[] expireAt = new long[CAPACITY];
    final int[] db = new int[CAPACITY];
    int size;
    /** File offset after the last record, for messages about the batch. */
    long offset;
    /** Keys the parse has left out as expired up to the end of this batch. */
    long expired;

    void addKey(int database, byte[] key, Object value, long expiry) {
        keys[size] = key;
        values[size] = value;
        expireAt[size] = expiry;
        db[size] = database;
        size++;
    }

    void addStep(Step step) {
        keys[size] = null;
        values[size] = step;
        size++;
    }

    boolean isFull() {
        return size == CAPACITY;
    }
}
