package io.postbox.commands.scripting;

import io.postbox.commands.config.ConfigSyntax;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code #!} line of a script or a library, read as Redis reads it: the line ends at the first
 * newline, looked for in a C string (a NUL byte before it means there is none); its words are split
 * as {@code sdssplitargs} splits them (any white space, {@code \r} included, and quotes); and a word
 * Redis compares or prints with C string functions counts only up to its first NUL ({@link #text}).
 */
final class FirstLine {

    private FirstLine() {
    }

    /** Where the first line of {@code code} ends (its newline), or -1 if it has none before a NUL or the end. */
    static int end(byte[] code) {
        for (int i = 0; i < code.length && code[i] != 0; i++) {
            if (code[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The words of {@code code[0, end)}, each whole (NULs kept), or null if its quotes do not balance. */
    static List<String> words(byte[] code, int end) {
        // A config file's line is split the same way (sdssplitargs).
        return ConfigSyntax.words(new String(code, 0, end, StandardCharsets.ISO_8859_1));
    }

    /** {@code word} up to its first NUL: what {@code strcmp} compares and {@code %s} prints. */
    static String text(String word) {
        int nul = word.indexOf('\0');
        return nul < 0 ? word : word.substring(0, nul);
    }
}
