package io.postbox.commands.zsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A large sorted set's records as the set shrinks and turns over: memory comes back, order stays. */
class SkipListEncodingTest {

    private static final Comparator<Map.Entry<byte[], Double>> BY_SCORE_THEN_MEMBER =
            Comparator.<Map.Entry<byte[], Double>>comparingDouble(Map.Entry::getValue)
                    .thenComparing(Map.Entry::getKey, Arrays::compareUnsigned);

    private final SkipListRecords records = new SkipListRecords();
    private final SkipListEncoding set = new SkipListEncoding(records, new MemberIndex(records), new SkipList(records));
    private final List<Map.Entry<byte[], Double>> entries = new ArrayList<>();
    private final Random random = new Random(5);

    @Test
    void aSetThatShrankGivesItsRecordsBackAtOnceAndAfterATurn() {
        addAtRandomScores("m", 50_000);
        long peak = records.bytes();
        // Down to 1% at random: every chunk of records is left with a few.
        Collections.shuffle(entries, random);
        for (Map.Entry<byte[], Double> gone : entries.subList(500, entries.size())) {
            set.remove(gone.getKey());
        }
        entries.subList(500, entries.size()).clear();
        long shrunk = records.bytes();
        assertHoldsEntries();
        // Then a turn, as a delayed queue makes one: a message due later in, the one due first out.
        entries.sort(BY_SCORE_THEN_MEMBER);
        for (int i = 0; i < 500; i++) {
            add(("later" + i).getBytes(), 1000 + i);
            set.deleteRanks(0, 1);
            entries.remove(0);
        }
        long turned = records.bytes();
        assertHoldsEntries();
        assertTrue(shrunk < peak / 20, shrunk + " bytes right after shrinking, " + peak + " at the peak");
        assertTrue(turned < peak / 20, turned + " bytes after a turn, " + peak + " at the peak");
        // The chunks given back are taken up again as the set grows back.
        addAtRandomScores("again", 49_500);
        assertTrue(records.bytes() < peak * 1.1, records.bytes() + " bytes grown back, " + peak + " at the peak");
        assertHoldsEntries();
    }

    @Test
    void aScanMeetsEveryMemberThatStaysWhileOthersLeaveAndTheRestMove() {
        addAtRandomScores("m", 50_000);
        long peak = records.bytes();
        Collections.shuffle(entries, random);
        List<Map.Entry<byte[], Double>> staying = List.copyOf(entries.subList(0, 500));
        List<Map.Entry<byte[], Double>> leaving = entries.subList(500, entries.size());
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int steps = 0;
        // Between steps of the scan, members leave until the set is down to the ones that stay: the
        // chunks empty, their last members move, and the member table shrinks under the cursor.
        do {
            cursor = set.scan(cursor, (member, score) -> seen.add(new String(member)));
            for (int i = 0; i < 200 && !leaving.isEmpty(); i++) {
                set.remove(leaving.remove(leaving.size() - 1).getKey());
            }
            steps++;
        } while (cursor != 0);
        assertTrue(leaving.isEmpty(), "the scan outlasted the removals: " + leaving.size() + " left after " + steps + " steps");
        assertTrue(records.bytes() < peak / 10, records.bytes() + " bytes of records left, " + peak + " at the peak");
        for (Map.Entry<byte[], Double> entry : staying) {
            assertTrue(seen.contains(new String(entry.getKey())), new String(entry.getKey()) + " was not met");
        }
        assertHoldsEntries();
    }

    /** Members {@code prefix0}, {@code prefix1}, ...; a thousand distinct scores, so members decide much of the order. */
    private void addAtRandomScores(String prefix, int count) {
        for (int i = 0; i < count; i++) {
            add((prefix + i).getBytes(), random.nextInt(1000));
        }
    }

    private void add(byte[] member, double score) {
        set.insert(member, score);
        entries.add(Map.entry(member, score));
    }

    /** The set holds exactly the entries, each member found by name, at its rank, in order. */
    private void assertHoldsEntries() {
        List<Map.Entry<byte[], Double>> sorted = new ArrayList<>(entries);
        sorted.sort(BY_SCORE_THEN_MEMBER);
        assertEquals(sorted.size(), set.size());
        List<String> visited = new ArrayList<>();
        set.visit(0, set.size(), false, (member, score) -> visited.add(new String(member) + "=" + score));
        for (int rank = 0; rank < sorted.size(); rank++) {
            Map.Entry<byte[], Double> entry = sorted.get(rank);
            assertEquals(new String(entry.getKey()) + "=" + entry.getValue(), visited.get(rank));
            assertEquals(entry.getValue(), set.score(entry.getKey()));
            assertEquals(rank, set.rank(entry.getKey()));
        }
    }
}
