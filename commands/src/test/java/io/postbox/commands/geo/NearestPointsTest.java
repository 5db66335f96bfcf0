package io.postbox.commands.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NearestPointsTest {

    /** A point at a distance with many ties, and the order it was offered in. */
    private record Point(double distance, int offered) {
    }

    @Test
    void keepsWhatAStableSortCutAtCountKeepsTiesIncluded() {
        Random random = new Random(11);
        for (int round = 0; round < 3000; round++) {
            int length = random.nextInt(80);
            int distinct = 1 + random.nextInt(20);
            List<Point> points = new ArrayList<>();
            for (int i = 0; i < length; i++) {
                points.add(new Point(random.nextInt(distinct) * 0.5, i));
            }
            boolean farthestFirst = random.nextBoolean();
            int count = 1 + random.nextInt(length + 3);
            Comparator<Point> nearest = Comparator.comparingDouble(Point::distance);
            List<Point> sorted = new ArrayList<>(points);
            sorted.sort(farthestFirst ? nearest.reversed() : nearest);
            List<Point> expected = sorted.subList(0, Math.min(count, sorted.size()));

            NearestPoints<Point> selection = new NearestPoints<>(count, farthestFirst);
            for (Point point : points) {
                if (selection.wants(point.distance())) {
                    selection.add(point, point.distance());
                }
            }
            assertEquals(expected, selection.inOrder(), points + " count " + count + " farthest " + farthestFirst);
        }
    }

    @Test
    void aTieWithTheLastKeptIsNotWanted() {
        NearestPoints<String> selection = new NearestPoints<>(2, false);
        selection.add("a", 1.0);
        selection.add("b", 2.0);
        assertFalse(selection.wants(2.0));
        assertTrue(selection.wants(1.5));
        selection.add("c", 1.5);
        assertEquals(List.of("a", "c"), selection.inOrder());
    }
}
