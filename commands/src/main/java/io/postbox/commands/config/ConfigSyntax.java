package io.postbox.commands.config;

import io.postbox.resp.InlineSplitter;
import io.postbox.resp.Repr;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The line syntax of redis.conf, both ways. Reading: a line is trimmed of spaces, tabs and line ends
 * and split into words as inline commands are (quotes, backslash escapes). Writing: a value is quoted
 * as Redis's sdscatrepr does (double quotes, backslash escapes for quotes and control characters,
 * {@code \xHH} for bytes that are not printable ASCII), so reading it back gives it unchanged.
 * Strings carry one byte per char (ISO-8859-1).
 */
public final class ConfigSyntax {

    private ConfigSyntax() {
    }

    /** The line without the spaces, tabs and line ends around it (Redis trims " \t\r\n"). */
    public static String trim(String line) {
        int start = 0;
        int end = line.length();
        while (start < end && " \t\r\n".indexOf(line.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && " \t\r\n".indexOf(line.charAt(end - 1)) >= 0) {
            end--;
        }
        return line.substring(start, end);
    }

    /** The words of a line, or null if its quotes are unbalanced. */
    public static List<String> words(String line) {
        List<byte[]> words = InlineSplitter.split(line.getBytes(StandardCharsets.ISO_8859_1), 0, line.length());
        if (words == null) {
            return null;
        }
        List<String> text = new ArrayList<>(words.size());
        for (byte[] word : words) {
            text.add(new String(word, StandardCharsets.ISO_8859_1));
        }
        return text;
    }

    public static String quote(String value) {
        return Repr.of(value);
    }
}
