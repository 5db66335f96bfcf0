package io.postbox.commands;

/** Byte-level ASCII helpers for matching command words without decoding arguments. */
public final class Ascii {

    private Ascii() {
    }

    /** True if {@code bytes} spell {@code lowerWord} in any ASCII case; {@code lowerWord} is lower case. */
    public static boolean equalsIgnoreCase(byte[] bytes, String lowerWord) {
        return bytes.length == lowerWord.length() && startsWithIgnoreCase(bytes, lowerWord);
    }

    /**
     * As {@link #equalsIgnoreCase}, but reading {@code bytes} as a C string: from a NUL byte on they are
     * ignored. Redis compares many option words with strcasecmp on the argument, so {@code "nx\0junk"}
     * is NX there.
     */
    public static boolean equalsIgnoreCaseUpToNul(byte[] bytes, String lowerWord) {
        int length = lowerWord.length();
        if (bytes.length < length || (bytes.length > length && bytes[length] != 0)) {
            return false;
        }
        return startsWithIgnoreCase(bytes, lowerWord);
    }

    /** {@code text} with its ASCII letters in lower case and every other character kept, as C's tolower does. */
    public static String toLowerCase(String text) {
        StringBuilder lower = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            lower.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return lower.toString();
    }

    private static boolean startsWithIgnoreCase(byte[] bytes, String lowerWord) {
        for (int i = 0; i < lowerWord.length(); i++) {
            int b = bytes[i];
            if (b >= 'A' && b <= 'Z') {
                b += 32;
            }
            if (b != lowerWord.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
