package io.postbox.persistence;

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
     * Returns once a collection has run, which the heap shows by using less than before it: the arrays
     * allocated here are garbage. (The management beans would tell too, but loading them costs a cold
     * JVM about 50 ms. A weak reference to an object nothing else holds would not always: under
     * -XX:MaxTenuringThreshold=0, G1's young collections promote such an object rather than clear the
     * reference, and waiting for that allocated gigabytes after a load.)
     */
    static void run() {
        Runtime runtime = Runtime.getRuntime();
        long used = runtime.totalMemory() - runtime.freeMemory();
        // A young generation is smaller than the heap, so this allocates past it and ends.
        long limit = runtime.maxMemory();
        for (long allocated = 0; allocated < limit; allocated += ARRAY_BYTES) {
            sink = new byte[ARRAY_BYTES];
            long usedNow = runtime.totalMemory() - runtime.freeMemory();
            if (usedNow < used) {
                break;
            }
            used = usedNow;
        }
        sink = null;
    }
}
