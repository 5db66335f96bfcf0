package io.postbox.commands.config;

/**
 * Quotes a value so redis.conf's argument splitter reads it back unchanged, as Redis's sdscatrepr
 * does: double quotes, backslash escapes for quotes and control characters, {@code \xHH} for bytes
 * that are not printable ASCII. Strings carry one byte per char (ISO-8859-1).
 */
public final class ConfigQuoting {

    private ConfigQuoting() {
    }

    public static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 7 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                default -> {
                    if (c >= 0x20 && c <= 0x7e) {
                        out.append(c);
                    } else {
                        out.append(String.format("\\x%02x", c & 0xff));
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
