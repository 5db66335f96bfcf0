package io.postbox.commands.zsets;

import io.postbox.commands.keyspace.ObjectSizes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The encoding of small sorted sets, Redis's "listpack": every member and score in one byte array,
 * in order, so a set of a few dozen members is one object. Every operation walks the array, O(n),
 * which is why {@link SortedSet} keeps this encoding for small sets only.
 *
 * <p>Layout: entries back to back, from offset 0 to {@link #used}, each
 * <pre>
 *   score          8 bytes, the IEEE 754 bits of the score, big-endian
 *   member length  1 to 5 bytes, unsigned LEB128 (7 bits per byte, low bits first, high bit = more)
 *   member         the member's bytes
 * </pre>
 * A score of -0 is stored as 0: Redis's listpack stores the integer 0 for it, so a small set never
 * reports -0.
 */
final class PackedEncoding implements SortedSetEncoding {

    private static final VarHandle SCORE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.BIG_ENDIAN);
    private static final byte[] EMPTY = new byte[0];
    private static final int SCORE_BYTES = 8;
    /** This object: header, the array reference and two ints. */
    private static final int OBJECT_BYTES = 24;

    private byte[] data = EMPTY;
    private int used;
    private int count;

    @Override
    public String name() {
        return "listpack";
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public double score(byte[] member) {
        int p = find(member);
        return p < 0 ? Double.NaN : scoreAt(p);
    }

    @Override
    public void insert(byte[] member, double score) {
        int p = 0;
        while (p < used && Scores.compare(scoreAt(p), data, memberStart(p), next(p), score, member) < 0) {
            p = next(p);
        }
        int size = SCORE_BYTES + lengthBytes(member.length) + member.length;
        if (used + size > data.length) {
            data = Arrays.copyOf(data, Math.max(used + size, used + (used >> 2) + 16));
        }
        System.arraycopy(data, p, data, p + size, used - p);
        SCORE.set(data, p, score == 0 ? 0.0 : score);
        int q = p + SCORE_BYTES;
        for (int length = member.length; ; length >>>= 7) {
            if (length < 0x80) {
                data[q++] = (byte) length;
                break;
            }
            data[q++] = (byte) (length | 0x80);
        }
        System.arraycopy(member, 0, data, q, member.length);
        used += size;
        count++;
    }

    @Override
    public void updateScore(byte[] member, double score) {
        remove(member);
        insert(member, score);
    }

    @Override
    public boolean remove(byte[] member) {
        int p = find(member);
        if (p < 0) {
            return false;
        }
        cut(p, next(p), 1);
        return true;
    }

    @Override
    public int rank(byte[] member) {
        int rank = 0;
        for (int p = 0; p < used; p = next(p), rank++) {
            if (isMember(p, member)) {
                return rank;
            }
        }
        return -1;
    }

    @Override
    public int countWhile(ElementTest test) {
        int n = 0;
        for (int p = 0; p < used && holds(test, p); p = next(p)) {
            n++;
        }
        return n;
    }

    @Override
    public void visit(int rank, int count, boolean descending, EntryVisitor visitor) {
        if (!descending) {
            int p = offsetOf(rank);
            for (int n = 0; n < count && p < used; n++, p = next(p)) {
                visitor.visit(Arrays.copyOfRange(data, memberStart(p), next(p)), scoreAt(p));
            }
            return;
        }
        int[] offsets = offsetsThrough(rank);
        for (int i = rank, n = 0; i >= 0 && n < count; i--, n++) {
            int p = offsets[i];
            visitor.visit(Arrays.copyOfRange(data, memberStart(p), next(p)), scoreAt(p));
        }
    }

    @Override
    public int countRun(int rank, int max, boolean descending, ElementTest test) {
        int n = 0;
        if (descending) {
            int[] offsets = offsetsThrough(rank);
            for (int i = rank; i >= 0 && n < max && holds(test, offsets[i]); i--) {
                n++;
            }
        } else {
            for (int p = offsetOf(rank); p < used && n < max && holds(test, p); p = next(p)) {
                n++;
            }
        }
        return n;
    }

    private boolean holds(ElementTest test, int p) {
        return test.holds(scoreAt(p), data, memberStart(p), next(p));
    }

    /** Where each of the first {@code rank + 1} entries starts: entries can only be walked forwards. */
    private int[] offsetsThrough(int rank) {
        int[] offsets = new int[rank + 1];
        for (int i = 0, p = 0; i <= rank; i++, p = next(p)) {
            offsets[i] = p;
        }
        return offsets;
    }

    /** Notes where every entry starts once, so each draw costs O(1) after an O(n) walk. */
    @Override
    public void visitRandom(long draws, EntryVisitor visitor) {
        int[] offsets = new int[count];
        for (int i = 0, p = 0; i < count; i++, p = next(p)) {
            offsets[i] = p;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (long n = 0; n < draws; n++) {
            int p = offsets[random.nextInt(count)];
            visitor.visit(Arrays.copyOfRange(data, memberStart(p), next(p)), scoreAt(p));
        }
    }

    @Override
    public void deleteRanks(int rank, int count) {
        int from = offsetOf(rank);
        int to = from;
        for (int n = 0; n < count; n++) {
            to = next(to);
        }
        cut(from, to, count);
    }

    /** A packed set is walked whole in one step, as Redis does for its listpacks. */
    @Override
    public long scan(long cursor, EntryVisitor visitor) {
        visit(0, count, false, visitor);
        return 0;
    }

    @Override
    public SortedSetEncoding copy() {
        PackedEncoding copy = new PackedEncoding();
        copy.data = Arrays.copyOf(data, used);
        copy.used = used;
        copy.count = count;
        return copy;
    }

    @Override
    public long memoryUsage(long samples) {
        return OBJECT_BYTES + ObjectSizes.byteArray(data.length);
    }

    /** The length of the longest member: what decides whether the set may stay packed. */
    int longestMember() {
        int longest = 0;
        for (int p = 0; p < used; p = next(p)) {
            longest = Math.max(longest, next(p) - memberStart(p));
        }
        return longest;
    }

    /* ---------------------------------------------------------------- the byte layout */

    private int find(byte[] member) {
        for (int p = 0; p < used; p = next(p)) {
            if (isMember(p, member)) {
                return p;
            }
        }
        return -1;
    }

    private boolean isMember(int p, byte[] member) {
        int start = memberStart(p);
        int end = next(p);
        return end - start == member.length && Arrays.equals(data, start, end, member, 0, member.length);
    }

    private int offsetOf(int rank) {
        int p = 0;
        for (int i = 0; i < rank; i++) {
            p = next(p);
        }
        return p;
    }

    private double scoreAt(int p) {
        return (double) SCORE.get(data, p);
    }

    private int memberStart(int p) {
        int q = p + SCORE_BYTES;
        while (data[q] < 0) {
            q++;
        }
        return q + 1;
    }

    /** The offset of the entry after the one at {@code p}: the end of its member. */
    private int next(int p) {
        int q = p + SCORE_BYTES;
        int length = 0;
        int shift = 0;
        byte b;
        do {
            b = data[q++];
            length |= (b & 0x7f) << shift;
            shift += 7;
        } while (b < 0);
        return q + length;
    }

    /** Removes the bytes {@code [from, to)}, which hold {@code entries} entries. */
    private void cut(int from, int to, int entries) {
        System.arraycopy(data, to, data, from, used - to);
        used -= to - from;
        count -= entries;
    }

    private static int lengthBytes(int length) {
        int bytes = 1;
        while (length >= 0x80) {
            length >>>= 7;
            bytes++;
        }
        return bytes;
    }
}
