package io.postbox.commands.zsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Random sequences of adds, increments, removals, rank and range queries, pops and rank deletions
 * on a {@link SortedSet}, checked after every step against a plain model: a TreeMap ordered by
 * (score, member bytes). Run packed only, as a skip list from the first member, and converting from
 * packed to skip list midway. Scores come from a small pool so ties (and -0 against 0) are common;
 * members from a small alphabet with NUL and 0xFF bytes, so unsigned byte order matters.
 */
class SortedSetModelTest {

    private static final double[] SCORES = {Double.NEGATIVE_INFINITY, -2.5, -1, -0.0, 0, 1, 2, 3.5, 1e300,
            Double.POSITIVE_INFINITY};
    private static final byte[] ALPHABET = {'a', 'b', 'c', 0, (byte) 0xff, (byte) 0x80};

    /** The model: members in order, and each member's score. */
    private final TreeMap<Element, Boolean> order = new TreeMap<>();
    private final Map<String, Double> scores = new HashMap<>();

    private record Element(double score, byte[] member) implements Comparable<Element> {
        @Override
        public int compareTo(Element other) {
            return Scores.compare(score, member, 0, member.length, other.score, other.member);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "packed only, 1000000, 1000000, 1",
            "skip list from the start, 0, 0, 2",
            "converting midway, 24, 6, 3",
            "converting by length, 1000, 4, 4"})
    void randomOperationsAgreeWithTheModel(String name, long maxEntries, long maxValue, long seed) {
        Random random = new Random(seed);
        PackedLimits limits = new PackedLimits(maxEntries, maxValue);
        SortedSet set = new SortedSet();
        boolean wasSkipList = false;
        for (int step = 0; step < 20_000; step++) {
            int op = random.nextInt(100);
            if (op < 40 || set.cardinality() < 3) {
                add(set, member(random), SCORES[random.nextInt(SCORES.length)], limits);
            } else if (op < 50) {
                increment(set, existingMember(random), random.nextInt(7) - 3.0, limits);
            } else if (op < 62) {
                byte[] member = random.nextBoolean() ? existingMember(random) : member(random);
                assertEquals(scores.remove(key(member)) != null, set.remove(member));
                order.keySet().removeIf(e -> key(e.member).equals(key(member)));
            } else if (op < 72) {
                checkRank(set, random.nextBoolean() ? existingMember(random) : member(random));
            } else if (op < 82) {
                checkScoreRange(set, random);
            } else if (op < 88) {
                checkVisit(set, random);
            } else if (op < 94) {
                pop(set, random.nextBoolean() ? SortedSet.End.MIN : SortedSet.End.MAX, random.nextInt(4));
            } else if (op < 97) {
                int first = random.nextInt(set.cardinality());
                int count = random.nextInt(Math.min(3, set.cardinality() - first) + 1);
                set.deleteRanks(first, count);
                List<Element> all = new ArrayList<>(order.keySet());
                for (Element e : all.subList(first, first + count)) {
                    order.remove(e);
                    scores.remove(key(e.member));
                }
            } else {
                checkScanAndCopy(set, random);
            }
            assertSameAsModel(set);
            boolean isSkipList = set.encoding().equals("skiplist");
            assertFalse(wasSkipList && !isSkipList, "a skip list never goes back to packed");
            wasSkipList = isSkipList;
        }
        assertEquals(maxEntries == 0 || maxEntries == 24 || maxValue == 4, wasSkipList, "converted as the limits say");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"packed, 1000000", "skip list, 0"})
    void lexRangesOfEqualScoresAgreeWithTheModel(String name, long maxEntries) {
        Random random = new Random(7);
        PackedLimits limits = new PackedLimits(maxEntries, 1_000_000);
        SortedSet set = new SortedSet();
        for (int i = 0; i < 60; i++) {
            add(set, member(random), 0, limits);
        }
        List<Element> all = new ArrayList<>(order.keySet());
        for (int i = 0; i < 2_000; i++) {
            LexRange.Bound min = lexBound(random);
            LexRange.Bound max = lexBound(random);
            LexRange range = new LexRange(min, max);
            int first = 0;
            while (first < all.size() && range.before(0, all.get(first).member, 0, all.get(first).member.length)) {
                first++;
            }
            int count = 0;
            for (Element e : all) {
                if (!range.before(0, e.member, 0, e.member.length) && !range.after(0, e.member, 0, e.member.length)) {
                    count++;
                }
            }
            RankSpan span = set.span(range);
            assertEquals(count, span.count());
            if (count > 0) {
                assertEquals(first, span.first());
            }
        }
    }

    /* ---------------------------------------------------------------- operations */

    private void add(SortedSet set, byte[] member, double score, PackedLimits limits) {
        Double old = scores.get(key(member));
        if (old == null) {
            set.insert(member, score, limits);
        } else {
            set.updateScore(member, score);
            order.remove(new Element(old, member));
        }
        scores.put(key(member), score);
        order.put(new Element(score, member), true);
    }

    private void increment(SortedSet set, byte[] member, double by, PackedLimits limits) {
        double current = set.score(member);
        double next = current + by;
        if (!Double.isNaN(next) && next != current) {
            add(set, member, next, limits);
        }
    }

    private void checkRank(SortedSet set, byte[] member) {
        int expected = -1;
        int i = 0;
        for (Element e : order.keySet()) {
            if (key(e.member).equals(key(member))) {
                expected = i;
            }
            i++;
        }
        assertEquals(expected, set.rank(member, false));
        assertEquals(expected < 0 ? -1 : set.cardinality() - 1 - expected, set.rank(member, true));
        Double score = scores.get(key(member));
        assertEquals(score == null ? Double.NaN : score, set.score(member), 0.0);
    }

    private void checkScoreRange(SortedSet set, Random random) {
        double min = SCORES[random.nextInt(SCORES.length)];
        double max = SCORES[random.nextInt(SCORES.length)];
        ScoreRange range = new ScoreRange(min, random.nextBoolean(), max, random.nextBoolean());
        List<Element> all = new ArrayList<>(order.keySet());
        int first = 0;
        while (first < all.size() && range.before(all.get(first).score, null, 0, 0)) {
            first++;
        }
        int count = 0;
        for (Element e : all) {
            if (!range.before(e.score, null, 0, 0) && !range.after(e.score, null, 0, 0)) {
                count++;
            }
        }
        RankSpan span = set.span(range);
        assertEquals(count, span.count(), range.toString());
        if (count > 0) {
            assertEquals(first, span.first(), range.toString());
        }
        int rank = random.nextInt(all.size());
        int most = random.nextInt(all.size() + 2);
        boolean descending = random.nextBoolean();
        int run = 0;
        for (int i = rank; run < most && i >= 0 && i < all.size(); i += descending ? -1 : 1, run++) {
            Element e = all.get(i);
            if (range.before(e.score, null, 0, 0) || range.after(e.score, null, 0, 0)) {
                break;
            }
        }
        assertEquals(run, set.countInRange(rank, most, descending, range), range + " from " + rank);
    }

    private void checkVisit(SortedSet set, Random random) {
        int rank = random.nextInt(set.cardinality());
        int count = random.nextInt(set.cardinality() + 2);
        boolean descending = random.nextBoolean();
        List<Element> all = new ArrayList<>(order.keySet());
        List<String> expected = new ArrayList<>();
        for (int i = rank, n = 0; i >= 0 && i < all.size() && n < count; i += descending ? -1 : 1, n++) {
            expected.add(describe(all.get(i).member, all.get(i).score));
        }
        List<String> visited = new ArrayList<>();
        set.visit(rank, count, descending, (member, score) -> visited.add(describe(member, score)));
        assertEquals(expected, visited);
    }

    private void pop(SortedSet set, SortedSet.End end, int count) {
        List<String> expected = new ArrayList<>();
        for (int n = 0; n < count && !order.isEmpty(); n++) {
            Element e = end == SortedSet.End.MIN ? order.pollFirstEntry().getKey() : order.pollLastEntry().getKey();
            scores.remove(key(e.member));
            expected.add(describe(e.member, e.score));
        }
        List<String> popped = new ArrayList<>();
        set.pop(end, count, (member, score) -> popped.add(describe(member, score)));
        assertEquals(expected, popped);
    }

    /** A whole ZSCAN walk returns every member, random draws are members, a copy is equal and independent. */
    private void checkScanAndCopy(SortedSet set, Random random) {
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        do {
            cursor = set.scan(cursor, (member, score) -> seen.add(key(member)));
        } while (cursor != 0);
        assertEquals(scores.keySet(), seen);
        set.visitRandom(5, (member, score) -> assertEquals(scores.get(key(member)), score, 0.0));
        SortedSet copy = (SortedSet) set.copy();
        assertEquals(describeAll(set), describeAll(copy));
        copy.pop(SortedSet.End.MIN, 1 + random.nextInt(3), (member, score) -> { });
        assertSameAsModel(set);
    }

    private void assertSameAsModel(SortedSet set) {
        assertEquals(order.size(), set.cardinality());
        assertEquals(scores.size(), set.cardinality());
        List<String> expected = new ArrayList<>();
        for (Element e : order.keySet()) {
            expected.add(describe(e.member, e.score));
        }
        assertEquals(expected, describeAll(set));
    }

    /* ---------------------------------------------------------------- data */

    private static List<String> describeAll(SortedSet set) {
        List<String> all = new ArrayList<>();
        set.visitAll((member, score) -> all.add(describe(member, score)));
        return all;
    }

    /** Member and score; -0 and 0 print alike, as a packed set stores -0 as 0. */
    private static String describe(byte[] member, double score) {
        return key(member) + "=" + (score == 0 ? 0.0 : score);
    }

    private static String key(byte[] member) {
        return new String(member, StandardCharsets.ISO_8859_1);
    }

    private static byte[] member(Random random) {
        byte[] member = new byte[random.nextInt(7)];
        for (int i = 0; i < member.length; i++) {
            member[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return member;
    }

    private byte[] existingMember(Random random) {
        List<String> members = new ArrayList<>(scores.keySet());
        return members.get(random.nextInt(members.size())).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static LexRange.Bound lexBound(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> new LexRange.Bound(null, true, -1);
            case 1 -> new LexRange.Bound(null, true, 1);
            default -> new LexRange.Bound(member(random), random.nextBoolean(), 0);
        };
    }
}
