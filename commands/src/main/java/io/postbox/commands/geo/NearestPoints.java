package io.postbox.commands.geo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code count} points nearest a search's centre (farthest, for DESC) of those offered one at a
 * time, nearest first, ties in the order offered: what a stable sort of them all cut at {@code count}
 * gives, as Redis's partial sort does for COUNT. It holds only those {@code count}, in a heap whose
 * root is the one that would go last, and {@link #wants} tells before a point is built whether it
 * would be kept: a search with COUNT 10 that finds thousands of members builds a few dozen.
 */
final class NearestPoints<T> {

    private static final int INITIAL_CAPACITY = 16;

    private final int count;
    private final boolean farthestFirst;
    private Object[] points;
    private double[] distances;
    /** When each point was offered, which orders ties. */
    private int[] arrivals;
    private int size;
    private int arrived;

    /** Keeps {@code count} points, at least one. */
    NearestPoints(int count, boolean farthestFirst) {
        this.count = count;
        this.farthestFirst = farthestFirst;
        int capacity = Math.min(count, INITIAL_CAPACITY);
        points = new Object[capacity];
        distances = new double[capacity];
        arrivals = new int[capacity];
    }

    /** Whether a point at {@code distance}, offered now, would be kept (a tie loses to the points kept). */
    boolean wants(double distance) {
        return size < count || goesBefore(distance, distances[0]);
    }

    /** Keeps {@code point}, which {@link #wants} said to keep, in place of the one that goes last. */
    void add(T point, double distance) {
        if (size < count) {
            if (size == points.length) {
                int capacity = (int) Math.min(count, 2L * size);
                points = Arrays.copyOf(points, capacity);
                distances = Arrays.copyOf(distances, capacity);
                arrivals = Arrays.copyOf(arrivals, capacity);
            }
            set(size, point, distance, arrived++);
            siftUp(size++);
        } else {
            set(0, point, distance, arrived++);
            siftDown(0);
        }
    }

    /** The points kept, in order; the selection is spent. */
    @SuppressWarnings("unchecked")
    List<T> inOrder() {
        Object[] ordered = new Object[size];
        // The root goes last of those left: taken from the end back to the front.
        for (int last = size - 1; last >= 0; last--) {
            ordered[last] = points[0];
            set(0, points[last], distances[last], arrivals[last]);
            size = last;
            siftDown(0);
        }
        List<T> list = new ArrayList<>(ordered.length);
        for (Object point : ordered) {
            list.add((T) point);
        }
        return list;
    }

    private boolean goesBefore(double distance, double other) {
        int compared = Double.compare(distance, other);
        return farthestFirst ? compared > 0 : compared < 0;
    }

    /** Whether the point at heap slot {@code a} goes after the one at {@code b}. */
    private boolean goesAfter(int a, int b) {
        int compared = Double.compare(distances[a], distances[b]);
        if (compared != 0) {
            return farthestFirst ? compared < 0 : compared > 0;
        }
        return arrivals[a] > arrivals[b];
    }

    private void siftUp(int at) {
        while (at > 0) {
            int parent = (at - 1) / 2;
            if (!goesAfter(at, parent)) {
                return;
            }
            swap(at, parent);
            at = parent;
        }
    }

    private void siftDown(int at) {
        while (true) {
            int latest = at;
            for (int child = 2 * at + 1; child <= 2 * at + 2 && child < size; child++) {
                if (goesAfter(child, latest)) {
                    latest = child;
                }
            }
            if (latest == at) {
                return;
            }
            swap(at, latest);
            at = latest;
        }
    }

    private void set(int slot, Object point, double distance, int arrival) {
        points[slot] = point;
        distances[slot] = distance;
        arrivals[slot] = arrival;
    }

    private void swap(int a, int b) {
        Object point = points[a];
        double distance = distances[a];
        int arrival = arrivals[a];
        set(a, points[b], distances[b], arrivals[b]);
        set(b, point, distance, arrival);
    }
}
