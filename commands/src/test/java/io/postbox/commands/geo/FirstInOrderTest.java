package io.postbox.commands.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FirstInOrderTest {

    /** An item whose key has many ties, and whose label tells equal keys apart. */
    private record Item(int key, int label) {
    }

    private static final Comparator<Item> BY_KEY = Comparator.comparingInt(Item::key);

    @Test
    void givesWhatAStableSortAndACutGiveTiesIncluded() {
        Random random = new Random(11);
        for (int round = 0; round < 2000; round++) {
            List<Item> items = new ArrayList<>();
            int length = random.nextInt(60);
            int keys = 1 + random.nextInt(20);
            for (int i = 0; i < length; i++) {
                items.add(new Item(random.nextInt(keys), i));
            }
            Comparator<Item> order = random.nextBoolean() ? BY_KEY : BY_KEY.reversed();
            int count = random.nextInt(length + 3);
            List<Item> sorted = new ArrayList<>(items);
            sorted.sort(order);
            List<Item> expected = sorted.subList(0, Math.min(count, sorted.size()));
            assertEquals(expected, FirstInOrder.of(items, order, count), items + " count " + count);
        }
    }

    @Test
    void leavesTheListAsItWas() {
        List<Item> items = new ArrayList<>(List.of(new Item(3, 0), new Item(1, 1), new Item(2, 2)));
        List<Item> copy = List.copyOf(items);
        assertEquals(List.of(new Item(1, 1)), FirstInOrder.of(items, BY_KEY, 1));
        assertEquals(List.of(new Item(1, 1), new Item(2, 2), new Item(3, 0)), FirstInOrder.of(items, BY_KEY, 5));
        assertEquals(copy, items);
    }
}
