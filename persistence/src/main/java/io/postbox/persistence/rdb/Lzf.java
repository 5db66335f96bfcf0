package io.postbox.persistence.rdb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * LZF, the compression Redis applies to long strings in RDB files. A compressed stream is a sequence
 * of runs, each starting with a control byte {@code c}:
 * <pre>
 *   c &lt; 32              literal run: the next c+1 bytes are copied as they are
 *   c = LLLooooo         back reference, L = 1..6: copy L+2 bytes starting (o &lt;&lt; 8 | next byte) + 1
 *                        bytes back in the output
 *   c = 111ooooo, n      back reference of n+9 bytes (L = 7 plus the extra length byte n), then the
 *                        low offset byte as above
 * </pre>
 * Offsets reach at most 8192 bytes back, references copy at most 264 bytes, literal runs are at most
 * 32 bytes; a reference may overlap the bytes it produces (a run of one repeated byte).
 *
 * <p>The compressor finds three-byte matches through a hash table of recent positions. The table is
 * reused without clearing between inputs: a stale entry is only a candidate, and every candidate is
 * checked against the input before it is used. One instance per thread.
 */
public final class Lzf {

    private static final int MAX_LITERAL = 32;
    private static final int MAX_OFFSET = 1 << 13;
    private static final int MAX_REFERENCE = 7 + 255 + 2;
    private static final int HASH_BITS = 14;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BIG_ENDIAN_INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    /** Position + 1 of the last occurrence of each hashed three-byte sequence; 0 or stale otherwise. */
    private final int[] recent = new int[1 << HASH_BITS];

    /**
     * Compresses {@code length} bytes of {@code in} into {@code out} from {@code outOffset}, writing at
     * most {@code maxLength} bytes. Returns the compressed length, or 0 if it would be longer than that.
     */
    public int compress(byte[] in, int offset, int length, byte[] out, int outOffset, int maxLength) {
        int ip = offset;
        int end = offset + length;
        int op = outOffset;
        int limit = outOffset + maxLength;
        int literals = 0;
        if (maxLength < 1) {
            return 0;
        }
        int control = op++;
        // The three bytes at ip, high to low: kept up to date a byte at a time, as a literal advances.
        int triple = ip + 2 < end ? triple(in, ip) : 0;
        while (ip < end) {
            int reference = -1;
            if (ip + 2 < end) {
                int slot = hash(triple);
                reference = recent[slot] - 1;
                recent[slot] = ip + 1;
            }
            int distance = ip - reference - 1;
            // reference + 3 <= ip + 2 < end: the four bytes read from it are in the array.
            if (reference >= offset && reference < ip && distance < MAX_OFFSET
                    && (int) BIG_ENDIAN_INTS.get(in, reference) >>> 8 == triple) {
                int longest = Math.min(MAX_REFERENCE, end - ip);
                int matched = 3;
                // Eight bytes at a time; the first that differs ends the match (little-endian: the lowest).
                while (matched + 8 <= longest) {
                    long differ = (long) LONGS.get(in, reference + matched) ^ (long) LONGS.get(in, ip + matched);
                    if (differ != 0) {
                        matched += Long.numberOfTrailingZeros(differ) >>> 3;
                        longest = matched;
                        break;
                    }
                    matched += 8;
                }
                while (matched < longest && in[reference + matched] == in[ip + matched]) {
                    matched++;
                }
                if (literals > 0) {
                    out[control] = (byte) (literals - 1);
                } else {
                    op--;
                }
                if (op + 4 > limit) {
                    return 0;
                }
                int encoded = matched - 2;
                if (encoded < 7) {
                    out[op++] = (byte) ((distance >>> 8) + (encoded << 5));
                } else {
                    out[op++] = (byte) ((distance >>> 8) + (7 << 5));
                    out[op++] = (byte) (encoded - 7);
                }
                out[op++] = (byte) distance;
                ip += matched;
                // Remember the last positions of the match too: repeats often continue from there.
                for (int p = ip - 2; p < ip && p + 2 < end; p++) {
                    recent[hash(triple(in, p))] = p + 1;
                }
                if (ip + 2 < end) {
                    triple = triple(in, ip);
                }
                literals = 0;
                control = op++;
            } else {
                if (op + 1 > limit) {
                    return 0;
                }
                out[op++] = in[ip++];
                if (ip + 2 < end) {
                    triple = (triple << 8 | in[ip + 2] & 0xff) & 0xffffff;
                }
                if (++literals == MAX_LITERAL) {
                    out[control] = (byte) (MAX_LITERAL - 1);
                    literals = 0;
                    if (op + 1 > limit) {
                        return 0;
                    }
                    control = op++;
                }
            }
        }
        if (literals > 0) {
            out[control] = (byte) (literals - 1);
        } else {
            op--;
        }
        return op - outOffset;
    }

    private static int triple(byte[] in, int at) {
        return (in[at] & 0xff) << 16 | (in[at + 1] & 0xff) << 8 | (in[at + 2] & 0xff);
    }

    private static int hash(int triple) {
        return (triple * 0x9E3779B1) >>> (32 - HASH_BITS);
    }

    /**
     * Decompresses {@code length} bytes of {@code in} into exactly {@code out.length} bytes.
     *
     * @throws IllegalArgumentException if the input is not a valid stream of that size
     */
    public static void decompress(byte[] in, int offset, int length, byte[] out) {
        decompress(in, offset, length, out, out.length);
    }

    /**
     * As {@link #decompress(byte[], int, int, byte[])}, into the first {@code outLength} bytes of {@code out}.
     *
     * <p>Runs are short (a queue's node is mostly one-byte literals and twelve-byte references), so
     * away from the ends of the arrays they are copied eight bytes at a time, possibly past their end:
     * the bytes written beyond a run are overwritten by the runs that follow it.
     */
    public static void decompress(byte[] in, int offset, int length, byte[] out, int outLength) {
        int ip = offset;
        int end = offset + length;
        int op = 0;
        while (ip < end) {
            int control = in[ip++] & 0xff;
            if (control < 32) {
                int run = control + 1;
                if (ip + run > end || op + run > outLength) {
                    throw new IllegalArgumentException("LZF literal run past the end");
                }
                if (run <= 8 && ip + 8 <= in.length && op + 8 <= outLength) {
                    LONGS.set(out, op, (long) LONGS.get(in, ip));
                } else {
                    System.arraycopy(in, ip, out, op, run);
                }
                ip += run;
                op += run;
            } else {
                int run = control >>> 5;
                if (run == 7) {
                    if (ip >= end) {
                        throw new IllegalArgumentException("LZF reference cut short");
                    }
                    run += in[ip++] & 0xff;
                }
                if (ip >= end) {
                    throw new IllegalArgumentException("LZF reference cut short");
                }
                int from = op - ((control & 0x1f) << 8) - (in[ip++] & 0xff) - 1;
                run += 2;
                if (from < 0 || op + run > outLength) {
                    throw new IllegalArgumentException("LZF reference out of range");
                }
                if (op - from >= 8 && op + run + 7 <= outLength) {
                    // Eight bytes at a time: each read is of bytes written before it, as a reference means.
                    for (int copied = 0; copied < run; copied += 8) {
                        LONGS.set(out, op + copied, (long) LONGS.get(out, from + copied));
                    }
                    op += run;
                } else if (op - from >= run) {
                    System.arraycopy(out, from, out, op, run);
                    op += run;
                } else {
                    // The reference overlaps what it produces (a repeated pattern): byte by byte.
                    for (int i = 0; i < run; i++) {
                        out[op++] = out[from++];
                    }
                }
            }
        }
        if (op != outLength) {
            throw new IllegalArgumentException("LZF data decompresses to " + op + " bytes, not " + outLength);
        }
    }
}
