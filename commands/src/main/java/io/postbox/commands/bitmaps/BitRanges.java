package io.postbox.commands.bitmaps;

import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.keyspace.GrowingString;
import io.postbox.resp.ErrorReply;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * BITCOUNT and BITPOS: the set bits of a string, or the first set or clear one, within an optional
 * range of bytes or (Redis 7's BIT option) of bits. Ranges count from the end when negative and are
 * clamped to the string as Redis clamps them; both commands work bit by bit over the range the clamping
 * leaves, [first, last] in bits.
 */
final class BitRanges {

    private static final ErrorReply BAD_BIT = Errors.err("The bit argument must be 1 or 0.");
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private BitRanges() {
    }

    /** BITCOUNT key [start end [BYTE | BIT]]: a missing key counts 0, before any argument is looked at. */
    static void bitcount(Invocation call) {
        Object string = call.db().getString(call.arg(1));
        if (string == null) {
            call.reply().integer(0);
            return;
        }
        if (call.argc() != 2 && call.argc() != 4 && call.argc() != 5) {
            throw Errors.SYNTAX;
        }
        int length = GrowingString.length(string);
        long[] range = {0, (long) length * 8 - 1};
        if (call.argc() > 2) {
            long start = call.longArg(2);
            long end = call.longArg(3);
            if (start < 0 && end < 0 && start > end) {
                call.reply().integer(0);
                return;
            }
            range = clamp(start, end, length, call.argc() == 5 && inBits(call, 4));
        }
        call.reply().integer(count(GrowingString.bytesOf(string), range[0], range[1]));
    }

    /**
     * BITPOS key bit [start [end [BYTE | BIT]]]: the first bit of the value asked for in the range, or
     * -1. A missing key is all zero bits. Looking for a 0 without an end, the string reads as followed
     * by zero bits: all ones gives the bit just past the range.
     */
    static void bitpos(Invocation call) {
        long bit = call.longArg(2);
        if (bit != 0 && bit != 1) {
            throw BAD_BIT;
        }
        Object string = call.db().getString(call.arg(1));
        if (string == null) {
            call.reply().integer(bit == 1 ? -1 : 0);
            return;
        }
        if (call.argc() > 6) {
            throw Errors.SYNTAX;
        }
        int length = GrowingString.length(string);
        long[] range = {0, (long) length * 8 - 1};
        boolean endGiven = call.argc() >= 5;
        if (call.argc() > 3) {
            long start = call.longArg(3);
            boolean bits = call.argc() == 6 && inBits(call, 5);
            long end = endGiven ? call.longArg(4) : bits ? (long) length * 8 - 1 : length - 1;
            range = clamp(start, end, length, bits);
        }
        if (range[0] > range[1]) {
            call.reply().integer(-1);
            return;
        }
        long found = find(GrowingString.bytesOf(string), range[0], range[1], bit == 1);
        if (found == -1 && bit == 0 && !endGiven) {
            found = range[1] + 1;
        }
        call.reply().integer(found);
    }

    /** Whether argument {@code i} is BIT (else BYTE, or a syntax error). */
    private static boolean inBits(Invocation call, int i) {
        if (call.argIs(i, "bit")) {
            return true;
        }
        if (call.argIs(i, "byte")) {
            return false;
        }
        throw Errors.SYNTAX;
    }

    /**
     * The range [start, end] (in bits, or in bytes unless {@code bits}) of a string of {@code length}
     * bytes as Redis clamps it, in bits: {@code first > last} when it is empty.
     */
    private static long[] clamp(long start, long end, int length, boolean bits) {
        long total = bits ? (long) length * 8 : length;
        if (start < 0) {
            start = Math.max(total + start, 0);
        }
        if (end < 0) {
            end = Math.max(total + end, 0);
        }
        end = Math.min(end, total - 1);
        if (start > end) {
            return new long[] {0, -1};
        }
        return bits ? new long[] {start, end} : new long[] {start * 8, end * 8 + 7};
    }

    /** The set bits from bit {@code first} to bit {@code last}, both included. */
    private static long count(byte[] bytes, long first, long last) {
        if (first > last) {
            return 0;
        }
        int firstByte = (int) (first >>> 3);
        int lastByte = (int) (last >>> 3);
        long count = 0;
        int i = firstByte;
        // Eight bytes at a time: the JIT turns Long.bitCount into one POPCNT instruction.
        for (; i + Long.BYTES <= lastByte + 1; i += Long.BYTES) {
            count += Long.bitCount((long) LONGS.get(bytes, i));
        }
        for (; i <= lastByte; i++) {
            count += Integer.bitCount(bytes[i] & 0xFF);
        }
        // Less the bits of the edge bytes that lie outside the range.
        count -= Integer.bitCount(bytes[firstByte] & 0xFF & ~(0xFF >>> (first & 7)));
        count -= Integer.bitCount(bytes[lastByte] & (0x7F >>> (last & 7)));
        return count;
    }

    /** The first bit equal to {@code set} from bit {@code first} to bit {@code last}, or -1. */
    private static long find(byte[] bytes, long first, long last, boolean set) {
        int flip = set ? 0 : 0xFF;
        int firstByte = (int) (first >>> 3);
        int lastByte = (int) (last >>> 3);
        for (int i = firstByte; i <= lastByte; i++) {
            int candidates = (bytes[i] ^ flip) & 0xFF;
            if (i == firstByte) {
                candidates &= 0xFF >>> (first & 7);
            }
            if (i == lastByte) {
                candidates &= ~(0x7F >>> (last & 7));
            }
            if (candidates != 0) {
                return (long) i * 8 + Integer.numberOfLeadingZeros(candidates) - 24;
            }
        }
        return -1;
    }
}
