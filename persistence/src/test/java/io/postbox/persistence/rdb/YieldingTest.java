package io.postbox.persistence.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class YieldingTest {

    private long now;
    /** How long the next yields keep the thread off its core. */
    private long yieldTakes;
    private int yields;
    private final Yielding yielding = new Yielding(() -> now, () -> {
        yields++;
        now += yieldTakes;
    });

    private void nodes(int count) {
        for (int i = 0; i < count; i++) {
            now += 12_000;
            yielding.afterNode();
        }
    }

    @Test
    void yieldsAfterEveryNodeWhileYieldsAreShort() {
        yieldTakes = 30_000;
        nodes(100);
        assertEquals(100, yields);
        assertEquals(1, yielding.nodesBetweenYields());
    }

    @Test
    void yieldsEverMoreRarelyWhileEachGivesTheCoreAwayForLong() {
        yieldTakes = 3_000_000;
        nodes(1);
        assertEquals(2, yielding.nodesBetweenYields());
        nodes(2);
        assertEquals(4, yielding.nodesBetweenYields());
        nodes(10_000);
        assertEquals(Yielding.MAX_NODES_BETWEEN_YIELDS, yielding.nodesBetweenYields());
        int before = yields;
        nodes(10 * Yielding.MAX_NODES_BETWEEN_YIELDS);
        assertEquals(10, yields - before, "one yield per " + Yielding.MAX_NODES_BETWEEN_YIELDS + " nodes");
    }

    @Test
    void aShortYieldBringsBackAYieldAfterEveryNode() {
        yieldTakes = 3_000_000;
        nodes(5_000);
        yieldTakes = 10_000;
        nodes(Yielding.MAX_NODES_BETWEEN_YIELDS);
        assertEquals(1, yielding.nodesBetweenYields());
        int before = yields;
        nodes(50);
        assertEquals(50, yields - before);
    }
}
