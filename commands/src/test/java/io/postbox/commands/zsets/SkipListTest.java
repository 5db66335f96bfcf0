package io.postbox.commands.zsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.keyspace.Dict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The skip list at a size where spans and levels matter: ranks, positions, moves and cuts. */
class SkipListTest {

    private static final int NODES = 50_000;

    private final SkipListRecords records = new SkipListRecords();
    private final SkipList list = new SkipList(records);
    private final List<Integer> nodes = new ArrayList<>();
    private final Random random = new Random(11);

    @Test
    void everyNodeIsAtItsRankAndHasItsRank() {
        fill();
        assertOrderAndRanks();
    }

    @Test
    void scoreUpdatesMoveNodesAndKeepTheirLevels() {
        fill();
        for (int i = 0; i < 20_000; i++) {
            int node = nodes.get(random.nextInt(nodes.size()));
            int level = list.level(node);
            // Small changes mostly stay in place; large ones move the node.
            double score = random.nextBoolean()
                    ? list.score(node) + random.nextDouble() * 1e-9
                    : random.nextDouble() * 1000;
            list.updateScore(node, score);
            assertEquals(level, list.level(node));
        }
        assertOrderAndRanks();
    }

    @Test
    void deletingRanksFromTheMiddleAndTheEndsKeepsRanksRight() {
        fill();
        sortModel();
        List<Integer> removed = new ArrayList<>();
        list.deleteRanks(1000, 5000, removed::add);
        assertEquals(nodes.subList(1000, 6000), removed);
        nodes.subList(1000, 6000).clear();
        list.deleteRanks(0, 10, n -> { });
        nodes.subList(0, 10).clear();
        list.deleteRanks(nodes.size() - 10, 10, n -> { });
        nodes.subList(nodes.size() - 10, nodes.size()).clear();
        for (int i = 0; i < 1000; i++) {
            int node = nodes.remove(random.nextInt(nodes.size()));
            list.delete(node);
        }
        assertOrderAndRanks();
        assertEquals(SkipList.NONE, list.backward(list.first()));
        assertEquals(SkipList.NONE, list.forward(list.at(list.length() - 1)));
    }

    @Test
    void freedRecordsAreTakenBackByNewNodes() {
        fill();
        long bytes = records.bytes();
        for (int round = 0; round < 3; round++) {
            for (int node : nodes) {
                list.delete(node);
            }
            nodes.clear();
            assertEquals(0, list.length());
            fill();
        }
        assertOrderAndRanks();
        // New nodes draw their levels afresh, so a level can need a few more records than were freed.
        assertTrue(records.bytes() < bytes * 1.1, records.bytes() + " bytes after refills, " + bytes + " at first");
    }

    @Test
    void aboutThreeQuartersOfTheNodesHaveOneLevel() {
        fill();
        long single = nodes.stream().filter(n -> list.level(n) == 1).count();
        double share = (double) single / nodes.size();
        assertTrue(share > 0.73 && share < 0.77, "share of level-1 nodes: " + share);
    }

    private void fill() {
        for (int i = 0; i < NODES; i++) {
            byte[] member = ("m" + i).getBytes();
            // Few distinct scores, so members decide the order of many nodes.
            int node = list.newNode(member, Dict.hash(member), random.nextInt(1000));
            list.insert(node);
            nodes.add(node);
        }
    }

    private void sortModel() {
        nodes.sort(Comparator.comparing((Integer n) -> list.score(n))
                .thenComparing(list::member, Arrays::compareUnsigned));
    }

    private void assertOrderAndRanks() {
        sortModel();
        assertEquals(nodes.size(), list.length());
        int node = list.first();
        int previous = SkipList.NONE;
        for (int rank = 0; rank < nodes.size(); rank++) {
            assertEquals(nodes.get(rank), node);
            assertEquals(previous, list.backward(node));
            if (rank % 97 == 0) {
                assertEquals(rank, list.rank(node));
                assertEquals(node, list.at(rank));
            }
            previous = node;
            node = list.forward(node);
        }
        assertEquals(SkipList.NONE, node);
        assertEquals(previous, list.at(nodes.size() - 1), "the last node is the tail");
    }
}
