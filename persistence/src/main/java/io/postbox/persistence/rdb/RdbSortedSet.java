package io.postbox.persistence.rdb;

import io.postbox.commands.config.Config;
import io.postbox.commands.zsets.SortedSet;
import io.postbox.commands.zsets.SortedSetLoader;
import io.postbox.resp.DoubleFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Sorted sets. Written as Redis 7.0 writes them: a packed set as type 17 (ZSET_LISTPACK, one listpack
 * of member, score, member, score, ... lowest score first, each score as Redis prints it into a
 * listpack), a skip list as type 5 (ZSET_2: the member count, then from the highest score down each
 * member as a string and its score as a binary double). Read from those, from type 12 (ZSET_ZIPLIST)
 * and from type 3 (ZSET, scores as text).
 */
final class RdbSortedSet implements RdbType {

    /** Integral scores strictly inside this bound print as integers (Redis's d2string). */
    private static final double INTEGRAL_BOUND = 4503599627370496.0;

    @Override
    public boolean writes(Object value) {
        return value instanceof SortedSet;
    }

    @Override
    public ValueWriter writer(Object value) {
        SortedSet set = (SortedSet) value;
        if (set.encoding().equals("listpack")) {
            Listpack.Builder listpack = new Listpack.Builder();
            set.visitAll((member, score) -> listpack.add(member).add(scoreText(score)));
            return new OneStringWriter(RdbFormat.TYPE_ZSET_LISTPACK, listpack.build());
        }
        List<byte[]> members = new ArrayList<>(set.cardinality());
        double[] scores = new double[set.cardinality()];
        set.visitAll((member, score) -> {
            scores[members.size()] = score;
            members.add(member);
        });
        return new SkipListWriter(members, scores);
    }

    /** A score as Redis's d2string prints it: integers without a fraction, else %.17g. */
    static byte[] scoreText(double score) {
        if (score > -INTEGRAL_BOUND && score < INTEGRAL_BOUND && score == (double) (long) score) {
            return CanonicalInteger.format((long) score);
        }
        if (Double.isInfinite(score)) {
            return (score > 0 ? "inf" : "-inf").getBytes(StandardCharsets.US_ASCII);
        }
        return DoubleFormat.g17Bytes(score);
    }

    /** ZSET_2, highest first (so Redis's loader always inserts at the head), over as many slices as it takes. */
    private static final class SkipListWriter implements ValueWriter {
        private final List<byte[]> members;
        private final double[] scores;
        private int next = -1;

        SkipListWriter(List<byte[]> members, double[] scores) {
            this.members = members;
            this.scores = scores;
        }

        @Override
        public int type() {
            return RdbFormat.TYPE_ZSET_2;
        }

        @Override
        public boolean writeSome(RdbOutput out, long budget) {
            long start = out.pendingBytes();
            if (next < 0) {
                out.writeLength(members.size());
                next = members.size() - 1;
            }
            while (next >= 0) {
                out.writeString(members.get(next)).writeBinaryDouble(scores[next]);
                next--;
                if (out.pendingBytes() - start >= budget) {
                    break;
                }
            }
            return next < 0;
        }

        @Override
        public void detach() {
            // The members and scores were collected when the writer was made.
        }
    }

    @Override
    public int[] reads() {
        return new int[] {RdbFormat.TYPE_ZSET, RdbFormat.TYPE_ZSET_2, RdbFormat.TYPE_ZSET_ZIPLIST,
                RdbFormat.TYPE_ZSET_LISTPACK};
    }

    @Override
    public Object read(int type, RdbInput in, Config config) throws IOException {
        if (type == RdbFormat.TYPE_ZSET || type == RdbFormat.TYPE_ZSET_2) {
            long count = in.readLength();
            SortedSetLoader loader = new SortedSetLoader(config, count);
            for (long i = 0; i < count; i++) {
                byte[] member = in.readString();
                double score = type == RdbFormat.TYPE_ZSET_2 ? in.readBinaryDouble() : in.readTextDouble();
                if (Double.isNaN(score)) {
                    throw in.corrupt("Zset with NAN score detected");
                }
                if (!loader.add(member, score)) {
                    throw in.corrupt("Duplicate zset fields detected");
                }
            }
            return loader.finish();
        }
        // As Redis names the check that failed.
        String integrityCheck = type == RdbFormat.TYPE_ZSET_ZIPLIST
                ? "Zset ziplist integrity check failed: " : "Zset listpack integrity check failed: ";
        byte[] packed = in.readString();
        List<byte[]> elements = new ArrayList<>();
        Consumer<byte[]> collect = elements::add;
        try {
            if (type == RdbFormat.TYPE_ZSET_ZIPLIST) {
                Ziplist.forEach(packed, collect);
            } else {
                Listpack.forEach(packed, collect);
            }
        } catch (IllegalArgumentException e) {
            throw in.corrupt(integrityCheck + e.getMessage());
        }
        if (elements.size() % 2 != 0) {
            throw in.corrupt(integrityCheck + "a member without a score");
        }
        SortedSetLoader loader = new SortedSetLoader(config);
        for (int i = 0; i < elements.size(); i += 2) {
            double score = parseScore(elements.get(i + 1));
            if (Double.isNaN(score) || !loader.add(elements.get(i), score)) {
                throw in.corrupt(integrityCheck + "bad or duplicate member");
            }
        }
        return loader.finish();
    }

    /** A score printed into a listpack or ziplist: what d2string wrote, read as strtod reads it. */
    private static double parseScore(byte[] text) {
        String s = new String(text, StandardCharsets.US_ASCII);
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    return Double.NaN;
                }
        }
    }
}
