package io.postbox.commands.zsets;

import io.postbox.commands.keyspace.Dict;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The member-to-node index of a large sorted set: a chained hash table of the records of
 * {@link SkipListRecords}, whose buckets hold record offsets and whose chains run through the
 * records themselves, so a lookup that finds a member has also loaded its score and links. It
 * resizes and scans as {@link Dict} does (the same bucket order, cursor and thresholds), moving one
 * bucket per operation during a resize; as Redis does for a value's dict, only operations drive a
 * resize on.
 *
 * <p>Record 0 (the list's head) is never in the index, so 0 means no record.
 */
final class MemberIndex {

    private static final int NONE = 0;
    private static final int[] EMPTY = new int[0];

    private final SkipListRecords records;
    /** Where records are; during a resize, buckets below {@link #rehashIndex} have moved to {@link #next}. */
    private int[] table = EMPTY;
    private int used;
    /** The resize target, or null when no resize is in progress. */
    private int[] next;
    private int nextUsed;
    private int rehashIndex = -1;

    MemberIndex(SkipListRecords records) {
        this.records = records;
    }

    int size() {
        return used + nextUsed;
    }

    /** Buckets in the tables (both, during a resize). */
    int buckets() {
        return table.length + (next == null ? 0 : next.length);
    }

    /** The record of {@code member}, whose hash is {@code hash}, or 0. */
    int find(byte[] member, int hash) {
        if (size() == 0) {
            return NONE;
        }
        rehashStep();
        int found = chainFind(table, member, hash);
        return found == NONE && next != null ? chainFind(next, member, hash) : found;
    }

    /** Adds a record whose member is not in the index; its hash is set. */
    void add(int record) {
        rehashStep();
        growIfNeeded();
        if (next != null) {
            push(next, record);
            nextUsed++;
        } else {
            push(table, record);
            used++;
        }
    }

    /** Removes the record of {@code member} and returns it, or 0 if there is none. */
    int remove(byte[] member, int hash) {
        int found = find(member, hash);
        if (found != NONE) {
            remove(found);
        }
        return found;
    }

    /** Removes {@code record}, which is in the index. */
    void remove(int record) {
        if (unlink(table, record)) {
            used--;
        } else {
            unlink(next, record);
            nextUsed--;
        }
        shrinkIfNeeded();
    }

    /** Visits the records of the bucket(s) at {@code cursor}; see {@link Dict#scan}. */
    long scan(long cursor, IntConsumer visitor) {
        if (size() == 0) {
            return 0;
        }
        return Dict.scanBuckets(cursor, table.length, next == null ? 0 : next.length,
                (inNext, slot) -> visitChain((inNext ? next : table)[slot], visitor));
    }

    /** Visits every record once; the visitor must not change the index. */
    void forEach(IntConsumer visitor) {
        for (int bucket : table) {
            visitChain(bucket, visitor);
        }
        if (next != null) {
            for (int bucket : next) {
                visitChain(bucket, visitor);
            }
        }
    }

    /** Sizes an empty index for {@code members} at once, so filling it never resizes (a load). */
    void reserve(int members) {
        if (size() == 0 && next == null) {
            table = new int[Dict.tableSizeFor(members)];
        }
    }

    private int chainFind(int[] t, byte[] member, int hash) {
        if (t.length == 0) {
            return NONE;
        }
        for (int r = t[Dict.slot(hash, t.length)]; r != NONE; r = records.chainNext(r)) {
            if (records.hash(r) == hash && Arrays.equals(records.member(r), member)) {
                return r;
            }
        }
        return NONE;
    }

    private void push(int[] t, int record) {
        int slot = Dict.slot(records.hash(record), t.length);
        records.setChainNext(record, t[slot]);
        t[slot] = record;
    }

    /** Takes {@code record} out of its chain in {@code t}; false if it is not there. */
    private boolean unlink(int[] t, int record) {
        if (t.length == 0) {
            return false;
        }
        int slot = Dict.slot(records.hash(record), t.length);
        if (t[slot] == record) {
            t[slot] = records.chainNext(record);
            return true;
        }
        for (int r = t[slot]; r != NONE; r = records.chainNext(r)) {
            if (records.chainNext(r) == record) {
                records.setChainNext(r, records.chainNext(record));
                return true;
            }
        }
        return false;
    }

    private void visitChain(int record, IntConsumer visitor) {
        while (record != NONE) {
            int following = records.chainNext(record);
            visitor.accept(record);
            record = following;
        }
    }

    private void rehashStep() {
        if (next == null) {
            return;
        }
        // One non-empty bucket, looking at no more than ten empty ones.
        for (int empty = 0; empty < 10 && table[rehashIndex] == NONE; empty++) {
            if (++rehashIndex == table.length) {
                finishResize();
                return;
            }
        }
        int record = table[rehashIndex];
        table[rehashIndex] = NONE;
        while (record != NONE) {
            int following = records.chainNext(record);
            push(next, record);
            used--;
            nextUsed++;
            record = following;
        }
        if (used == 0) {
            finishResize();
        }
    }

    private void finishResize() {
        table = next;
        used = nextUsed;
        next = null;
        nextUsed = 0;
        rehashIndex = -1;
    }

    private void growIfNeeded() {
        if (next != null) {
            return;
        }
        if (table.length == 0) {
            table = new int[Dict.tableSizeFor(0)];
        } else if (used >= table.length) {
            resize(used + 1);
        }
    }

    private void shrinkIfNeeded() {
        if (next == null && Dict.tooSparse(used, table.length)) {
            resize(used);
        }
    }

    private void resize(int members) {
        int size = Dict.tableSizeFor(members);
        if (size == table.length) {
            return;
        }
        if (used == 0) {
            table = new int[size];
            return;
        }
        next = new int[size];
        rehashIndex = 0;
    }
}
