package io.postbox.commands.hyperloglog;

import io.postbox.commands.keyspace.GrowingString;
import java.util.Random;

/**
 * PFSELFTEST's checks of {@link Hll}, as Redis's pfselftestCommand makes them: first that each dense
 * register keeps the value set in it without disturbing its neighbours; then that, as 10,000,000
 * distinct elements are added to a dense and to a sparse HLL alike, at each power of ten the sparse one
 * is still sparse while small, both estimate the same, and the estimate is within six standard errors
 * (within 1 at 10). The failures are Redis's texts.
 */
final class HllSelfTest {

    private static final int REGISTER_CYCLES = 1000;
    private static final int ELEMENTS = 10_000_000;
    private static final int REGISTER_VALUES = 64;
    /** The standard error of an estimate from 16384 registers. */
    private static final double RELATIVE_ERROR = 1.04 / Math.sqrt(Hll.REGISTERS);

    private HllSelfTest() {
    }

    /** Runs the checks with {@code random}'s values: null if all pass, else what failed. */
    static String run(Random random, long sparseMaxBytes) {
        String failure = checkRegisters(random);
        return failure != null ? failure : checkEstimates(random.nextLong(), sparseMaxBytes);
    }

    private static String checkRegisters(Random random) {
        byte[] dense = new byte[Hll.DENSE_SIZE];
        int[] expected = new int[Hll.REGISTERS];
        for (int cycle = 0; cycle < REGISTER_CYCLES; cycle++) {
            for (int register = 0; register < Hll.REGISTERS; register++) {
                expected[register] = random.nextInt(REGISTER_VALUES);
                Hll.denseSet(dense, register, expected[register]);
            }
            for (int register = 0; register < Hll.REGISTERS; register++) {
                int value = Hll.denseGet(dense, register);
                if (value != expected[register]) {
                    return "TESTFAILED Register " + register + " should be " + expected[register] + " but is " + value;
                }
            }
        }
        return null;
    }

    private static String checkEstimates(long seed, long sparseMaxBytes) {
        GrowingString dense = GrowingString.owning(Hll.empty());
        Hll.toDense(dense);
        GrowingString sparse = GrowingString.owning(Hll.empty());
        byte[] element = new byte[Long.BYTES];
        long checkpoint = 1;
        for (long j = 1; j <= ELEMENTS; j++) {
            // The element is the 8 bytes of j ^ seed as Redis's x86 lays them out: least significant first.
            long value = j ^ seed;
            for (int i = 0; i < Long.BYTES; i++) {
                element[i] = (byte) (value >>> (8 * i));
            }
            Hll.add(dense, element, sparseMaxBytes);
            Hll.add(sparse, element, sparseMaxBytes);
            if (j != checkpoint) {
                continue;
            }
            if (j < sparseMaxBytes / 2 && Hll.isDense(sparse.buffer())) {
                return "TESTFAILED sparse encoding not used";
            }
            long estimate = estimate(dense);
            if (estimate != estimate(sparse)) {
                return "TESTFAILED dense/sparse disagree";
            }
            long maxError = j == 10 ? 1 : (long) Math.ceil(RELATIVE_ERROR * 6 * checkpoint);
            long error = Math.abs(checkpoint - estimate);
            if (error > maxError) {
                return "TESTFAILED Too big error. card:" + checkpoint + " abserr:" + error;
            }
            checkpoint *= 10;
        }
        return null;
    }

    private static long estimate(GrowingString hll) {
        return Hll.estimate(Hll.histogram(hll.buffer(), hll.length()));
    }
}
