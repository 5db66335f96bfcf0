package io.postbox.commands.strings;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * A C {@code long double} the way INCRBYFLOAT, HINCRBYFLOAT and the blocking commands' timeouts meet
 * it in Redis on x86-64 Linux: the x87 80-bit extended format (a 64-bit significand; the smallest
 * subnormal is 2^-16445; 2^16384 and beyond overflow to infinity), read as glibc's strtold reads text,
 * added and multiplied with round-to-nearest-even, and printed as {@code %.17Lf} with trailing zeros
 * removed.
 *
 * <p>A finite value is held as the exact BigDecimal of its binary value, and every step rounds
 * exactly where the hardware and glibc round: the parse (correctly rounded, as glibc), the addition
 * (one rounding of the exact sum), and the printing (glibc's printf is exact and rounds ties to even).
 * So replies match an x86-64 Redis digit for digit, including values such as {@code 1e400} that a
 * double could not hold. They would differ from a Redis built where {@code long double} is another
 * format: 128-bit quad on Linux ARM64, or plain double on some platforms.
 *
 * <p>Infinity is one value here: INCRBYFLOAT rejects both an infinite and a NaN sum with the same
 * error, and a timeout of either sign converts to the same negative integer, so neither its sign nor
 * NaN need telling apart.
 */
public final class LongDouble {

    /** Redis's MAX_LONG_DOUBLE_CHARS: it refuses to parse text this long or longer. */
    static final int MAX_TEXT_LENGTH = 5 * 1024;

    private static final int SIGNIFICAND_BITS = 64;
    /** Exponent of the least significant bit of the smallest subnormal. */
    private static final int MIN_BIT_EXPONENT = -16445;
    /** 2^16384 is the first power of two the format cannot hold. */
    private static final int OVERFLOW_BIT_EXPONENT = 16384;
    /**
     * Decimal and binary magnitudes beyond which a parsed value certainly rounds to zero or
     * overflows, so the exact arithmetic is never asked to build absurdly large numbers.
     */
    private static final long DECIMAL_UNDERFLOW = -4952;
    private static final long DECIMAL_OVERFLOW = 4933;
    private static final long BINARY_UNDERFLOW = MIN_BIT_EXPONENT - 2;
    private static final long BINARY_OVERFLOW = OVERFLOW_BIT_EXPONENT;
    /** Exponent digits beyond this magnitude cannot matter, so they saturate here. */
    private static final long EXPONENT_CAP = 1_000_000;

    public static final LongDouble ZERO = new LongDouble(BigDecimal.ZERO);
    private static final LongDouble INFINITY = new LongDouble(null);

    /** The exact value; null for infinity. */
    private final BigDecimal value;

    private LongDouble(BigDecimal value) {
        this.value = value;
    }

    /**
     * The value of {@code text} as Redis's string2ld reads it, or null where Redis answers "not a
     * valid float": empty or too long text, anything strtold does not consume entirely (leading or
     * trailing spaces, NUL bytes, a dangling exponent), NaN, and finite text that overflows or
     * underflows to zero. {@code inf} and {@code infinity} are accepted and give infinity.
     */
    public static LongDouble parse(byte[] text) {
        if (text.length == 0 || text.length >= MAX_TEXT_LENGTH) {
            return null;
        }
        return new Parser(text).parse();
    }

    /** The rounded sum; may be infinite. */
    public LongDouble plus(LongDouble other) {
        if (!isFinite() || !other.isFinite()) {
            return INFINITY;
        }
        return round(value.add(other.value));
    }

    /** The rounded product with the integer {@code factor}; may be infinite. */
    public LongDouble times(long factor) {
        if (!isFinite()) {
            return INFINITY;
        }
        return round(value.multiply(BigDecimal.valueOf(factor)));
    }

    /**
     * C's {@code (long long) ceill(x)} on x86-64: the smallest integer not below this value, or
     * {@link Long#MIN_VALUE} (the x87 "integer indefinite" result) when that does not fit in a long,
     * infinity included.
     */
    public long ceilToLong() {
        if (!isFinite()) {
            return Long.MIN_VALUE;
        }
        BigInteger ceiling = value.setScale(0, RoundingMode.CEILING).toBigIntegerExact();
        return ceiling.bitLength() < Long.SIZE ? ceiling.longValue() : Long.MIN_VALUE;
    }

    public boolean isFinite() {
        return value != null;
    }

    /** {@code %.17Lf} without trailing zeros (nor a bare trailing point), and "-0" printed as "0". */
    public byte[] toHumanBytes() {
        if (value == null) {
            throw new IllegalStateException("infinity has no human form");
        }
        // BigDecimal has no negative zero, so a negative value that rounds to zero already prints "0".
        String fixed = value.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int end = fixed.length();
        while (fixed.charAt(end - 1) == '0') {
            end--;
        }
        if (fixed.charAt(end - 1) == '.') {
            end--;
        }
        return fixed.substring(0, end).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return value == null ? "inf" : new String(toHumanBytes(), StandardCharsets.US_ASCII);
    }

    /**
     * The exact value rounded to the nearest long double, ties to even; infinity on overflow, zero on
     * total underflow.
     */
    private static LongDouble round(BigDecimal exact) {
        if (exact.signum() == 0) {
            return ZERO;
        }
        BigInteger numerator = exact.unscaledValue().abs();
        BigInteger denominator = BigInteger.ONE;
        if (exact.scale() > 0) {
            denominator = BigInteger.TEN.pow(exact.scale());
        } else {
            numerator = numerator.multiply(BigInteger.TEN.pow(-exact.scale()));
        }
        // The exponent of the leading bit: 2^lead <= numerator/denominator < 2^(lead+1).
        int lead = numerator.bitLength() - denominator.bitLength();
        if (scaledCompare(numerator, denominator, lead) < 0) {
            lead--;
        }
        int lsb = Math.max(lead - (SIGNIFICAND_BITS - 1), MIN_BIT_EXPONENT);
        BigInteger significand = divideHalfEven(
                lsb < 0 ? numerator.shiftLeft(-lsb) : numerator,
                lsb > 0 ? denominator.shiftLeft(lsb) : denominator);
        if (significand.signum() == 0) {
            return ZERO;
        }
        if (significand.bitLength() + lsb > OVERFLOW_BIT_EXPONENT) {
            return INFINITY;
        }
        BigDecimal rounded = times2ToThe(significand, lsb);
        return new LongDouble(exact.signum() < 0 ? rounded.negate() : rounded);
    }

    /** Compares numerator/denominator with 2^exponent. */
    private static int scaledCompare(BigInteger numerator, BigInteger denominator, int exponent) {
        return exponent >= 0
                ? numerator.compareTo(denominator.shiftLeft(exponent))
                : numerator.shiftLeft(-exponent).compareTo(denominator);
    }

    private static BigInteger divideHalfEven(BigInteger numerator, BigInteger denominator) {
        BigInteger[] qr = numerator.divideAndRemainder(denominator);
        int half = qr[1].shiftLeft(1).compareTo(denominator);
        if (half > 0 || (half == 0 && qr[0].testBit(0))) {
            return qr[0].add(BigInteger.ONE);
        }
        return qr[0];
    }

    /** {@code significand * 2^exponent}, exactly: a negative power of two is 5^n / 10^n. */
    private static BigDecimal times2ToThe(BigInteger significand, long exponent) {
        if (exponent >= 0) {
            return new BigDecimal(significand.shiftLeft((int) exponent));
        }
        int n = (int) -exponent;
        return new BigDecimal(significand.multiply(BigInteger.valueOf(5).pow(n)), n);
    }

    /**
     * strtold's grammar, required to cover the whole text: an optional sign, then {@code inf},
     * {@code infinity}, a hexadecimal float ({@code 0x1.8p3}, binary exponent optional) or a decimal
     * float ({@code 1.5e-3}); all case-insensitive. NaN in any spelling is refused.
     */
    private static final class Parser {
        private final byte[] text;
        private int pos;

        Parser(byte[] text) {
            this.text = text;
        }

        LongDouble parse() {
            boolean negative = false;
            if (peek() == '+' || peek() == '-') {
                negative = text[pos++] == '-';
            }
            if (restIs("inf") || restIs("infinity")) {
                return INFINITY;
            }
            boolean hex = peek() == '0' && (peekAt(1) == 'x' || peekAt(1) == 'X');
            if (hex) {
                pos += 2;
            }
            int radix = hex ? 16 : 10;
            StringBuilder digits = new StringBuilder();
            int fractionDigits = 0;
            boolean point = false;
            for (; pos < text.length; pos++) {
                int c = text[pos];
                if (c == '.' && !point) {
                    point = true;
                } else if (Character.digit(c, radix) >= 0) {
                    digits.append((char) c);
                    if (point) {
                        fractionDigits++;
                    }
                } else {
                    break;
                }
            }
            if (digits.length() == 0) {
                return null;
            }
            long exponent = 0;
            if (pos < text.length && (text[pos] | 0x20) == (hex ? 'p' : 'e')) {
                pos++;
                exponent = exponentDigits();
                if (exponent == Long.MIN_VALUE) {
                    return null;
                }
            }
            if (pos != text.length) {
                return null;
            }
            BigInteger significand = new BigInteger(digits.toString(), radix);
            LongDouble magnitude = hex
                    ? binary(significand, exponent - 4L * fractionDigits)
                    : decimal(significand, exponent - fractionDigits);
            if (magnitude == null || !negative || !magnitude.isFinite()) {
                return magnitude;
            }
            return new LongDouble(magnitude.value.negate());
        }

        /** significand * 10^exponent. */
        private static LongDouble decimal(BigInteger significand, long exponent) {
            if (significand.signum() == 0) {
                return ZERO;
            }
            long magnitude = significand.toString().length() - 1 + exponent;
            if (magnitude > DECIMAL_OVERFLOW || magnitude < DECIMAL_UNDERFLOW) {
                return null;
            }
            return rangeChecked(round(new BigDecimal(significand, (int) -exponent)));
        }

        /** significand * 2^exponent. */
        private static LongDouble binary(BigInteger significand, long exponent) {
            if (significand.signum() == 0) {
                return ZERO;
            }
            long magnitude = significand.bitLength() - 1 + exponent;
            if (magnitude > BINARY_OVERFLOW || magnitude < BINARY_UNDERFLOW) {
                return null;
            }
            return rangeChecked(round(times2ToThe(significand, exponent)));
        }

        /** strtold reports ERANGE for a nonzero text that overflows or rounds to zero: Redis refuses it. */
        private static LongDouble rangeChecked(LongDouble rounded) {
            return rounded.isFinite() && rounded.value.signum() != 0 ? rounded : null;
        }

        /** A signed decimal exponent, saturated; Long.MIN_VALUE if there are no digits. */
        private long exponentDigits() {
            boolean negative = false;
            if (peek() == '+' || peek() == '-') {
                negative = text[pos++] == '-';
            }
            int start = pos;
            long value = 0;
            while (pos < text.length && text[pos] >= '0' && text[pos] <= '9') {
                value = Math.min(value * 10 + (text[pos] - '0'), EXPONENT_CAP);
                pos++;
            }
            if (pos == start) {
                return Long.MIN_VALUE;
            }
            return negative ? -value : value;
        }

        private boolean restIs(String lowerWord) {
            if (text.length - pos != lowerWord.length()) {
                return false;
            }
            for (int i = 0; i < lowerWord.length(); i++) {
                if ((text[pos + i] | 0x20) != lowerWord.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private int peek() {
            return peekAt(0);
        }

        private int peekAt(int offset) {
            return pos + offset < text.length ? text[pos + offset] : -1;
        }
    }
}
