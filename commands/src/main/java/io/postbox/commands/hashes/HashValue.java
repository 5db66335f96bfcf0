package io.postbox.commands.hashes;

import io.postbox.commands.keyspace.Dict;
import io.postbox.commands.keyspace.ObjectSizes;
import io.postbox.commands.keyspace.ScanOptions;
import io.postbox.commands.keyspace.TypedValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;

/**
 * The hash type: fields mapped to values, both byte strings. Small hashes are one packed array
 * ({@link PackedHash}, OBJECT ENCODING "listpack"); a hash that outgrows {@link HashLimits} becomes a
 * {@link Dict} of fields ("hashtable") for good, as in Redis, which never converts back.
 *
 * <p>Stored arrays are never changed in place, so a copy may share them. Not thread-safe.
 */
public final class HashValue implements TypedValue {

    /** Redis's HRANDFIELD_SUB_STRATEGY_MUL: when to draw distinct fields by elimination rather than by retry. */
    private static final int ELIMINATION_FACTOR = 3;

    /** Non-null while the hash is packed. */
    private PackedHash packed = new PackedHash();
    /** Non-null once the hash has been converted. */
    private Dict<HashField> table;

    /**
     * An empty hash for {@code expected} fields read from a file: one that could not stay packed with
     * that many starts as a table sized for them, as Redis loads it, instead of converting and growing.
     */
    public static HashValue sizedFor(long expected, HashLimits limits) {
        HashValue hash = new HashValue();
        if (expected > limits.maxEntries()) {
            hash.table = new Dict<>();
            hash.table.reserve((int) Math.min(expected, 1 << 30));
            hash.packed = null;
        }
        return hash;
    }

    @Override
    public String typeName() {
        return "hash";
    }

    @Override
    public String encoding() {
        return packed != null ? "listpack" : "hashtable";
    }

    public int size() {
        return packed != null ? packed.size() : table.size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /** The value of {@code field}, or null. */
    public byte[] get(byte[] field) {
        if (packed != null) {
            int at = packed.find(field);
            return at == PackedHash.NONE ? null : packed.valueAt(at);
        }
        HashField entry = table.find(field);
        return entry == null ? null : entry.value;
    }

    public boolean contains(byte[] field) {
        return packed != null ? packed.find(field) != PackedHash.NONE : table.find(field) != null;
    }

    /** The length of the value of {@code field}, 0 if there is none (HSTRLEN). */
    public int valueLength(byte[] field) {
        if (packed != null) {
            int at = packed.find(field);
            return at == PackedHash.NONE ? 0 : packed.valueLengthAt(at);
        }
        HashField entry = table.find(field);
        return entry == null ? 0 : entry.value.length;
    }

    /**
     * Converts a packed hash to a table if any of {@code args[from..to]} (the fields and values a
     * command is about to set) is longer than the limits allow: Redis's look-ahead before HSET.
     */
    public void prepareFor(byte[][] args, int from, int to, HashLimits limits) {
        if (packed == null) {
            return;
        }
        for (int i = from; i <= to; i++) {
            if (args[i].length > limits.maxValue()) {
                convert();
                return;
            }
        }
    }

    /**
     * Sets {@code field} to {@code value}; true if the field is new. A packed hash converts first if
     * the field or value is too long to pack, and after adding if it now holds too many fields.
     */
    public boolean put(byte[] field, byte[] value, HashLimits limits) {
        if (packed != null && (field.length > limits.maxValue() || value.length > limits.maxValue())) {
            convert();
        }
        if (packed != null) {
            boolean added = packed.put(field, value);
            if (packed.size() > limits.maxEntries()) {
                convert();
            }
            return added;
        }
        int hash = Dict.hash(field);
        HashField entry = table.find(field, hash);
        if (entry != null) {
            entry.value = value;
            return false;
        }
        table.add(new HashField(field, hash, value));
        return true;
    }

    /** Removes {@code field}; false if the hash has no such field. */
    public boolean remove(byte[] field) {
        return packed != null ? packed.remove(field) : table.remove(field) != null;
    }

    /** Visits every field and value: insertion order when packed, table order otherwise. */
    public void forEach(BiConsumer<byte[], byte[]> visitor) {
        if (packed != null) {
            for (int at = packed.first(); at != PackedHash.NONE; at = packed.next(at)) {
                visitor.accept(packed.fieldAt(at), packed.valueAt(at));
            }
        } else {
            table.forEach(entry -> visitor.accept(entry.key(), entry.value));
        }
    }

    /**
     * One step of HSCAN: adds field, value, field, value, ... to {@code out} and returns the next
     * cursor. A packed hash is returned whole with cursor 0; a table is walked bucket by bucket until
     * COUNT items (fields and values both count, as in Redis) or ten buckets per item, then fields not
     * matching the pattern are dropped with their values.
     */
    public long scan(long cursor, ScanOptions options, List<byte[]> out) {
        List<byte[]> found = new ArrayList<>();
        if (packed != null) {
            forEach((field, value) -> {
                found.add(field);
                found.add(value);
            });
            cursor = 0;
        } else {
            long steps = options.maxSteps();
            do {
                cursor = table.scan(cursor, entry -> {
                    found.add(entry.key());
                    found.add(entry.value);
                });
            } while (cursor != 0 && steps-- > 0 && found.size() < options.count());
        }
        for (int i = 0; i < found.size(); i += 2) {
            if (options.matches(found.get(i))) {
                out.add(found.get(i));
                out.add(found.get(i + 1));
            }
        }
        return cursor;
    }

    /** {@code count} fields drawn at random, each draw from the whole hash (they may repeat). */
    public void randomPairs(long count, BiConsumer<byte[], byte[]> visitor) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (packed != null) {
            int[] offsets = packed.offsets();
            for (long i = 0; i < count; i++) {
                int at = offsets[random.nextInt(offsets.length)];
                visitor.accept(packed.fieldAt(at), packed.valueAt(at));
            }
        } else {
            for (long i = 0; i < count; i++) {
                HashField entry = table.fairRandom();
                visitor.accept(entry.key(), entry.value);
            }
        }
    }

    /**
     * {@code count} distinct fields at random, fewer than the hash holds: in hash order when packed
     * (as Redis's listpack sampling), otherwise by eliminating from all fields when most are wanted,
     * or by drawing until enough distinct ones came up when few are.
     */
    public void distinctRandomPairs(int count, BiConsumer<byte[], byte[]> visitor) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (packed != null) {
            int[] offsets = packed.offsets();
            shuffleFirst(offsets, count, random);
            int[] chosen = Arrays.copyOf(offsets, count);
            Arrays.sort(chosen);
            for (int at : chosen) {
                visitor.accept(packed.fieldAt(at), packed.valueAt(at));
            }
        } else if ((long) count * ELIMINATION_FACTOR > table.size()) {
            List<HashField> all = new ArrayList<>(table.size());
            table.forEach(all::add);
            Collections.shuffle(all, random);
            for (HashField entry : all.subList(0, count)) {
                visitor.accept(entry.key(), entry.value);
            }
        } else {
            Set<HashField> chosen = Collections.newSetFromMap(new IdentityHashMap<>());
            while (chosen.size() < count) {
                HashField entry = table.fairRandom();
                if (chosen.add(entry)) {
                    visitor.accept(entry.key(), entry.value);
                }
            }
        }
    }

    /** Moves {@code count} randomly chosen elements of {@code values} to its front (partial Fisher-Yates). */
    private static void shuffleFirst(int[] values, int count, ThreadLocalRandom random) {
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(values.length - i);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }

    @Override
    public HashValue copy() {
        HashValue copy = new HashValue();
        if (packed != null) {
            copy.packed = packed.copy();
        } else {
            copy.packed = null;
            copy.table = new Dict<>();
            table.forEach(entry -> copy.table.add(new HashField(entry.key(), entry.hash(), entry.value)));
        }
        return copy;
    }

    /** The value object and its packed array, or its table with a sample of fields extrapolated. */
    @Override
    public long memoryUsage(long samples) {
        long bytes = ObjectSizes.object(2);
        if (packed != null) {
            return bytes + ObjectSizes.object(3) + ObjectSizes.byteArray(packed.capacity());
        }
        bytes += ObjectSizes.DICT + (long) table.buckets() * ObjectSizes.REFERENCE;
        return bytes + table.estimateSum(samples, entry -> ObjectSizes.DICT_ENTRY
                + ObjectSizes.byteArray(entry.key().length) + ObjectSizes.byteArray(entry.value.length));
    }

    /** Moves every pair of the packed form into a table, keeping nothing packed. */
    private void convert() {
        Dict<HashField> converted = new Dict<>();
        forEach((field, value) -> converted.add(new HashField(field, Dict.hash(field), value)));
        table = converted;
        packed = null;
    }
}
