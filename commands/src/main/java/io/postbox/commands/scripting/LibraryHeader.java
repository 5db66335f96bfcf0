package io.postbox.commands.scripting;

import io.postbox.commands.Errors;
import java.nio.charset.StandardCharsets;

/**
 * The first line of a function library, {@code #!lua name=mylib}: the engine and the library's name,
 * checked as Redis checks them.
 *
 * @param name the library's name
 * @param bodyStart where the Lua code starts: the header's newline, kept so line numbers hold
 */
record LibraryHeader(String name, int bodyStart) {

    static LibraryHeader parse(byte[] code) {
        if (code.length < 2 || code[0] != '#' || code[1] != '!') {
            throw Errors.err("Missing library metadata");
        }
        int end = 0;
        while (end < code.length && code[end] != '\n') {
            end++;
        }
        String[] parts = new String(code, 0, end, StandardCharsets.ISO_8859_1).split(" ", -1);
        String engine = parts[0].substring(2);
        if (!engine.equals("lua")) {
            throw Errors.err("Engine '" + engine + "' not found");
        }
        String name = null;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].isEmpty()) {
                continue;
            }
            if (!parts[i].startsWith("name=")) {
                throw Errors.err("Invalid metadata value given: " + parts[i]);
            }
            if (name != null) {
                throw Errors.err("Invalid metadata value, name argument was given multiple times");
            }
            name = parts[i].substring("name=".length());
        }
        if (name == null) {
            throw Errors.err("Library name was not given");
        }
        if (!validName(name)) {
            throw Errors.err(INVALID_NAME);
        }
        return new LibraryHeader(name, end);
    }

    /** Redis's text for a bad library name, and for a bad function name too. */
    static final String INVALID_NAME = "Library names can only contain letters, numbers, or underscores(_) and must be"
            + " at least one character long";

    /** Letters, digits and underscores, at least one. */
    static boolean validName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
