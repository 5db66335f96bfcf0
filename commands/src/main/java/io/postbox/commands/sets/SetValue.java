package io.postbox.commands.sets;

import io.postbox.commands.Numbers;
import io.postbox.commands.keyspace.Dict;
import io.postbox.commands.keyspace.ObjectSizes;
import io.postbox.commands.keyspace.ScanOptions;
import io.postbox.commands.keyspace.TypedValue;
import io.postbox.commands.sort.Sortable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The set type: distinct byte strings. A set of integers (as Redis's string2ll reads them) is an
 * {@link IntSet} (OBJECT ENCODING "intset") while it has at most set-max-intset-entries members; any
 * other set is a {@link Dict} of members ("hashtable"), as in Redis 7.0, which has no packed form for
 * small sets of strings and never converts a table back.
 *
 * <p>Members of an intset are handed out as their decimal text, in ascending order. Stored arrays are
 * never changed in place, so a copy may share them. Not thread-safe.
 */
public final class SetValue implements TypedValue, Sortable {

    /** Redis's SRANDMEMBER_SUB_STRATEGY_MUL: when to draw distinct members by elimination rather than by retry. */
    private static final int ELIMINATION_FACTOR = 3;

    /** Non-null while the set is an intset. */
    private IntSet ints;
    /** Non-null once the set is a table. */
    private Dict<SetMember> table;

    private SetValue(IntSet ints, Dict<SetMember> table) {
        this.ints = ints;
        this.table = table;
    }

    /** An empty set in the encoding Redis gives a new set whose first member will be {@code first}. */
    public static SetValue startingWith(byte[] first) {
        return startingWith(first, 0);
    }

    /** The same, for about {@code expected} members (a set read from a file): a table is sized for them at once. */
    public static SetValue startingWith(byte[] first, long expected) {
        if (Numbers.isLong(first)) {
            return new SetValue(new IntSet(), null);
        }
        Dict<SetMember> table = new Dict<>();
        table.reserve((int) Math.min(expected, 1 << 30));
        return new SetValue(null, table);
    }

    /** An empty set that stays an intset while only integers are added: what SINTERSTORE and friends build. */
    public static SetValue empty() {
        return new SetValue(new IntSet(), null);
    }

    @Override
    public String typeName() {
        return "set";
    }

    @Override
    public String encoding() {
        return ints != null ? "intset" : "hashtable";
    }

    @Override
    public long size() {
        return ints != null ? ints.size() : table.size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    public boolean contains(byte[] member) {
        if (ints != null) {
            return Numbers.isLong(member) && ints.contains(Numbers.parseLong(member));
        }
        return table.find(member) != null;
    }

    /**
     * Adds {@code member}; false if it was there. An intset becomes a table when given a member that
     * is not an integer, or when it grows past {@code maxIntsetEntries}.
     */
    public boolean add(byte[] member, long maxIntsetEntries) {
        if (ints != null) {
            if (Numbers.isLong(member)) {
                if (!ints.add(Numbers.parseLong(member))) {
                    return false;
                }
                if (ints.size() > maxIntsetEntries) {
                    convert();
                }
                return true;
            }
            convert();
        }
        int hash = Dict.hash(member);
        if (table.find(member, hash) != null) {
            return false;
        }
        table.add(new SetMember(member, hash));
        return true;
    }

    /** Removes {@code member}; false if it was not there. */
    public boolean remove(byte[] member) {
        if (ints != null) {
            return Numbers.isLong(member) && ints.remove(Numbers.parseLong(member));
        }
        return table.remove(member) != null;
    }

    /** Visits every member: ascending for an intset, table order otherwise. */
    public void forEach(Consumer<byte[]> visitor) {
        if (ints != null) {
            for (int i = 0; i < ints.size(); i++) {
                visitor.accept(Numbers.toBytes(ints.get(i)));
            }
        } else {
            table.forEach(member -> visitor.accept(member.key()));
        }
    }

    /** A member drawn at random; the set must not be empty. */
    public byte[] random() {
        if (ints != null) {
            return Numbers.toBytes(ints.get(ThreadLocalRandom.current().nextInt(ints.size())));
        }
        return table.fairRandom().key();
    }

    /** Removes a member drawn at random and returns it; the set must not be empty. */
    public byte[] popRandom() {
        if (ints != null) {
            return Numbers.toBytes(ints.removeAt(ThreadLocalRandom.current().nextInt(ints.size())));
        }
        SetMember member = table.fairRandom();
        table.remove(member.key(), member.hash());
        return member.key();
    }

    /**
     * {@code count} distinct members at random, fewer than the set holds: by eliminating from all
     * members when most are wanted, or by drawing until enough distinct ones came up when few are.
     */
    public void distinctRandomMembers(int count, Consumer<byte[]> visitor) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if ((long) count * ELIMINATION_FACTOR > size()) {
            List<byte[]> all = new ArrayList<>((int) size());
            forEach(all::add);
            Collections.shuffle(all, random);
            all.subList(0, count).forEach(visitor);
        } else if (ints != null) {
            Set<Integer> chosen = new HashSet<>();
            while (chosen.size() < count) {
                int index = random.nextInt(ints.size());
                if (chosen.add(index)) {
                    visitor.accept(Numbers.toBytes(ints.get(index)));
                }
            }
        } else {
            Set<SetMember> chosen = Collections.newSetFromMap(new IdentityHashMap<>());
            while (chosen.size() < count) {
                SetMember member = table.fairRandom();
                if (chosen.add(member)) {
                    visitor.accept(member.key());
                }
            }
        }
    }

    /**
     * One step of SSCAN: adds members to {@code out} and returns the next cursor. An intset is
     * returned whole with cursor 0; a table is walked bucket by bucket until COUNT members or ten
     * buckets per member, then members not matching the pattern are dropped.
     */
    public long scan(long cursor, ScanOptions options, List<byte[]> out) {
        List<byte[]> found = new ArrayList<>();
        if (ints != null) {
            forEach(found::add);
            cursor = 0;
        } else {
            long steps = options.maxSteps();
            do {
                cursor = table.scan(cursor, member -> found.add(member.key()));
            } while (cursor != 0 && steps-- > 0 && found.size() < options.count());
        }
        for (byte[] member : found) {
            if (options.matches(member)) {
                out.add(member);
            }
        }
        return cursor;
    }

    @Override
    public boolean ordered() {
        return false;
    }

    @Override
    public List<byte[]> elements(long start, long count, boolean reversed) {
        List<byte[]> elements = new ArrayList<>();
        long[] position = {0};
        forEach(member -> {
            long at = position[0]++;
            if (at >= start && at - start < count) {
                elements.add(member);
            }
        });
        return elements;
    }

    @Override
    public SetValue copy() {
        if (ints != null) {
            return new SetValue(ints.copy(), null);
        }
        Dict<SetMember> copy = new Dict<>();
        table.forEach(member -> copy.add(new SetMember(member.key(), member.hash())));
        return new SetValue(null, copy);
    }

    /** The value object and its intset, or its table with a sample of members extrapolated. */
    @Override
    public long memoryUsage(long samples) {
        long bytes = ObjectSizes.object(2);
        if (ints != null) {
            return bytes + ObjectSizes.object(3) + ObjectSizes.byteArray(ints.capacity());
        }
        bytes += ObjectSizes.DICT + (long) table.buckets() * ObjectSizes.REFERENCE;
        return bytes + table.estimateSum(samples, member -> ObjectSizes.DICT_ENTRY
                + ObjectSizes.byteArray(member.key().length));
    }

    /** Moves every member of the intset into a table. */
    private void convert() {
        Dict<SetMember> converted = new Dict<>();
        forEach(member -> converted.add(new SetMember(member, Dict.hash(member))));
        table = converted;
        ints = null;
    }
}
