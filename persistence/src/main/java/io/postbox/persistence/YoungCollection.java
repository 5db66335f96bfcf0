package io.postbox.persistence;

import java.lang.ref.WeakReference;

/**
 * Has the garbage collector empty its young generation once, by filling it with arrays that die at
 * once. Java has no call for that: {@link System#gc} runs a full collection, which marks and moves
 * every object in the heap (half a second after loading a million small keys), where a young
 * collection copies only the objects allocated since the last one.
 */
final class YoungCollection {

    /** Below the size G1 allocates outside the young generation (half a region, 512 KB at least). */
    private static final int ARRAY_BYTES = 256 * 1024;

    /** Where each array goes, so that the compiler cannot leave its allocation out. */
    private static volatile byte[] sink;

    private YoungCollection() {
    }

    /**
     * Returns once a collection has run: the first one clears a weak reference to an object that
     * nothing else holds. (The management beans would tell too, but loading them costs a cold JVM
     * about 50 ms.)
     */
    static void run() {
        WeakReference<Object> canary = new WeakReference<>(new Object());
        // A young generation is smaller than the heap, so this allocates past it and ends.
        long limit = Runtime.getRuntime().maxMemory();
        for (long allocated = 0; canary.get() != null && allocated < limit; allocated += ARRAY_BYTES) {
            sink = new byte[ARRAY_BYTES];
        }
        sink = null;
    }
}
