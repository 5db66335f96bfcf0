package io.postbox.commands.keyspace;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * A chained hash table keyed by byte strings (content equality) that resizes incrementally, as
 * Redis's dict.c: while a resize is in progress there are two tables, and every lookup, insert and
 * removal moves one bucket (plus {@link #rehashFor(long)} from the cron) from the old table to the
 * new, so no single operation ever pays for a whole rehash.
 *
 * <p>Entries are subclasses of {@link Entry}, which hold the key, its hash and the chain link; a
 * subclass adds its payload as plain fields, so one small object per key carries everything and
 * nothing is boxed.
 *
 * <p>Sizes are powers of two. The table grows to twice its size when it holds as many entries as
 * buckets, and shrinks to the smallest power of two that holds its entries when fewer than a tenth
 * of its buckets would be used.
 *
 * <p>{@link #scan} iterates with Redis's reverse-binary cursor: every entry present for the whole
 * iteration is returned at least once, even when the table grows or shrinks between calls. Buckets
 * are stored in that cursor order (see {@link #slot}), so a full scan reads each table front to back.
 *
 * <p>Not thread-safe: the executor thread owns every dict.
 */
public class Dict<E extends Dict.Entry> {

    /** One key in a chain. Subclasses add the value fields. */
    public abstract static class Entry {
        final int hash;
        final byte[] key;
        Entry next;

        protected Entry(byte[] key, int hash) {
            this.key = key;
            this.hash = hash;
        }

        public final byte[] key() {
            return key;
        }

        public final int hash() {
            return hash;
        }
    }

    private static final int INITIAL_SIZE = 4;
    /** Entries a {@link #fairRandom} draw chooses among, as Redis's GETFAIR_NUM_ENTRIES. */
    private static final int FAIR_SAMPLE = 15;
    /** Buckets moved per rehash step, and per millisecond check in {@link #rehashFor}. */
    private static final int CRON_STEP_BUCKETS = 100;
    /** A table is shrunk when fewer than 1/SHRINK_FILL of its buckets would be used. */
    private static final int SHRINK_FILL = 10;
    private static final Entry[] EMPTY = new Entry[0];
    /** log2 of the buckets one card of the collector's card table covers (512 bytes of 4-byte references). */
    private static final int CARD_BUCKET_BITS = 7;

    /** Where entries live; during a resize, buckets below {@link #rehashIndex} have moved to {@link #next}. */
    private Entry[] table = EMPTY;
    private int used;
    /** The resize target, or null when no resize is in progress. */
    private Entry[] next;
    private int nextUsed;
    private int rehashIndex = -1;
    /** Whether a {@link #forEach} is walking the tables: lookups by its visitor must not move buckets. */
    private boolean iterating;

    /** The hash of {@code key}, as every dict computes it (equal keys hash alike in all dicts). */
    public static int hash(byte[] key) {
        return KeyHash.hash(key);
    }

    public final int size() {
        return used + nextUsed;
    }

    /** Buckets in the tables (both, during a resize): what sparseness is measured against. */
    public final int buckets() {
        return table.length + (next == null ? 0 : next.length);
    }

    public final boolean isRehashing() {
        return next != null;
    }

    public final E find(byte[] key) {
        return find(key, hash(key));
    }

    @SuppressWarnings("unchecked")
    public final E find(byte[] key, int hash) {
        if (size() == 0) {
            return null;
        }
        rehashStep();
        Entry found = chainFind(table, key, hash);
        if (found == null && next != null) {
            found = chainFind(next, key, hash);
        }
        return (E) found;
    }

    /** Adds an entry whose key is not in the dict; the caller has checked with {@link #find}. */
    public final void add(E entry) {
        rehashStep();
        growIfNeeded();
        if (next != null) {
            int slot = slot(entry.hash, next.length);
            entry.next = next[slot];
            next[slot] = entry;
            nextUsed++;
        } else {
            int slot = slot(entry.hash, table.length);
            entry.next = table[slot];
            table[slot] = entry;
            used++;
        }
    }

    /**
     * Adds the first {@code count} entries of {@code batch}, in bucket order rather than batch order,
     * stopping at an entry whose key is in the dict already (or earlier in the batch): that entry is
     * returned and it and the rest of the batch are not added; null when all were added. The entries
     * are new (in no dict, linked to no other), and {@code hashes[i]} is {@code batch[i]}'s hash.
     *
     * <p>For loading many keys: bucket order makes consecutive stores land next to each other in the
     * table, so the garbage collector's write barrier records each dirtied 512-byte card of a large
     * (old-generation) table once per batch instead of once per entry, which otherwise costs a load a
     * concurrent-refinement thread's worth of CPU. The hashes come apart from the entries so that
     * sorting the batch, and storing an entry into an empty bucket, never loads the entry itself: in
     * bucket order the entries are scattered over the heap, a cache miss each. Falls back to one at a
     * time while resizing or when the table would have to grow.
     */
    public final E addAllAbsent(E[] batch, int[] hashes, int count) {
        if (count == 0) {
            return null;
        }
        if (next != null || table.length < used + count) {
            for (int i = 0; i < count; i++) {
                E entry = batch[i];
                if (find(entry.key, entry.hash) != null) {
                    return entry;
                }
                add(entry);
            }
            return null;
        }
        // Counting sort on the card (group of CARD_BUCKETS buckets) each entry goes to.
        int shift = Integer.numberOfLeadingZeros(table.length - 1);
        int groupBits = Math.max(0, 32 - shift - CARD_BUCKET_BITS);
        int[] starts = new int[(1 << groupBits) + 1];
        for (int i = 0; i < count; i++) {
            starts[group(hashes[i], shift, groupBits) + 1]++;
        }
        for (int g = 1; g < starts.length; g++) {
            starts[g] += starts[g - 1];
        }
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[starts[group(hashes[i], shift, groupBits)]++] = i;
        }
        for (int i = 0; i < count; i++) {
            E entry = batch[order[i]];
            int slot = slot(hashes[order[i]], table.length);
            Entry chain = table[slot];
            if (chain != null) {
                if (chainFind(table, entry.key, entry.hash) != null) {
                    return entry;
                }
                entry.next = chain;
            }
            table[slot] = entry;
            used++;
        }
        return null;
    }

    /** The top {@code groupBits} bits of an entry's bucket number (the bucket's card), for {@link #addAllAbsent}. */
    private static int group(int hash, int shift, int groupBits) {
        return groupBits == 0 ? 0 : (Integer.reverse(hash) >>> shift) >>> (32 - shift - groupBits);
    }

    public final E remove(byte[] key) {
        return remove(key, hash(key));
    }

    /** Removes and returns the entry for {@code key}, or null if there is none. */
    @SuppressWarnings("unchecked")
    public final E remove(byte[] key, int hash) {
        if (size() == 0) {
            return null;
        }
        rehashStep();
        Entry removed = chainRemove(table, key, hash);
        if (removed != null) {
            used--;
        } else if (next != null) {
            removed = chainRemove(next, key, hash);
            if (removed != null) {
                nextUsed--;
            }
        }
        if (removed != null) {
            shrinkIfNeeded();
        }
        return (E) removed;
    }

    /**
     * A random entry, or null if the dict is empty: a random non-empty bucket, then a random entry
     * of its chain, as Redis's dictGetRandomKey. Cheap, but an entry that shares its bucket is less
     * likely: with ten entries in sixteen buckets, one in a chain of two comes up half as often. What
     * clients draw at random uses {@link #fairRandom}.
     */
    @SuppressWarnings("unchecked")
    public final E random() {
        if (size() == 0) {
            return null;
        }
        rehashStep();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Entry bucket;
        if (next != null) {
            // Buckets of the old table below rehashIndex are empty: draw from the rest of both.
            int oldRemaining = table.length - rehashIndex;
            do {
                int pick = random.nextInt(oldRemaining + next.length);
                bucket = pick < oldRemaining ? table[rehashIndex + pick] : next[pick - oldRemaining];
            } while (bucket == null);
        } else {
            int mask = table.length - 1;
            do {
                bucket = table[random.nextInt() & mask];
            } while (bucket == null);
        }
        int length = 0;
        for (Entry e = bucket; e != null; e = e.next) {
            length++;
        }
        int pick = random.nextInt(length);
        Entry e = bucket;
        while (pick-- > 0) {
            e = e.next;
        }
        return (E) e;
    }

    /**
     * A random entry, or null if the dict is empty, about as likely as any other whatever its chain, as
     * Redis's dictGetFairRandomKey: a uniform choice among the entries of consecutive buckets, from a
     * random one until {@link #FAIR_SAMPLE} entries (or all of a smaller dict) have been read, the
     * last chain to its end. A long run of empty buckets moves the walk to another random bucket, and
     * a dict too sparse to yield any entry within ten buckets per entry wanted falls back to
     * {@link #random}.
     */
    @SuppressWarnings("unchecked")
    public final E fairRandom() {
        if (size() == 0) {
            return null;
        }
        rehashStep();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int wanted = Math.min(size(), FAIR_SAMPLE);
        // The buckets that can hold entries, the old table's before the new one's (see random()).
        int oldFirst = next == null ? 0 : rehashIndex;
        int oldRemaining = table.length - oldFirst;
        int buckets = oldRemaining + (next == null ? 0 : next.length);
        int at = random.nextInt(buckets);
        Entry chosen = null;
        int seen = 0;
        int emptyRun = 0;
        for (int steps = wanted * 10; steps > 0 && seen < wanted; steps--) {
            Entry e = at < oldRemaining ? table[oldFirst + at] : next[at - oldRemaining];
            if (e == null) {
                if (++emptyRun >= 5 && emptyRun > wanted) {
                    at = random.nextInt(buckets);
                    emptyRun = 0;
                    continue;
                }
            } else {
                emptyRun = 0;
                for (; e != null; e = e.next) {
                    // Keeps each entry read so far equally likely: the k-th replaces the choice with chance 1/k.
                    if (random.nextInt(++seen) == 0) {
                        chosen = e;
                    }
                }
            }
            at = at + 1 == buckets ? 0 : at + 1;
        }
        return chosen != null ? (E) chosen : random();
    }

    /**
     * Visits the entries of the bucket(s) at {@code cursor} and returns the next cursor; 0 when the
     * iteration is complete. Start with 0. The cursor is an unsigned 64-bit number whose low bits,
     * read in reverse, count through the buckets, so buckets that split when the table grows (or
     * merge when it shrinks) are visited in an order that neither skips nor loses entries. The
     * visitor must not change the dict.
     */
    public final long scan(long cursor, Consumer<? super E> visitor) {
        if (size() == 0) {
            return 0;
        }
        return scanBuckets(cursor, table.length, next == null ? 0 : next.length,
                (inNext, slot) -> visitChain((inNext ? next : table)[slot], visitor));
    }

    /** Receives a bucket of a scan: its table (the resize target or not) and its slot there. */
    @FunctionalInterface
    public interface BucketVisitor {
        void visit(boolean inNext, int slot);
    }

    /**
     * The walk of {@link #scan} for any table of {@link #slot}-ordered buckets: visits the bucket(s)
     * at {@code cursor} of a table of {@code tableLength} buckets and, during a resize, of its target
     * of {@code nextLength} (0 when there is none), and returns the next cursor. Both lengths are
     * powers of two; the smaller table's bucket is visited first, then every bucket of the larger
     * one it expands to.
     */
    public static long scanBuckets(long cursor, int tableLength, int nextLength, BucketVisitor visitor) {
        long v = cursor;
        if (nextLength == 0) {
            visitor.visit(false, slot((int) v, tableLength));
            return advance(v, tableLength - 1);
        }
        boolean tableIsSmall = tableLength <= nextLength;
        int small = tableIsSmall ? tableLength : nextLength;
        int large = tableIsSmall ? nextLength : tableLength;
        long smallMask = small - 1;
        long largeMask = large - 1;
        visitor.visit(!tableIsSmall, slot((int) v, small));
        do {
            visitor.visit(tableIsSmall, slot((int) v, large));
            v = advance(v, largeMask);
        } while ((v & (smallMask ^ largeMask)) != 0);
        return v;
    }

    /**
     * Visits every entry once. The visitor must not add or remove entries; it may look them up (an
     * intersection of a set with itself does), which meanwhile moves no bucket between the tables, as
     * Redis's safe iterators pause rehashing: a moved bucket would be visited twice or not at all.
     */
    @SuppressWarnings("unchecked")
    public final void forEach(Consumer<? super E> visitor) {
        boolean outer = !iterating;
        iterating = true;
        try {
            for (Entry bucket : table) {
                visitChain(bucket, visitor);
            }
            if (next != null) {
                for (Entry bucket : next) {
                    visitChain(bucket, visitor);
                }
            }
        } finally {
            if (outer) {
                iterating = false;
            }
        }
    }

    /**
     * The sum of {@code measure} over every entry, measured on at most {@code samples} entries (the
     * first ones in scan order) and extrapolated to the rest: MEMORY USAGE's SAMPLES for a type kept
     * in a dict. 0 for an empty dict.
     */
    public final long estimateSum(long samples, ToLongFunction<? super E> measure) {
        long[] sampled = {0, 0};
        long cursor = 0;
        do {
            cursor = scan(cursor, entry -> {
                if (sampled[0] < samples) {
                    sampled[0]++;
                    sampled[1] += measure.applyAsLong(entry);
                }
            });
        } while (cursor != 0 && sampled[0] < samples);
        return sampled[0] == 0 ? 0 : (long) ((double) sampled[1] / sampled[0] * size());
    }

    /**
     * Rehashes for about {@code millis} milliseconds if a resize is in progress, else starts a
     * shrink if one is due: the cron's time slice, so an idle dict still finishes its resize.
     * Returns true if there was a resize to work on.
     */
    public final boolean rehashFor(long millis) {
        if (next == null) {
            shrinkIfNeeded();
            if (next == null) {
                return false;
            }
        }
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (rehash(CRON_STEP_BUCKETS) && System.nanoTime() < deadline) {
            // keep moving buckets
        }
        return true;
    }

    /**
     * Moves up to {@code buckets} non-empty buckets to the new table, visiting at most ten times as
     * many empty ones. Returns true while the resize is still in progress.
     */
    final boolean rehash(int buckets) {
        if (next == null) {
            return false;
        }
        int emptyVisits = buckets * 10;
        while (buckets-- > 0 && used > 0) {
            while (table[rehashIndex] == null) {
                rehashIndex++;
                if (--emptyVisits == 0) {
                    return true;
                }
            }
            Entry e = table[rehashIndex];
            while (e != null) {
                Entry following = e.next;
                int slot = slot(e.hash, next.length);
                e.next = next[slot];
                next[slot] = e;
                used--;
                nextUsed++;
                e = following;
            }
            table[rehashIndex] = null;
            rehashIndex++;
        }
        if (used > 0) {
            return true;
        }
        table = next;
        used = nextUsed;
        next = null;
        nextUsed = 0;
        rehashIndex = -1;
        return false;
    }

    private void rehashStep() {
        if (next != null && !iterating) {
            rehash(1);
        }
    }

    /**
     * Sizes an empty dict for {@code entries} at once, so filling it never rehashes: a snapshot being
     * loaded knows its key count (Redis's RESIZEDB). Does nothing to a dict that holds entries.
     */
    public final void reserve(int entries) {
        if (size() == 0 && next == null) {
            table = new Entry[tableSizeFor(entries)];
        }
    }

    private void growIfNeeded() {
        if (next != null) {
            return;
        }
        if (table.length == 0) {
            table = new Entry[INITIAL_SIZE];
        } else if (used >= table.length) {
            resize(used + 1);
        }
    }

    private void shrinkIfNeeded() {
        if (next == null && tooSparse(used, table.length)) {
            resize(used);
        }
    }

    /** Starts moving to a table of the smallest power of two that holds {@code entries}. */
    private void resize(int entries) {
        int size = tableSizeFor(entries);
        if (size == table.length) {
            return;
        }
        if (used == 0) {
            table = new Entry[size];
            return;
        }
        next = new Entry[size];
        rehashIndex = 0;
    }

    /** The buckets of a table sized for {@code entries}: the smallest power of two that holds them, at least 4. */
    public static int tableSizeFor(int entries) {
        int size = INITIAL_SIZE;
        while (size < entries && size < (1 << 30)) {
            size <<= 1;
        }
        return size;
    }

    /** Whether a table of {@code buckets} holding {@code entries} is due to shrink. */
    public static boolean tooSparse(int entries, int buckets) {
        return buckets > INITIAL_SIZE && (long) entries * SHRINK_FILL < buckets;
    }

    private static Entry chainFind(Entry[] t, byte[] key, int hash) {
        if (t.length == 0) {
            return null;
        }
        for (Entry e = t[slot(hash, t.length)]; e != null; e = e.next) {
            if (e.hash == hash && KeyHash.equal(e.key, key)) {
                return e;
            }
        }
        return null;
    }

    private static Entry chainRemove(Entry[] t, byte[] key, int hash) {
        if (t.length == 0) {
            return null;
        }
        int slot = slot(hash, t.length);
        Entry previous = null;
        for (Entry e = t[slot]; e != null; previous = e, e = e.next) {
            if (e.hash == hash && KeyHash.equal(e.key, key)) {
                if (previous == null) {
                    t[slot] = e.next;
                } else {
                    previous.next = e.next;
                }
                e.next = null;
                return e;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static <E> void visitChain(Entry e, Consumer<? super E> visitor) {
        while (e != null) {
            Entry following = e.next;
            visitor.accept((E) e);
            e = following;
        }
    }

    /**
     * The bucket of {@code hash} (or of a scan cursor) in a table of {@code length} buckets (a power of
     * two, at least 2): its low bits, reversed. A bucket holds the keys whose low bits are equal, as in
     * Redis, but buckets are laid out in scan-cursor order, so a walk in cursor order (a snapshot) reads
     * the table front to back, and a bucket splits into two neighbours when the table doubles.
     */
    public static int slot(int hash, int length) {
        return Integer.reverse(hash) >>> Integer.numberOfLeadingZeros(length - 1);
    }

    /** Increments the masked bits of the cursor in reverse bit order. */
    private static long advance(long v, long mask) {
        v |= ~mask;
        v = Long.reverse(v);
        v++;
        return Long.reverse(v);
    }
}
