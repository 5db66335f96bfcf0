package io.postbox.commands.connection;

import java.nio.charset.StandardCharsets;

/**
 * C's {@code strtod} as Redis uses it where it ignores errors (DEBUG SLEEP): the value of the longest
 * prefix that reads as a decimal number, {@code inf} or {@code nan}, and 0 when there is none.
 * Hexadecimal floats are not read (strtod would): "0x10" is 0 here.
 */
final class CDouble {

    private CDouble() {
    }

    static double strtod(byte[] text) {
        int i = 0;
        while (i < text.length && isSpace(text[i])) {
            i++;
        }
        int start = i;
        boolean negative = false;
        if (i < text.length && (text[i] == '+' || text[i] == '-')) {
            negative = text[i] == '-';
            i++;
        }
        if (startsWithIgnoreCase(text, i, "inf")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (startsWithIgnoreCase(text, i, "nan")) {
            return Double.NaN;
        }
        int digits = 0;
        while (i < text.length && isDigit(text[i])) {
            i++;
            digits++;
        }
        if (i < text.length && text[i] == '.') {
            i++;
            while (i < text.length && isDigit(text[i])) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return 0;
        }
        if (i < text.length && (text[i] == 'e' || text[i] == 'E')) {
            int exponent = i + 1;
            if (exponent < text.length && (text[exponent] == '+' || text[exponent] == '-')) {
                exponent++;
            }
            if (exponent < text.length && isDigit(text[exponent])) {
                while (exponent < text.length && isDigit(text[exponent])) {
                    exponent++;
                }
                i = exponent;
            }
        }
        return Double.parseDouble(new String(text, start, i - start, StandardCharsets.ISO_8859_1));
    }

    private static boolean startsWithIgnoreCase(byte[] text, int at, String lowerWord) {
        if (text.length - at < lowerWord.length()) {
            return false;
        }
        for (int i = 0; i < lowerWord.length(); i++) {
            int b = text[at + i];
            if ((b | 0x20) != lowerWord.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** C's isspace in the C locale. */
    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }
}
