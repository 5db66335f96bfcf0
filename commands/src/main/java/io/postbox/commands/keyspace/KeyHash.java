package io.postbox.commands.keyspace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The hash of a key: SipHash-1-2 (the variant Redis uses for its dicts) with a secret seed drawn at
 * startup, so clients cannot craft keys that all land in one bucket. One seed per process, so a key
 * hashes alike in every dict (a database's keys and expires, every database).
 */
final class KeyHash {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long K0;
    private static final long K1;

    static {
        SecureRandom random = new SecureRandom();
        K0 = random.nextLong();
        K1 = random.nextLong();
    }

    private KeyHash() {
    }

    static boolean equal(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }

    static int hash(byte[] data) {
        long v0 = K0 ^ 0x736f6d6570736575L;
        long v1 = K1 ^ 0x646f72616e646f6dL;
        long v2 = K0 ^ 0x6c7967656e657261L;
        long v3 = K1 ^ 0x7465646279746573L;
        int length = data.length;
        int blocksEnd = length & ~7;
        long last = (long) length << 56;
        for (int i = length - 1; i >= blocksEnd; i--) {
            last |= (data[i] & 0xffL) << ((i - blocksEnd) * 8);
        }
        // One compression round per 8-byte block (the tail block last), then two finalization rounds.
        for (int i = 0; i <= blocksEnd + 16; i += 8) {
            long m = i < blocksEnd ? (long) LONGS.get(data, i) : i == blocksEnd ? last : 0;
            if (i == blocksEnd + 8) {
                v2 ^= 0xff;
            }
            v3 ^= m;
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            v0 ^= m;
        }
        long h = v0 ^ v1 ^ v2 ^ v3;
        return (int) (h ^ (h >>> 32));
    }
}
