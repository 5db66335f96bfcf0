package io.postbox.commands.zsets;

import java.nio.charset.StandardCharsets;

/**
 * C's {@code strtod} as glibc implements it, over a byte string: skips leading white space, then reads
 * the longest prefix that is a decimal number ({@code 1.5e3}), a hexadecimal one ({@code 0x1.8p3},
 * {@code 0x10}), {@code inf}/{@code infinity} or {@code nan}/{@code nan(chars)}, any of them signed and
 * in any case. It reports where the number ended and whether the value overflowed or underflowed
 * (C's {@code errno = ERANGE}), which is all Redis looks at. A NUL byte ends the text, as it ends a C
 * string. Rounding is to nearest, as glibc's; Java's parser rounds the same way.
 *
 * @param value the number read; 0 when nothing was read
 * @param end   the index just after the number; where reading started when nothing was read
 * @param range true where glibc sets ERANGE and the result is one Redis refuses: infinite from
 *              finite digits (overflow), or zero from non-zero digits (underflow). A subnormal result
 *              raises ERANGE too, but Redis keeps it, so it is not flagged here.
 */
record Strtod(double value, int end, boolean range) {

    /** Integers of up to 15 digits are below 2^53, so they are doubles exactly. */
    private static final int EXACT_DIGITS = 15;

    static Strtod parse(byte[] text, int from) {
        int i = from;
        while (i < text.length && isSpace(text[i])) {
            i++;
        }
        int numberStart = i;
        boolean negative = false;
        if (i < text.length && (text[i] == '+' || text[i] == '-')) {
            negative = text[i] == '-';
            i++;
        }
        double sign = negative ? -1 : 1;
        if (matches(text, i, "inf")) {
            int end = matches(text, i, "infinity") ? i + 8 : i + 3;
            return new Strtod(sign * Double.POSITIVE_INFINITY, end, false);
        }
        if (matches(text, i, "nan")) {
            return new Strtod(Double.NaN, nanEnd(text, i + 3), false);
        }
        if (i + 1 < text.length && text[i] == '0' && (text[i + 1] == 'x' || text[i + 1] == 'X')) {
            Strtod hex = hexadecimal(text, numberStart, i + 2);
            if (hex != null) {
                return hex;
            }
            // "0x" with no hex digit after it is the number 0, and the 'x' is left unread.
            return new Strtod(sign * 0.0, i + 1, false);
        }
        Strtod number = decimal(text, numberStart, i);
        return number != null ? number : new Strtod(0, from, false);
    }

    /** Digits, an optional fraction and an optional exponent; null if there is no digit. */
    private static Strtod decimal(byte[] text, int numberStart, int digitsStart) {
        int i = digitsStart;
        boolean nonZero = false;
        int digits = 0;
        long integer = 0;
        while (i < text.length && isDigit(text[i])) {
            nonZero |= text[i] != '0';
            if (digits < EXACT_DIGITS) {
                integer = integer * 10 + (text[i] - '0');
            }
            i++;
            digits++;
        }
        boolean plainInteger = digits > 0 && digits <= EXACT_DIGITS
                && (i == text.length || (text[i] != '.' && (text[i] | 0x20) != 'e'));
        if (plainInteger) {
            // Exact as a double, so no rounding to do: the common case of timestamps and counters.
            double value = integer;
            return new Strtod(text[numberStart] == '-' ? -value : value, i, false);
        }
        if (i < text.length && text[i] == '.') {
            i++;
            while (i < text.length && isDigit(text[i])) {
                nonZero |= text[i] != '0';
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return null;
        }
        i = exponentEnd(text, i, 'e');
        double value = Double.parseDouble(new String(text, numberStart, i - numberStart, StandardCharsets.ISO_8859_1));
        return new Strtod(value, i, outOfRange(value, nonZero));
    }

    /** {@code 0x} was read; hex digits with an optional fraction, then an optional binary exponent. */
    private static Strtod hexadecimal(byte[] text, int numberStart, int digitsStart) {
        int i = digitsStart;
        boolean nonZero = false;
        int digits = 0;
        while (i < text.length && Character.digit(text[i], 16) >= 0) {
            nonZero |= text[i] != '0';
            i++;
            digits++;
        }
        if (i < text.length && text[i] == '.') {
            i++;
            while (i < text.length && Character.digit(text[i], 16) >= 0) {
                nonZero |= text[i] != '0';
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return null;
        }
        int mantissaEnd = i;
        i = exponentEnd(text, i, 'p');
        String literal = new String(text, numberStart, mantissaEnd - numberStart, StandardCharsets.ISO_8859_1);
        // Java insists on a binary exponent in a hexadecimal literal; C does not.
        String exponent = i == mantissaEnd ? "p0"
                : new String(text, mantissaEnd, i - mantissaEnd, StandardCharsets.ISO_8859_1);
        double value = Double.parseDouble(literal + exponent);
        return new Strtod(value, i, outOfRange(value, nonZero));
    }

    /** Past an exponent marker, its optional sign and at least one digit; else {@code at} itself. */
    private static int exponentEnd(byte[] text, int at, char marker) {
        if (at >= text.length || (text[at] | 0x20) != marker) {
            return at;
        }
        int i = at + 1;
        if (i < text.length && (text[i] == '+' || text[i] == '-')) {
            i++;
        }
        if (i >= text.length || !isDigit(text[i])) {
            return at;
        }
        while (i < text.length && isDigit(text[i])) {
            i++;
        }
        return i;
    }

    /** {@code nan} may be followed by {@code (chars)} of letters, digits and underscores. */
    private static int nanEnd(byte[] text, int at) {
        if (at >= text.length || text[at] != '(') {
            return at;
        }
        int i = at + 1;
        while (i < text.length && (isDigit(text[i]) || isLetter(text[i]) || text[i] == '_')) {
            i++;
        }
        return i < text.length && text[i] == ')' ? i + 1 : at;
    }

    private static boolean outOfRange(double value, boolean nonZeroDigits) {
        return Double.isInfinite(value) || (nonZeroDigits && value == 0);
    }

    private static boolean matches(byte[] text, int at, String lowerWord) {
        if (text.length - at < lowerWord.length()) {
            return false;
        }
        for (int i = 0; i < lowerWord.length(); i++) {
            if ((text[at + i] | 0x20) != lowerWord.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetter(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** C's isspace in the C locale. */
    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }
}
