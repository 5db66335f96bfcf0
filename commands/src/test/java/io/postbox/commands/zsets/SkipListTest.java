package io.postbox.commands.zsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.keyspace.Dict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The skip list at a size where spans and levels matter: ranks, positions, moves and cuts. */
class SkipListTest {

    private static final int NODES = 50_000;

    private final SkipList list = new SkipList();
    private final List<SkipListNode> nodes = new ArrayList<>();
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
            SkipListNode node = nodes.get(random.nextInt(nodes.size()));
            int level = node.level();
            // Small changes mostly stay in place; large ones move the node.
            double score = random.nextBoolean() ? node.score + random.nextDouble() * 1e-9 : random.nextDouble() * 1000;
            list.updateScore(node, score);
            assertEquals(level, node.level());
        }
        assertOrderAndRanks();
    }

    @Test
    void deletingRanksFromTheMiddleAndTheEndsKeepsRanksRight() {
        fill();
        sortModel();
        List<SkipListNode> removed = new ArrayList<>();
        list.deleteRanks(1000, 5000, removed::add);
        assertEquals(nodes.subList(1000, 6000), removed);
        nodes.subList(1000, 6000).clear();
        list.deleteRanks(0, 10, n -> { });
        nodes.subList(0, 10).clear();
        list.deleteRanks(nodes.size() - 10, 10, n -> { });
        nodes.subList(nodes.size() - 10, nodes.size()).clear();
        for (int i = 0; i < 1000; i++) {
            SkipListNode node = nodes.remove(random.nextInt(nodes.size()));
            list.delete(node);
        }
        assertOrderAndRanks();
        assertNull(list.first().backward);
        assertNull(list.last().forward);
    }

    @Test
    void aboutThreeQuartersOfTheNodesHaveOneLevel() {
        fill();
        long single = nodes.stream().filter(n -> n.level() == 1).count();
        double share = (double) single / nodes.size();
        assertTrue(share > 0.73 && share < 0.77, "share of level-1 nodes: " + share);
    }

    private void fill() {
        for (int i = 0; i < NODES; i++) {
            byte[] member = ("m" + i).getBytes();
            // Few distinct scores, so members decide the order of many nodes.
            SkipListNode node = SkipList.newNode(member, Dict.hash(member), random.nextInt(1000));
            list.insert(node);
            nodes.add(node);
        }
    }

    private void sortModel() {
        nodes.sort(Comparator.comparing((SkipListNode n) -> n.score)
                .thenComparing(SkipListNode::key, java.util.Arrays::compareUnsigned));
    }

    private void assertOrderAndRanks() {
        sortModel();
        assertEquals(nodes.size(), list.length());
        SkipListNode node = list.first();
        for (int rank = 0; rank < nodes.size(); rank++) {
            assertSame(nodes.get(rank), node);
            if (rank % 97 == 0) {
                assertEquals(rank, list.rank(node));
                assertSame(node, list.at(rank));
            }
            node = node.forward;
        }
        assertNull(node);
        assertSame(nodes.get(nodes.size() - 1), list.last());
    }
}
