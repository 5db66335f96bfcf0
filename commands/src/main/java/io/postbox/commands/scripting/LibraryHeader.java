package io.postbox.commands.scripting;

import io.postbox.commands.Errors;
import java.util.List;

/**
 * The first line of a function library, {@code #!lua name=mylib}: the engine and the library's name,
 * checked as Redis checks them.
 *
 * @param name the library's name
 * @param bodyStart where the Lua code starts: the header's newline, kept so line numbers hold
 */
record LibraryHeader(String name, int bodyStart) {

    /**
     * The header of {@code code}, or an error in Redis's words. As in Redis, the name is checked
     * before the engine, and the engine's name in any case ({@code #!LUA} is Lua too).
     */
    static LibraryHeader parse(byte[] code) {
        if (code.length < 2 || code[0] != '#' || code[1] != '!') {
            throw Errors.err("Missing library metadata");
        }
        int end = FirstLine.end(code);
        List<String> words = end < 0 ? null : FirstLine.words(code, end);
        if (words == null || words.isEmpty()) {
            throw Errors.err("Invalid library metadata");
        }
        String engine = words.get(0).substring(2);
        String name = null;
        for (String option : words.subList(1, words.size())) {
            if (!FirstLine.text(option).regionMatches(true, 0, "name=", 0, "name=".length())) {
                throw Errors.err("Invalid metadata value given: " + FirstLine.text(option));
            }
            if (name != null) {
                throw Errors.err("Invalid metadata value, name argument was given multiple times");
            }
            name = option.substring("name=".length());
        }
        if (name == null) {
            throw Errors.err("Library name was not given");
        }
        if (!validName(name)) {
            throw Errors.err(INVALID_NAME);
        }
        if (!engine.equalsIgnoreCase("lua")) {
            throw Errors.err("Engine '" + engine + "' not found");
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
