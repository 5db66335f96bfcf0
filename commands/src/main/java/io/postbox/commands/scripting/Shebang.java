package io.postbox.commands.scripting;

import io.postbox.commands.Errors;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;

/**
 * The first line of a script that starts with {@code #!}: the engine ({@code lua}) and the script's
 * flags ({@code #!lua flags=no-writes,allow-oom}). A script with a shebang declares its flags; one
 * without has none of these and runs as Redis 6's scripts did.
 *
 * @param declared whether the script has a shebang line
 * @param flags the flags it declares
 * @param bodyStart where the Lua code starts: the shebang line's newline, kept so line numbers hold
 */
record Shebang(boolean declared, Set<ScriptFlag> flags, int bodyStart) {

    static final Shebang NONE = new Shebang(false, EnumSet.noneOf(ScriptFlag.class), 0);

    /** The script's shebang, or an error in Redis's words if it is not a valid one. */
    static Shebang parse(byte[] script) {
        if (script.length < 2 || script[0] != '#' || script[1] != '!') {
            return NONE;
        }
        int end = 0;
        while (end < script.length && script[end] != '\n') {
            end++;
        }
        String line = new String(script, 0, end, StandardCharsets.ISO_8859_1);
        String[] parts = line.split(" ", -1);
        if (!parts[0].equals("#!lua")) {
            throw Errors.err("Unexpected engine in script shebang: " + parts[0]);
        }
        Set<ScriptFlag> flags = EnumSet.noneOf(ScriptFlag.class);
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                continue;
            }
            if (!part.startsWith("flags=")) {
                throw Errors.err("Unknown lua shebang option: " + part);
            }
            for (String name : part.substring("flags=".length()).split(",", -1)) {
                if (name.isEmpty()) {
                    continue;
                }
                ScriptFlag flag = ScriptFlag.named(name);
                if (flag == null) {
                    throw Errors.err("Unexpected flag in script shebang: " + name);
                }
                flags.add(flag);
            }
        }
        return new Shebang(true, flags, end);
    }

    boolean has(ScriptFlag flag) {
        return flags.contains(flag);
    }
}
