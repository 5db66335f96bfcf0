package io.postbox.commands;

/** Byte-level ASCII helpers for matching command words without decoding arguments. */
public final class Ascii {

    private Ascii() {
    }

    /** True if {@code bytes} spell {@code lowerWord} in any ASCII case; {@code lowerWord} is lower case. */
    public static boolean equalsIgnoreCase(byte[] bytes, String lowerWord) {
        if (bytes.length != lowerWord.length()) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
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

    /** {@code bytes} as a one-char-per-byte string with a-z upper-cased and every other byte kept, as C's toupper. */
    public static String toUpperCase(byte[] bytes) {
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            chars[i] = (char) (b >= 'a' && b <= 'z' ? b - 32 : b);
        }
        return new String(chars);
    }
}
