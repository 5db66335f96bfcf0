package io.postbox.commands.config;

/**
 * C's {@code strtoll} as the config parsers use it: optional leading white space, an optional sign,
 * digits in the given radix, and the whole text consumed. A text without digits is accepted only when
 * it is empty (strtoll then returns 0 with the end pointer on the terminator).
 */
final class CNumbers {

    private CNumbers() {
    }

    /**
     * The value of {@code text}, or null if characters are left over. On overflow the result is null
     * when {@code rejectOverflow} (callers that check errno), else it saturates as strtoll does.
     */
    static Long strtoll(String text, int radix, boolean rejectOverflow) {
        int i = 0;
        while (i < text.length() && isSpace(text.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            negative = text.charAt(i) == '-';
            i++;
        }
        int digitsStart = i;
        long value = 0;
        boolean overflow = false;
        for (; i < text.length(); i++) {
            int digit = Character.digit(text.charAt(i), radix);
            if (digit < 0 || text.charAt(i) > 'z') {
                break;
            }
            // Accumulate negatively so Long.MIN_VALUE fits.
            if (value < (Long.MIN_VALUE + digit) / radix) {
                overflow = true;
            } else {
                value = value * radix - digit;
            }
        }
        if (i == digitsStart) {
            return text.isEmpty() ? 0L : null;
        }
        if (i != text.length()) {
            return null;
        }
        if (!negative && value == Long.MIN_VALUE) {
            overflow = true;
        }
        if (overflow) {
            return rejectOverflow ? null : negative ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return negative ? value : -value;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
