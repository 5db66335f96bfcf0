package io.postbox.commands;

import java.util.ArrayList;
import java.util.List;

/**
 * Command latencies in nanoseconds, for INFO latencystats and LATENCY HISTOGRAM: an HDR histogram with
 * Redis's parameters (values from 1 ns to 1 s, 2 significant digits), so percentiles come out as Redis
 * reports them, e.g. a 4000 ns call lands in the bucket whose highest value is 4015 ns.
 *
 * <p>Buckets double in width; each holds 128 sub-buckets (256 for the first), so the relative error
 * stays below 1%. Executor thread only.
 */
public final class LatencyHistogram {

    private static final long HIGHEST = 1_000_000_000L;
    /** The first value LATENCY HISTOGRAM reports at, as Redis iterates: 1024 ns. */
    private static final long FIRST_REPORTED = 1024;
    /** log2 of the sub-bucket count, 256: the smallest power of two above 2 * 10^2 (two digits). */
    private static final int SUB_BUCKET_BITS = 8;
    private static final int SUB_BUCKET_COUNT = 1 << SUB_BUCKET_BITS;
    private static final int SUB_BUCKET_HALF_BITS = SUB_BUCKET_BITS - 1;
    private static final int SUB_BUCKET_HALF_COUNT = 1 << SUB_BUCKET_HALF_BITS;
    private static final long SUB_BUCKET_MASK = SUB_BUCKET_COUNT - 1;
    private static final int BUCKET_COUNT = bucketsFor(HIGHEST);

    private final long[] counts = new long[(BUCKET_COUNT + 1) * SUB_BUCKET_HALF_COUNT];
    private long total;

    private static int bucketsFor(long highest) {
        long smallestUntrackable = SUB_BUCKET_COUNT;
        int buckets = 1;
        while (smallestUntrackable <= highest) {
            smallestUntrackable <<= 1;
            buckets++;
        }
        return buckets;
    }

    /** Records one call; values outside [1 ns, 1 s] count as the nearest bound. */
    public void record(long nanos) {
        long value = Math.max(1, Math.min(HIGHEST, nanos));
        counts[indexOf(value)]++;
        total++;
    }

    public long count() {
        return total;
    }

    /**
     * The cumulative distribution LATENCY HISTOGRAM replies, as HdrHistogram's logarithmic iteration
     * (from 1024 ns, base 2) gives it: for each power of two of nanoseconds, the highest value of its
     * bucket and how many calls took up to that; a row only where the count grew, ending with the row
     * that counts every call. Each row is {highest nanoseconds, calls}.
     */
    public List<long[]> cumulativeByDoubling() {
        List<long[]> rows = new ArrayList<>();
        long cumulative = 0;
        int index = 0;
        for (long level = FIRST_REPORTED; cumulative < total; level <<= 1) {
            long previous = cumulative;
            int last = indexOf(Math.min(level, HIGHEST));
            while (index <= last) {
                cumulative += counts[index++];
            }
            if (cumulative > previous) {
                rows.add(new long[] {highestEquivalent(level), cumulative});
            }
        }
        return rows;
    }

    /** The value at {@code percentile} (0 to 100): the highest value of the bucket where it falls. */
    public long valueAtPercentile(double percentile) {
        double requested = Math.min(percentile, 100.0);
        long countAtPercentile = Math.max(1, (long) ((requested / 100) * total + 0.5));
        long seen = 0;
        for (int index = 0; index < counts.length; index++) {
            seen += counts[index];
            if (seen >= countAtPercentile) {
                long value = valueAt(index);
                return percentile == 0.0 ? lowestEquivalent(value) : highestEquivalent(value);
            }
        }
        return 0;
    }

    private static int bucketIndex(long value) {
        return 64 - Long.numberOfLeadingZeros(value | SUB_BUCKET_MASK) - (SUB_BUCKET_HALF_BITS + 1);
    }

    private static int indexOf(long value) {
        int bucket = bucketIndex(value);
        int subBucket = (int) (value >>> bucket);
        return ((bucket + 1) << SUB_BUCKET_HALF_BITS) + (subBucket - SUB_BUCKET_HALF_COUNT);
    }

    private static long valueAt(int index) {
        int bucket = (index >> SUB_BUCKET_HALF_BITS) - 1;
        int subBucket = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
        if (bucket < 0) {
            subBucket -= SUB_BUCKET_HALF_COUNT;
            bucket = 0;
        }
        return (long) subBucket << bucket;
    }

    private static long lowestEquivalent(long value) {
        int bucket = bucketIndex(value);
        return (value >>> bucket) << bucket;
    }

    private static long highestEquivalent(long value) {
        int bucket = bucketIndex(value);
        int subBucket = (int) (value >>> bucket);
        int width = subBucket >= SUB_BUCKET_COUNT ? bucket + 1 : bucket;
        return lowestEquivalent(value) + (1L << width) - 1;
    }
}
