package io.postbox.commands.sets;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A set of 64-bit integers kept sorted in one byte array, as Redis's intset: every element takes the
 * width the widest one needs (2, 4 or 8 bytes), so a set of small numbers costs two bytes each.
 * Membership is a binary search; adding or removing shifts the elements after the position.
 *
 * <p>The width only grows, as in Redis: removing the one wide element leaves the others wide.
 */
final class IntSet {

    private static final VarHandle SHORTS = view(short[].class);
    private static final VarHandle INTS = view(int[].class);
    private static final VarHandle LONGS = view(long[].class);

    private byte[] bytes = new byte[0];
    /** Bytes per element: 2, 4 or 8. */
    private int width = 2;
    private int size;

    int size() {
        return size;
    }

    /** Bytes held, spare room included (MEMORY USAGE). */
    int capacity() {
        return bytes.length;
    }

    /** The element at {@code index} in ascending order. */
    long get(int index) {
        int at = index * width;
        return switch (width) {
            case 2 -> (short) SHORTS.get(bytes, at);
            case 4 -> (int) INTS.get(bytes, at);
            default -> (long) LONGS.get(bytes, at);
        };
    }

    boolean contains(long value) {
        return widthOf(value) <= width && search(value) >= 0;
    }

    /** Adds {@code value}; false if it was there already. */
    boolean add(long value) {
        int needed = widthOf(value);
        if (needed > width) {
            // A value too wide for the others is below or above all of them.
            widen(needed);
            insertAt(value < 0 ? 0 : size, value);
            return true;
        }
        int found = search(value);
        if (found >= 0) {
            return false;
        }
        insertAt(-found - 1, value);
        return true;
    }

    /** Removes {@code value}; false if it was not there. */
    boolean remove(long value) {
        if (widthOf(value) > width) {
            return false;
        }
        int found = search(value);
        if (found < 0) {
            return false;
        }
        removeAt(found);
        return true;
    }

    /** Removes the element at {@code index} and returns it. */
    long removeAt(int index) {
        long value = get(index);
        int at = index * width;
        System.arraycopy(bytes, at + width, bytes, at, (size - index - 1) * width);
        size--;
        if (size * width < bytes.length / 4) {
            bytes = Arrays.copyOf(bytes, size * width);
        }
        return value;
    }

    IntSet copy() {
        IntSet copy = new IntSet();
        copy.bytes = Arrays.copyOf(bytes, size * width);
        copy.width = width;
        copy.size = size;
        return copy;
    }

    /** The index of {@code value}, or {@code -(insertion point) - 1}, as Arrays.binarySearch. */
    private int search(long value) {
        int low = 0;
        int high = size - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            long element = get(middle);
            if (element < value) {
                low = middle + 1;
            } else if (element > value) {
                high = middle - 1;
            } else {
                return middle;
            }
        }
        return -low - 1;
    }

    private void insertAt(int index, long value) {
        int needed = (size + 1) * width;
        if (needed > bytes.length) {
            // Grow by half again, so a run of adds copies the array a logarithmic number of times.
            bytes = Arrays.copyOf(bytes, Math.max(needed, size * width + (size * width >> 1)));
        }
        int at = index * width;
        System.arraycopy(bytes, at, bytes, at + width, (size - index) * width);
        set(index, value);
        size++;
    }

    private void set(int index, long value) {
        int at = index * width;
        switch (width) {
            case 2 -> SHORTS.set(bytes, at, (short) value);
            case 4 -> INTS.set(bytes, at, (int) value);
            default -> LONGS.set(bytes, at, value);
        }
    }

    /** Re-encodes every element with {@code newWidth} bytes. */
    private void widen(int newWidth) {
        long[] values = new long[size];
        for (int i = 0; i < size; i++) {
            values[i] = get(i);
        }
        width = newWidth;
        bytes = new byte[(size + 1) * newWidth];
        for (int i = 0; i < size; i++) {
            set(i, values[i]);
        }
    }

    private static VarHandle view(Class<?> arrayType) {
        return MethodHandles.byteArrayViewVarHandle(arrayType, ByteOrder.LITTLE_ENDIAN);
    }

    private static int widthOf(long value) {
        if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            return 2;
        }
        return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE ? 4 : 8;
    }
}
