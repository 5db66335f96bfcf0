package io.postbox.commands.config;

import java.util.Locale;

/**
 * Memory sizes as redis.conf writes them: a number with an optional unit, where {@code k}, {@code m}
 * and {@code g} are powers of 1000 and {@code kb}, {@code mb} and {@code gb} powers of 1024, in any
 * case. Values are unsigned 64-bit, held in a {@code long}.
 */
public final class MemoryUnits {

    private static final long KB = 1024;
    private static final long MB = 1024 * KB;
    private static final long GB = 1024 * MB;

    private MemoryUnits() {
    }

    /**
     * The byte count {@code text} names, or null if it is not a memory value. As Redis's memtoull: a
     * leading '-' is refused, an empty number counts as 0, a number too large for 64 bits saturates,
     * and the multiplication by the unit wraps.
     */
    public static Long parse(String text) {
        if (text.startsWith("-")) {
            return null;
        }
        int unitStart = 0;
        while (unitStart < text.length() && text.charAt(unitStart) >= '0' && text.charAt(unitStart) <= '9') {
            unitStart++;
        }
        long multiplier;
        switch (text.substring(unitStart).toLowerCase(Locale.ROOT)) {
            case "", "b" -> multiplier = 1;
            case "k" -> multiplier = 1000;
            case "kb" -> multiplier = KB;
            case "m" -> multiplier = 1000 * 1000;
            case "mb" -> multiplier = MB;
            case "g" -> multiplier = 1000L * 1000 * 1000;
            case "gb" -> multiplier = GB;
            default -> {
                return null;
            }
        }
        if (unitStart >= 128) {
            return null;
        }
        long value = 0;
        for (int i = 0; i < unitStart; i++) {
            int digit = text.charAt(i) - '0';
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - digit, 10)) > 0) {
                value = -1L;
                break;
            }
            value = value * 10 + digit;
        }
        return value * multiplier;
    }

    /** How CONFIG REWRITE writes a byte count: in gb, mb or kb when it is an exact multiple. */
    public static String forFile(long bytes) {
        if (bytes != 0 && bytes % GB == 0) {
            return bytes / GB + "gb";
        } else if (bytes != 0 && bytes % MB == 0) {
            return bytes / MB + "mb";
        } else if (bytes != 0 && bytes % KB == 0) {
            return bytes / KB + "kb";
        }
        return Long.toUnsignedString(bytes);
    }
}
