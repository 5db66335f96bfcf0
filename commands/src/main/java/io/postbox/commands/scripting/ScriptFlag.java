package io.postbox.commands.scripting;

import java.util.Locale;

/** The flags a script (shebang) or a function (register_function) may declare, as Redis 7.0 names them. */
enum ScriptFlag {
    NO_WRITES, ALLOW_OOM, ALLOW_STALE, NO_CLUSTER, ALLOW_CROSS_SLOT_KEYS;

    /** The flag's name as scripts write it: {@code no-writes}. */
    String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The flag written {@code name}, or null. */
    static ScriptFlag named(String name) {
        for (ScriptFlag flag : values()) {
            if (flag.wireName().equals(name)) {
                return flag;
            }
        }
        return null;
    }
}
