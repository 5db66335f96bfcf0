package io.postbox.commands.hyperloglog;

/**
 * Austin Appleby's MurmurHash64A, the 64-bit hash Redis's HyperLogLogs hash their elements with
 * (seed 0xadc83b19): the same element must pick the same register and run on both servers, or
 * their HLLs could not be merged or compared. Words are read little-endian, as Redis reads them.
 */
final class MurmurHash64A {

    private static final long M = 0xc6a4a7935bd1e995L;
    private static final int R = 47;

    private MurmurHash64A() {
    }

    static long hash(byte[] data, long seed) {
        int length = data.length;
        long h = seed ^ (length * M);
        int words = length & ~7;
        for (int i = 0; i < words; i += 8) {
            long k = littleEndianLong(data, i);
            k *= M;
            k ^= k >>> R;
            k *= M;
            h ^= k;
            h *= M;
        }
        int tail = length & 7;
        if (tail > 0) {
            for (int i = tail - 1; i >= 0; i--) {
                h ^= (long) (data[words + i] & 0xFF) << (8 * i);
            }
            h *= M;
        }
        h ^= h >>> R;
        h *= M;
        h ^= h >>> R;
        return h;
    }

    private static long littleEndianLong(byte[] data, int at) {
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = value << 8 | (data[at + i] & 0xFF);
        }
        return value;
    }
}
