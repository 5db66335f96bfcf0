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

    /** {@code %.<digits>f}: C's fixed format, with {@code digits} digits after the point. */
    public static String fixed(double value, int digits) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return g(value, SEVENTEEN_DIGITS);
        }
        String plain = new BigDecimal(value).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
        // BigDecimal has no negative zero; C keeps the sign of a negative value that rounds to zero.
        boolean negative = value < 0 || 1 / value < 0;
        return negative && plain.charAt(0) != '-' ? "-" + plain : plain;
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
