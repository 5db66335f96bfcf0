package io.postbox.commands.geo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The first {@code count} items of a list in an order, ties kept in the list's order: what a stable
 * sort followed by a cut gives, in O(n log count) rather than O(n log n). A search with COUNT 10 that
 * finds thousands of members sorts ten of them, as Redis's partial sort does.
 */
final class FirstInOrder {

    private FirstInOrder() {
    }

    static <T> List<T> of(List<T> items, Comparator<? super T> order, int count) {
        if (count >= items.size()) {
            List<T> all = new ArrayList<>(items);
            all.sort(order);
            return all;
        }
        if (count == 0) {
            return new ArrayList<>();
        }
        // A heap of the indices of the best items so far, the one that would go last at its root.
        IndexOrder byOrderThenIndex = (a, b) -> {
            int byOrder = order.compare(items.get(a), items.get(b));
            return byOrder != 0 ? byOrder : Integer.compare(a, b);
        };
        int[] heap = new int[count];
        int size = 0;
        for (int i = 0; i < items.size(); i++) {
            if (size < count) {
                heap[size] = i;
                siftUp(heap, size++, byOrderThenIndex);
            } else if (byOrderThenIndex.compare(i, heap[0]) < 0) {
                heap[0] = i;
                siftDown(heap, size, byOrderThenIndex);
            }
        }
        // Sorted stably from the order found, so that equal items keep it.
        Arrays.sort(heap, 0, size);
        List<T> first = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            first.add(items.get(heap[i]));
        }
        first.sort(order);
        return first;
    }

    /** Raises the item at {@code at} while it would go after its parent. */
    private static void siftUp(int[] heap, int at, IndexOrder order) {
        while (at > 0) {
            int parent = (at - 1) / 2;
            if (order.compare(heap[at], heap[parent]) <= 0) {
                return;
            }
            swap(heap, at, parent);
            at = parent;
        }
    }

    /** Lowers the root while a child would go after it. */
    private static void siftDown(int[] heap, int size, IndexOrder order) {
        int at = 0;
        while (true) {
            int latest = at;
            for (int child = 2 * at + 1; child <= 2 * at + 2 && child < size; child++) {
                if (order.compare(heap[child], heap[latest]) > 0) {
                    latest = child;
                }
            }
            if (latest == at) {
                return;
            }
            swap(heap, at, latest);
            at = latest;
        }
    }

    /** An order of items by their indices in the list, without boxing them. */
    private interface IndexOrder {
        int compare(int a, int b);
    }

    private static void swap(int[] heap, int a, int b) {
        int held = heap[a];
        heap[a] = heap[b];
        heap[b] = held;
    }
}
