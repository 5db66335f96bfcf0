package io.postbox.commands.keyspace;

import java.util.Arrays;

/**
 * Keys read by a snapshot load, waiting to be stored together: {@link Dict#addAllAbsent} stores a
 * batch in bucket order, which spares the garbage collector most of the card marking that storing
 * millions of keys one by one into a large table costs. Not thread-safe: the loading thread owns it.
 */
final class LoadBatch {

    /**
     * Keys per batch. Storing a batch dirties about every card of a large table once (a million-key
     * table spans some 16,000 cards), and the collector's refinement threads then scan each dirtied
     * card whole: the fewer batches, the fewer scans. 2^18 rather than 2^16 took the collector's CPU
     * (refinement included) for load_bench's 1.1 million keys down by 0.1-0.27 s (~0.9-1.1 to ~0.8 s).
     */
    private static final int CAPACITY = 1 << 18;

    private final KeyEntry[] entries = new KeyEntry[CAPACITY];
    /** The entries' hashes, apart from them: see {@link Dict#addAllAbsent}. */
    private final int[] hashes = new int[CAPACITY];
    private final long[] expireAt = new long[CAPACITY];
    private int count;

    /** Holds {@code entry}, whose expiry time is {@code expireAt} ({@code -1}: none); true when the batch is full. */
    boolean add(KeyEntry entry, long expireAt) {
        entries[count] = entry;
        hashes[count] = entry.hash();
        this.expireAt[count] = expireAt;
        count++;
        return count == CAPACITY;
    }

    /**
     * Stores the held keys in {@code keys} and their expiry times in {@code expires}, and empties the
     * batch. Returns a key that is stored already or held twice (the file is corrupt; then some keys of the
     * batch are not stored), or null.
     */
    byte[] storeInto(Dict<KeyEntry> keys, Dict<ExpireEntry> expires) {
        KeyEntry duplicate = keys.addAllAbsent(entries, hashes, count);
        if (duplicate == null) {
            for (int i = 0; i < count; i++) {
                if (expireAt[i] != -1) {
                    expires.add(new ExpireEntry(entries[i].key(), entries[i].hash(), expireAt[i]));
                }
            }
        }
        Arrays.fill(entries, 0, count, null);
        count = 0;
        return duplicate == null ? null : duplicate.key();
    }
}
