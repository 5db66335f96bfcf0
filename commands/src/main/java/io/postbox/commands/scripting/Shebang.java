package io.postbox.commands.scripting;

import io.postbox.commands.Errors;
import java.util.EnumSet;
import java.util.List;
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
        int end = FirstLine.end(script);
        if (end < 0) {
            throw Errors.err("Invalid script shebang");
        }
        List<String> words = FirstLine.words(script, end);
        if (words == null || words.isEmpty()) {
            throw Errors.err("Invalid engine in script shebang");
        }
        String engine = FirstLine.text(words.get(0));
        if (!engine.equals("#!lua")) {
            throw Errors.err("Unexpected engine in script shebang: " + engine);
        }
        Set<ScriptFlag> flags = EnumSet.noneOf(ScriptFlag.class);
        for (String option : words.subList(1, words.size())) {
            if (!FirstLine.text(option).startsWith("flags=")) {
                throw Errors.err("Unknown lua shebang option: " + FirstLine.text(option));
            }
            String list = option.substring("flags=".length());
            // "flags=" declares none; any name in a list, even an empty one, must be a flag.
            for (String name : list.isEmpty() ? new String[0] : list.split(",", -1)) {
                ScriptFlag flag = ScriptFlag.named(FirstLine.text(name));
                if (flag == null) {
                    throw Errors.err("Unexpected flag in script shebang: " + FirstLine.text(name));
                }
                flags.add(flag);
            }
        }
        return new Shebang(true, flags, end);
    }

    boolean has(ScriptFlag flag) {
        return flags.contains(flag);
    }

    /** The flags of a call that runs this script; {@code own} are the command's own, as bits. */
    long commandFlags(long own) {
        return declared ? ScriptFlag.commandFlags(flags, own) : own;
    }
}
