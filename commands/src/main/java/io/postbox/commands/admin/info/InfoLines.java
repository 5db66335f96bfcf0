package io.postbox.commands.admin.info;

import java.util.Locale;

/** INFO text being built: {@code name:value} lines ending in CRLF. */
final class InfoLines {

    private final StringBuilder text = new StringBuilder();

    InfoLines field(String name, Object value) {
        text.append(name).append(':').append(value).append("\r\n");
        return this;
    }

    /** A value printed as C's {@code %.2f}. */
    InfoLines twoDecimals(String name, double value) {
        return field(name, String.format(Locale.ROOT, "%.2f", value));
    }

    @Override
    public String toString() {
        return text.toString();
    }

    /** A byte count as Redis's bytesToHuman prints it: 512B, 894.91K, 6.42M, 23.54G... */
    static String human(long bytes) {
        if (bytes < 0) {
            return Long.toUnsignedString(bytes) + "B";
        }
        String[] units = {"K", "M", "G", "T", "P"};
        if (bytes < 1024) {
            return bytes + "B";
        }
        double scaled = bytes;
        for (String unit : units) {
            scaled /= 1024;
            if (scaled < 1024) {
                return String.format(Locale.ROOT, "%.2f%s", scaled, unit);
            }
        }
        return bytes + "B";
    }
}
