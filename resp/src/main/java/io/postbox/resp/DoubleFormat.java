package io.postbox.resp;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Formats doubles as C's {@code printf("%.17g")} does, which is how Redis 7.0 writes scores and other
 * doubles in replies: 17 significant digits, trailing zeros dropped, exponent form below 1e-4 and at or
 * above 1e17, and {@code inf}, {@code -inf}, {@code nan} for the special values.
 */
public final class DoubleFormat {

    private static final MathContext SEVENTEEN_DIGITS = new MathContext(17, RoundingMode.HALF_EVEN);
    /** 2^53: every integer below it is a double, printed exactly by both routes. */
    private static final double INTEGRAL_LIMIT = 9007199254740992.0;

    private DoubleFormat() {
    }

    public static byte[] g17Bytes(double value) {
        return g17(value).getBytes(StandardCharsets.US_ASCII);
    }

    public static String g17(double value) {
        // An integer below 2^53 in magnitude has at most 16 digits: %.17g prints it whole, and so
        // does Long.toString, without the exact decimal expansion (scores are often timestamps).
        if (value != 0 && value == (long) value && Math.abs(value) < INTEGRAL_LIMIT) {
            return Long.toString((long) value);
        }
        return g(value, SEVENTEEN_DIGITS);
    }

    /**
     * {@code %.<digits>f}: C's fixed format, with {@code digits} digits after the point: the exact
     * binary value rounded, ties to even, and the sign of a negative value that rounds to zero kept.
     */
    public static String fixed(double value, int digits) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return g(value, SEVENTEEN_DIGITS);
        }
        String sign = Double.doubleToRawLongBits(value) < 0 ? "-" : "";
        long scaled = scaledExactly(Math.abs(value), digits);
        if (scaled < 0) {
            // BigDecimal has no negative zero, so the sign goes on separately.
            return sign + new BigDecimal(Math.abs(value)).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
        }
        String whole = Long.toString(scaled);
        if (whole.length() <= digits) {
            whole = "0".repeat(digits + 1 - whole.length()) + whole;
        }
        int point = whole.length() - digits;
        return sign + whole.substring(0, point) + (digits > 0 ? "." + whole.substring(point) : "");
    }

    /**
     * {@code %.17Lf} with trailing zeros (and a bare point) removed, and "-0" printed as "0": how Redis
     * prints a double as a long double in its "human" form (GEOPOS's coordinates).
     */
    public static String human(double value) {
        String fixed = fixed(value, 17);
        int end = fixed.length();
        while (fixed.charAt(end - 1) == '0') {
            end--;
        }
        if (fixed.charAt(end - 1) == '.') {
            end--;
        }
        String trimmed = fixed.substring(0, end);
        return trimmed.equals("-0") ? "0" : trimmed;
    }

    private static final long[] POWERS_OF_TEN = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L,
            10_000_000L, 100_000_000L, 1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L,
            10_000_000_000_000L, 100_000_000_000_000L, 1_000_000_000_000_000L, 10_000_000_000_000_000L,
            100_000_000_000_000_000L, 1_000_000_000_000_000_000L};

    /**
     * The non-negative finite {@code value} times 10^digits, rounded to an integer, ties to even, in
     * 128-bit integer arithmetic on its significand (BigDecimal costs microseconds, and GEO replies
     * print thousands of distances); -1 where that does not fit: values of 2^52 and more, or a result
     * of 2^63 and more.
     */
    private static long scaledExactly(double value, int digits) {
        long bits = Double.doubleToRawLongBits(value);
        int exponent = (int) (bits >>> 52);
        long significand = bits & ((1L << 52) - 1);
        if (exponent == 0) {
            exponent = 1;
        } else {
            significand |= 1L << 52;
        }
        // value = significand / 2^shift
        int shift = 1075 - exponent;
        if (shift <= 0 || digits >= POWERS_OF_TEN.length) {
            return -1;
        }
        long power = POWERS_OF_TEN[digits];
        long high = Math.multiplyHigh(significand, power);
        long low = significand * power;
        if (shift >= 128) {
            // The product is below 2^113, so below half of 2^shift: it rounds to zero.
            return 0;
        }
        long quotient;
        long remainderHigh;
        long remainderLow;
        long halfHigh;
        long halfLow;
        if (shift < 64) {
            if (high >>> shift != 0 || (high << (64 - shift) | low >>> shift) < 0) {
                return -1;
            }
            quotient = high << (64 - shift) | low >>> shift;
            remainderHigh = 0;
            remainderLow = low & ((1L << shift) - 1);
            halfHigh = 0;
            halfLow = 1L << (shift - 1);
        } else {
            int highShift = shift - 64;
            quotient = high >>> highShift;
            remainderHigh = highShift == 0 ? 0 : high & ((1L << highShift) - 1);
            remainderLow = low;
            halfHigh = highShift == 0 ? 0 : 1L << (highShift - 1);
            halfLow = highShift == 0 ? 1L << 63 : 0;
        }
        int versusHalf = remainderHigh != halfHigh ? Long.compareUnsigned(remainderHigh, halfHigh)
                : Long.compareUnsigned(remainderLow, halfLow);
        if (versusHalf > 0 || (versusHalf == 0 && (quotient & 1) == 1)) {
            quotient++;
        }
        return quotient < 0 ? -1 : quotient;
    }

    /** {@code %.<precision>g}: C's general format with the given number of significant digits. */
    public static String g(double value, MathContext precision) {
        if (Double.isNaN(value)) {
            // C prints a NaN's sign bit: Lua's 0/0 is a negative NaN on x86, which Redis shows as "-nan".
            return Double.doubleToRawLongBits(value) < 0 ? "-nan" : "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return (1 / value < 0) ? "-0" : "0";
        }
        // BigDecimal(double) is the exact binary value, so rounding it is exactly what glibc does.
        BigDecimal rounded = new BigDecimal(value).round(precision);
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= precision.getPrecision()) {
            BigDecimal mantissa = rounded.movePointLeft(exponent);
            String digits = stripZeros(mantissa.toPlainString());
            String sign = exponent < 0 ? "-" : "+";
            int magnitude = Math.abs(exponent);
            return digits + "e" + sign + (magnitude < 10 ? "0" : "") + magnitude;
        }
        return stripZeros(rounded.toPlainString());
    }

    private static String stripZeros(String plain) {
        if (plain.indexOf('.') < 0) {
            return plain;
        }
        int end = plain.length();
        while (plain.charAt(end - 1) == '0') {
            end--;
        }
        if (plain.charAt(end - 1) == '.') {
            end--;
        }
        return plain.substring(0, end);
    }
}
