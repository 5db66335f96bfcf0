package io.postbox.commands.sort;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * The number a SORT element or BY value reads as in numeric sorting: C's {@code strtod} as glibc
 * reads it, with SORT's checks. The text counts up to its first NUL byte (C's view of it); leading
 * white space is skipped; then a decimal or hexadecimal float (exponent optional), {@code inf} or
 * {@code infinity} must make up all of it. Empty text reads as 0: strtod reads nothing and leaves
 * its end at the start, which is the end of the text (not so for text of only spaces).
 *
 * <p>Refused (null), as Redis refuses them with "One or more scores can't be converted into double":
 * trailing text, NaN, and what glibc flags as out of range: a finite text that overflows, a nonzero
 * one that rounds to zero, and one whose value is subnormal and not exactly representable.
 */
final class SortWeight {

    private SortWeight() {
    }

    static Double parse(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        String text = new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
        int i = 0;
        while (i < text.length() && isSpace(text.charAt(i))) {
            i++;
        }
        if (text.isEmpty()) {
            return 0.0; // nothing read: strtod gives 0 and leaves the end at the (empty) start
        }
        if (i == text.length()) {
            return null; // nothing read, and the end is left at the first space
        }
        boolean negative = false;
        if (text.charAt(i) == '+' || text.charAt(i) == '-') {
            negative = text.charAt(i) == '-';
            i++;
        }
        String rest = text.substring(i);
        if (rest.equalsIgnoreCase("inf") || rest.equalsIgnoreCase("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        boolean hex = rest.length() > 2 && rest.charAt(0) == '0' && (rest.charAt(1) | 0x20) == 'x'
                && isDigitOrPoint(rest, 2, 16);
        Number number = hex ? hexadecimal(rest.substring(2)) : decimal(rest);
        if (number == null) {
            return null;
        }
        double value = number.value;
        if (Double.isInfinite(value)) {
            return null;
        }
        if (number.exact.signum() != 0) {
            double magnitude = Math.abs(value);
            if (magnitude == 0 || (magnitude < Double.MIN_NORMAL
                    && new BigDecimal(magnitude).compareTo(number.exact) != 0)) {
                return null;
            }
        }
        return negative ? -value : value;
    }

    /** A parsed magnitude: its exact value (a nonzero stand-in when far out of range) and the nearest double. */
    private record Number(BigDecimal exact, double value) {
    }

    /** Digits with at most one point, at least one digit, then an optional exponent; nothing after. */
    private static Number decimal(String text) {
        return number(text, 10, 'e');
    }

    /** Hex digits with at most one point (after "0x"), then an optional binary exponent; nothing after. */
    private static Number hexadecimal(String text) {
        return number(text, 16, 'p');
    }

    /**
     * The mantissa in {@code radix} times 10 (decimal) or 2 (hexadecimal) to the exponent. Values
     * whose magnitude is far outside a double's range are not computed: they are infinity or zero.
     */
    private static Number number(String text, int radix, char exponentLetter) {
        int i = digitsAndPoint(text, 0, radix);
        if (i < 0 || exponent(text, i, exponentLetter) != text.length()) {
            return null;
        }
        String mantissa = text.substring(0, i);
        int point = mantissa.indexOf('.');
        String digits = point < 0 ? mantissa : mantissa.substring(0, point) + mantissa.substring(point + 1);
        long fractionDigits = point < 0 ? 0 : mantissa.length() - point - 1;
        BigInteger significand = new BigInteger(digits, radix);
        if (significand.signum() == 0) {
            return new Number(BigDecimal.ZERO, 0);
        }
        long exponent = i == text.length() ? 0 : clampedExponent(text.substring(i + 1));
        if (radix == 10) {
            long scale = exponent - fractionDigits;
            long magnitude = significand.toString().length() + scale;
            if (magnitude > 400 || magnitude < -400) {
                return new Number(BigDecimal.ONE, magnitude > 0 ? Double.POSITIVE_INFINITY : 0);
            }
            BigDecimal exact = new BigDecimal(significand, (int) -scale);
            return new Number(exact, Double.parseDouble(exact.toString()));
        }
        long scale = exponent - 4 * fractionDigits;
        long magnitude = significand.bitLength() + scale;
        if (magnitude > 1100 || magnitude < -1200) {
            return new Number(BigDecimal.ONE, magnitude > 0 ? Double.POSITIVE_INFINITY : 0);
        }
        BigDecimal exact = scale >= 0 ? new BigDecimal(significand.shiftLeft((int) scale))
                : new BigDecimal(significand.multiply(BigInteger.valueOf(5).pow((int) -scale)), (int) -scale);
        return new Number(exact, Double.parseDouble("0x" + digits + "p" + scale));
    }

    /** A signed decimal exponent, saturated far beyond where any double over- or underflows. */
    private static long clampedExponent(String text) {
        boolean negative = text.charAt(0) == '-';
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                value = Math.min(value * 10 + (c - '0'), 1_000_000);
            }
        }
        return negative ? -value : value;
    }

    /** The end of digits with at most one point starting at {@code from}, or -1 if there is no digit. */
    private static int digitsAndPoint(String text, int from, int radix) {
        int i = from;
        boolean point = false;
        boolean digit = false;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '.' && !point) {
                point = true;
            } else if (Character.digit(c, radix) >= 0 && c < 0x80) {
                digit = true;
            } else {
                break;
            }
            i++;
        }
        return digit ? i : -1;
    }

    private static boolean isDigitOrPoint(String text, int at, int radix) {
        return digitsAndPoint(text, at, radix) >= 0;
    }

    /** The end of an exponent ({@code e} or {@code p}, sign, digits) at {@code at}, or {@code at} if there is none. */
    private static int exponent(String text, int at, char letter) {
        if (at >= text.length() || (text.charAt(at) | 0x20) != letter) {
            return at;
        }
        int i = at + 1;
        if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            i++;
        }
        int digits = i;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i == digits ? at : i;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
