package io.postbox.commands.streams;

import io.postbox.commands.Errors;
import io.postbox.commands.Numbers;
import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A stream entry ID: milliseconds and sequence, two unsigned 64-bit numbers, ordered as one 128-bit
 * unsigned number (ms first). Java longs hold them; every comparison is unsigned.
 */
public record StreamId(long ms, long seq) implements Comparable<StreamId> {

    public static final StreamId MIN = new StreamId(0, 0);
    public static final StreamId MAX = new StreamId(-1L, -1L);

    static final ErrorReply INVALID = Errors.err("Invalid stream ID specified as stream command argument");
    /** Redis copies an ID argument into a 128-byte buffer: longer ones are invalid. */
    private static final int MAX_TEXT = 127;

    @Override
    public int compareTo(StreamId other) {
        int byMs = Long.compareUnsigned(ms, other.ms);
        return byMs != 0 ? byMs : Long.compareUnsigned(seq, other.seq);
    }

    public boolean isZero() {
        return ms == 0 && seq == 0;
    }

    /** The next ID, or null after the last possible one. */
    public StreamId next() {
        if (seq != -1L) {
            return new StreamId(ms, seq + 1);
        }
        return ms == -1L ? null : new StreamId(ms + 1, 0);
    }

    /** The previous ID, or null before 0-0. */
    public StreamId previous() {
        if (seq != 0) {
            return new StreamId(ms, seq - 1);
        }
        return ms == 0 ? null : new StreamId(ms - 1, -1L);
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }

    public byte[] toBytes() {
        return toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A strict ID argument: {@code ms[-seq]}, a missing sequence being 0; "-" and "+" are invalid. */
    public static StreamId parseStrict(byte[] text) {
        return parse(text, 0, true);
    }

    /**
     * An ID argument as Redis's streamGenericParseIDOrReply reads it: "-" is 0-0 and "+" the largest ID
     * unless {@code strict}; {@code ms} alone takes {@code missingSeq}.
     */
    public static StreamId parse(byte[] text, long missingSeq, boolean strict) {
        if (text.length > MAX_TEXT) {
            throw INVALID;
        }
        if (text.length == 1 && (text[0] == '-' || text[0] == '+')) {
            if (strict) {
                throw INVALID;
            }
            return text[0] == '-' ? MIN : MAX;
        }
        int dash = indexOf(text, (byte) '-');
        if (dash < 0) {
            return new StreamId(unsigned(text, 0, text.length), missingSeq);
        }
        return new StreamId(unsigned(text, 0, dash), unsigned(text, dash + 1, text.length));
    }

    /** Whether an XADD ID argument is {@code ms-*}: the sequence is to be generated. */
    static boolean hasWildcardSeq(byte[] text) {
        int length = text.length;
        return length >= 2 && text[length - 1] == '*' && text[length - 2] == '-' && indexOf(text, (byte) '-') == length - 2;
    }

    static int indexOf(byte[] text, byte b) {
        for (int i = 0; i < text.length; i++) {
            if (text[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Redis's string2ull: a canonical non-negative long, or else what C's strtoull accepts whole (leading
     * blanks, a sign, digits; a '-' negates modulo 2^64; overflow is an error).
     */
    static long unsigned(byte[] text, int from, int to) {
        byte[] part = Arrays.copyOfRange(text, from, to);
        if (Numbers.isLong(part)) {
            long value = Numbers.parseLong(part);
            if (value < 0) {
                throw INVALID;
            }
            return value;
        }
        int i = from;
        while (i < to && isSpace(text[i])) {
            i++;
        }
        boolean negative = false;
        if (i < to && (text[i] == '+' || text[i] == '-')) {
            negative = text[i] == '-';
            i++;
        }
        if (i >= to) {
            throw INVALID;
        }
        long value = 0;
        for (; i < to; i++) {
            int digit = text[i] - '0';
            if (digit < 0 || digit > 9) {
                throw INVALID;
            }
            long high = Math.multiplyHigh(value, 10) + ((value >> 63) & 10);
            long times = value * 10;
            long sum = times + digit;
            if (high != 0 || Long.compareUnsigned(sum, times) < 0) {
                throw INVALID;
            }
            value = sum;
        }
        return negative ? -value : value;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }
}
