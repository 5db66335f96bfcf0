package io.postbox.commands.hyperloglog;

import io.postbox.commands.keyspace.GrowingString;

/**
 * Redis's HyperLogLog, byte for byte: a string of a 16-byte header ("HYLL", the encoding, three
 * unused bytes, the cached cardinality as 8 little-endian bytes whose top bit marks it stale) and
 * 16384 registers of 6 bits. An element's 64-bit hash picks a register with its low 14 bits; the
 * register keeps the longest run (trailing zeros + 1) the remaining bits gave.
 *
 * <p>Registers are stored dense (12288 bytes, register i at bit 6i, least significant bits first) or
 * sparse, as runs of opcodes: ZERO {@code 00llllll} (1-64 zero registers), XZERO
 * {@code 01llllll llllllll} (1-16384 zero registers) and VAL {@code 1vvvvvll} (1-4 registers of
 * value 1-32). A sparse HLL turns dense when a value outgrows 32 or it would outgrow
 * {@code hll-sparse-max-bytes}; changes split and merge opcodes exactly as Redis does, so the same
 * adds leave the same bytes on both servers.
 */
final class Hll {

    static final int REGISTERS = 1 << 14;
    static final int HEADER = 16;
    static final int DENSE_SIZE = HEADER + REGISTERS * 6 / 8;
    static final int DENSE = 0;
    static final int SPARSE = 1;
    /** Hash bits left once the register index is taken: a run is at most this + 1. */
    private static final int Q = 64 - 14;
    private static final int REGISTER_MAX = 63;
    private static final long SEED = 0xadc83b19L;
    private static final double ALPHA_INF = 0.721347520444481703680;
    private static final int VAL_MAX_VALUE = 32;
    private static final int VAL_MAX_LEN = 4;
    private static final int ZERO_MAX_LEN = 64;

    private Hll() {
    }

    /** A new HLL: sparse, all 16384 registers zero in one XZERO run, cardinality 0 cached. */
    static byte[] empty() {
        byte[] bytes = new byte[HEADER + 2];
        bytes[0] = 'H';
        bytes[1] = 'Y';
        bytes[2] = 'L';
        bytes[3] = 'L';
        bytes[4] = SPARSE;
        putXzero(bytes, HEADER, REGISTERS);
        return bytes;
    }

    /** Whether the first {@code length} bytes are an HLL's: header, known encoding, a dense one whole. */
    static boolean isHll(byte[] bytes, int length) {
        if (length < HEADER || bytes[0] != 'H' || bytes[1] != 'Y' || bytes[2] != 'L' || bytes[3] != 'L') {
            return false;
        }
        int encoding = bytes[4] & 0xFF;
        return encoding == SPARSE || (encoding == DENSE && length == DENSE_SIZE);
    }

    static boolean isDense(byte[] bytes) {
        return bytes[4] == DENSE;
    }

    static boolean cacheValid(byte[] bytes) {
        return (bytes[15] & 0x80) == 0;
    }

    static void invalidateCache(byte[] bytes) {
        bytes[15] |= (byte) 0x80;
    }

    static long cachedCardinality(byte[] bytes) {
        long card = 0;
        for (int i = 15; i >= 8; i--) {
            card = card << 8 | (bytes[i] & 0xFF);
        }
        return card;
    }

    static void cacheCardinality(byte[] bytes, long card) {
        for (int i = 8; i < 16; i++) {
            bytes[i] = (byte) (card >>> (8 * (i - 8)));
        }
    }

    /**
     * Adds an element: 1 if a register grew, 0 if not, -1 if the HLL is corrupt. May turn a sparse
     * HLL dense.
     */
    static int add(GrowingString hll, byte[] element, long sparseMaxBytes) {
        long hash = MurmurHash64A.hash(element, SEED);
        int register = (int) (hash & (REGISTERS - 1));
        int run = Long.numberOfTrailingZeros(hash >>> 14 | 1L << Q) + 1;
        return raise(hll, register, run, sparseMaxBytes);
    }

    /** Raises {@code register} to {@code value} if it is lower: 1 if it was, 0 if not, -1 if corrupt. */
    static int raise(GrowingString hll, int register, int value, long sparseMaxBytes) {
        byte[] bytes = hll.buffer();
        if (isDense(bytes)) {
            if (denseGet(bytes, register) >= value) {
                return 0;
            }
            denseSet(bytes, register, value);
            return 1;
        }
        return sparseRaise(hll, register, value, sparseMaxBytes);
    }

    static int denseGet(byte[] bytes, int register) {
        int bit = register * 6;
        int at = HEADER + (bit >>> 3);
        int shift = bit & 7;
        int low = (bytes[at] & 0xFF) >>> shift;
        // The last register's second byte lies past the end only when none of its bits are there.
        int high = at + 1 < DENSE_SIZE ? (bytes[at + 1] & 0xFF) << (8 - shift) : 0;
        return (low | high) & REGISTER_MAX;
    }

    static void denseSet(byte[] bytes, int register, int value) {
        int bit = register * 6;
        int at = HEADER + (bit >>> 3);
        int shift = bit & 7;
        bytes[at] = (byte) (bytes[at] & ~(REGISTER_MAX << shift) | value << shift);
        if (at + 1 < DENSE_SIZE) {
            bytes[at + 1] = (byte) (bytes[at + 1] & ~(REGISTER_MAX >>> (8 - shift)) | value >>> (8 - shift));
        }
    }

    /**
     * The sparse case of {@link #raise}: finds the opcode covering the register, then changes a
     * one-register opcode in place or splits the opcode around the register (XZERO - VAL - XZERO at
     * worst), and merges equal VAL neighbours; turns the HLL dense when that is needed.
     */
    private static int sparseRaise(GrowingString hll, int register, int value, long sparseMaxBytes) {
        if (value > VAL_MAX_VALUE) {
            return promote(hll, register, value);
        }
        byte[] bytes = hll.buffer();
        int end = hll.length();
        int at = HEADER;
        int previous = -1;
        int first = 0;
        int span = 0;
        while (at < end) {
            span = runLength(bytes, at, end);
            if (register <= first + span - 1) {
                break;
            }
            previous = at;
            at += opcodeLength(bytes[at]);
            first += span;
        }
        if (span == 0 || at >= end) {
            return -1;
        }
        int opcode = bytes[at] & 0xFF;
        boolean isVal = (opcode & 0x80) != 0;
        if (isVal && valValue(opcode) >= value) {
            return 0;
        }
        if (span == 1 && (isVal || (opcode & 0xC0) == 0)) {
            bytes[at] = val(value, 1);
            mergeValues(hll, previous);
            return 1;
        }
        byte[] split = new byte[5];
        int length = 0;
        int last = first + span - 1;
        if (isVal) {
            if (register != first) {
                split[length++] = val(valValue(opcode), register - first);
            }
            split[length++] = val(value, 1);
            if (register != last) {
                split[length++] = val(valValue(opcode), last - register);
            }
        } else {
            if (register != first) {
                length = putZeros(split, length, register - first);
            }
            split[length++] = val(value, 1);
            if (register != last) {
                length = putZeros(split, length, last - register);
            }
        }
        int replaced = opcodeLength(bytes[at]);
        if (length > replaced && end + length - replaced > sparseMaxBytes) {
            return promote(hll, register, value);
        }
        hll.splice(at, replaced, split, length);
        mergeValues(hll, previous);
        return 1;
    }

    /**
     * After a change: merges adjacent VAL opcodes of the same value whose runs fit one opcode,
     * looking at up to five opcodes from the one before the change, as Redis does.
     */
    private static void mergeValues(GrowingString hll, int previous) {
        byte[] bytes = hll.buffer();
        int end = hll.length();
        int at = previous < 0 ? HEADER : previous;
        int scan = 5;
        while (at < end && scan-- > 0) {
            int opcode = bytes[at] & 0xFF;
            if ((opcode & 0x80) == 0) {
                at += opcodeLength(bytes[at]);
                continue;
            }
            if (at + 1 < end && (bytes[at + 1] & 0x80) != 0) {
                int next = bytes[at + 1] & 0xFF;
                int runs = valLength(opcode) + valLength(next);
                if (valValue(opcode) == valValue(next) && runs <= VAL_MAX_LEN) {
                    hll.splice(at, 2, new byte[] {val(valValue(opcode), runs)}, 1);
                    bytes = hll.buffer();
                    end--;
                    continue;
                }
            }
            at++;
        }
    }

    /** Turns the HLL dense, then raises the register: 1, or -1 if the sparse runs were corrupt. */
    private static int promote(GrowingString hll, int register, int value) {
        if (!toDense(hll)) {
            return -1;
        }
        denseSet(hll.buffer(), register, value);
        return 1;
    }

    /** Makes a sparse HLL dense (a dense one stays as it is); false if its runs do not cover 16384 registers. */
    static boolean toDense(GrowingString hll) {
        byte[] bytes = hll.buffer();
        if (isDense(bytes)) {
            return true;
        }
        byte[] dense = new byte[DENSE_SIZE];
        System.arraycopy(bytes, 0, dense, 0, HEADER);
        dense[4] = DENSE;
        int register = 0;
        for (int at = HEADER; at < hll.length(); at += opcodeLength(bytes[at])) {
            int run = runLength(bytes, at, hll.length());
            if (register + run > REGISTERS) {
                return false;
            }
            if ((bytes[at] & 0x80) != 0) {
                for (int i = 0; i < run; i++) {
                    denseSet(dense, register + i, valValue(bytes[at] & 0xFF));
                }
            }
            register += run;
        }
        if (register != REGISTERS) {
            return false;
        }
        hll.replaceWith(dense);
        return true;
    }

    /** Raises {@code max}'s registers to the HLL's (PFCOUNT of several keys, PFMERGE); false if corrupt. */
    static boolean mergeInto(byte[] max, byte[] bytes, int length) {
        if (isDense(bytes)) {
            for (int register = 0; register < REGISTERS; register++) {
                max[register] = (byte) Math.max(max[register], denseGet(bytes, register));
            }
            return true;
        }
        int register = 0;
        for (int at = HEADER; at < length; at += opcodeLength(bytes[at])) {
            int run = runLength(bytes, at, length);
            if (register + run > REGISTERS) {
                return false;
            }
            if ((bytes[at] & 0x80) != 0) {
                int value = valValue(bytes[at] & 0xFF);
                for (int i = register; i < register + run; i++) {
                    max[i] = (byte) Math.max(max[i], value);
                }
            }
            register += run;
        }
        return register == REGISTERS;
    }

    /** How many registers hold each value, of an HLL in either encoding; null if its runs are corrupt. */
    static int[] histogram(byte[] bytes, int length) {
        int[] histogram = new int[64];
        if (isDense(bytes)) {
            for (int register = 0; register < REGISTERS; register++) {
                histogram[denseGet(bytes, register)]++;
            }
            return histogram;
        }
        int registers = 0;
        for (int at = HEADER; at < length; at += opcodeLength(bytes[at])) {
            int run = runLength(bytes, at, length);
            histogram[(bytes[at] & 0x80) != 0 ? valValue(bytes[at] & 0xFF) : 0] += run;
            registers += run;
        }
        return registers == REGISTERS ? histogram : null;
    }

    /** How many registers hold each value, of plain registers (one byte each). */
    static int[] histogram(byte[] registers) {
        int[] histogram = new int[64];
        for (byte register : registers) {
            histogram[register]++;
        }
        return histogram;
    }

    /**
     * The cardinality estimate from a register histogram: Otmar Ertl's improved estimator, which
     * Redis uses, computed in the same double-precision steps so it rounds to the same integer.
     */
    static long estimate(int[] histogram) {
        double m = REGISTERS;
        double z = m * tau((m - histogram[Q + 1]) / m);
        for (int j = Q; j >= 1; j--) {
            z += histogram[j];
            z *= 0.5;
        }
        z += m * sigma(histogram[0] / m);
        return Math.round(ALPHA_INF * m * m / z);
    }

    private static double sigma(double x) {
        if (x == 1.0) {
            return Double.POSITIVE_INFINITY;
        }
        double y = 1;
        double z = x;
        double previous;
        do {
            x *= x;
            previous = z;
            z += x * y;
            y += y;
        } while (previous != z);
        return z;
    }

    private static double tau(double x) {
        if (x == 0.0 || x == 1.0) {
            return 0.0;
        }
        double y = 1.0;
        double z = 1 - x;
        double previous;
        do {
            x = Math.sqrt(x);
            previous = z;
            y *= 0.5;
            z -= (1 - x) * (1 - x) * y;
        } while (previous != z);
        return z / 3;
    }

    /**
     * PFDEBUG DECODE's text of a sparse HLL's runs: {@code z:len} for ZERO, {@code Z:len} for XZERO,
     * {@code v:value,len} for VAL.
     */
    static String decode(byte[] bytes, int length) {
        StringBuilder out = new StringBuilder();
        for (int at = HEADER; at < length; at += opcodeLength(bytes[at])) {
            int opcode = bytes[at] & 0xFF;
            if (out.length() > 0) {
                out.append(' ');
            }
            int run = runLength(bytes, at, length);
            if ((opcode & 0x80) != 0) {
                out.append("v:").append(valValue(opcode)).append(',').append(run);
            } else {
                out.append((opcode & 0x40) != 0 ? "Z:" : "z:").append(run);
            }
        }
        return out.toString();
    }

    /* ---------------------------------------------------------------- sparse opcodes */

    private static int opcodeLength(byte opcode) {
        return (opcode & 0xC0) == 0x40 ? 2 : 1;
    }

    /** The registers the opcode at {@code at} covers; an XZERO cut off at {@code end} reads a zero byte. */
    private static int runLength(byte[] bytes, int at, int end) {
        int opcode = bytes[at] & 0xFF;
        if ((opcode & 0x80) != 0) {
            return valLength(opcode);
        }
        if ((opcode & 0x40) != 0) {
            int low = at + 1 < end ? bytes[at + 1] & 0xFF : 0;
            return ((opcode & 0x3F) << 8 | low) + 1;
        }
        return (opcode & 0x3F) + 1;
    }

    private static int valValue(int opcode) {
        return (opcode >>> 2 & 0x1F) + 1;
    }

    private static int valLength(int opcode) {
        return (opcode & 0x3) + 1;
    }

    private static byte val(int value, int length) {
        return (byte) (0x80 | (value - 1) << 2 | (length - 1));
    }

    /** Writes a run of zero registers as ZERO (up to 64) or XZERO; returns the position after it. */
    private static int putZeros(byte[] out, int at, int registers) {
        if (registers > ZERO_MAX_LEN) {
            putXzero(out, at, registers);
            return at + 2;
        }
        out[at] = (byte) (registers - 1);
        return at + 1;
    }

    private static void putXzero(byte[] out, int at, int registers) {
        int length = registers - 1;
        out[at] = (byte) (0x40 | length >>> 8);
        out[at + 1] = (byte) length;
    }
}
