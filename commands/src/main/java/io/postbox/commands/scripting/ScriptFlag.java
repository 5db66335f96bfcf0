package io.postbox.commands.scripting;

import io.postbox.commands.CommandFlag;
import java.util.Locale;
import java.util.Set;

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

    /**
     * The flags of a call of EVAL or FCALL (with {@code own} flags, as bits) that runs a script declaring
     * {@code scriptFlags}, as Redis's scriptFlagsToCmdFlags makes them: the script says whether it
     * writes and whether it may run out of memory, so the call no longer merely may replicate.
     */
    static long commandFlags(Set<ScriptFlag> scriptFlags, long own) {
        long flags = own & ~(CommandFlag.WRITE.bit() | CommandFlag.DENYOOM.bit() | CommandFlag.STALE.bit()
                | CommandFlag.MAY_REPLICATE.bit());
        boolean noWrites = scriptFlags.contains(NO_WRITES);
        if (!noWrites) {
            flags |= CommandFlag.WRITE.bit();
        }
        if (!noWrites && !scriptFlags.contains(ALLOW_OOM)) {
            flags |= CommandFlag.DENYOOM.bit();
        }
        if (scriptFlags.contains(ALLOW_STALE)) {
            flags |= CommandFlag.STALE.bit();
        }
        return flags;
    }
}
