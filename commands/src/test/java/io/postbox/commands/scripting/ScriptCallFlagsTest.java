package io.postbox.commands.scripting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.postbox.commands.Command;
import io.postbox.commands.CommandFlag;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The flags of a call that runs a script, from its shebang, as Redis's scriptFlagsToCmdFlags gives them. */
class ScriptCallFlagsTest {

    /** EVAL's own flags, as the command table declares them. */
    private static final long EVAL = flagsOf("may_replicate noscript stale skip_monitor no_mandatory_keys");
    private static final long EVAL_RO = flagsOf("readonly noscript stale skip_monitor no_mandatory_keys");

    @Test
    void aScriptWithoutAShebangKeepsTheCommandsFlags() {
        assertEquals(EVAL, callFlags("return 1", EVAL));
        assertEquals(EVAL_RO, callFlags("return redis.call('set', 'x', 1)", EVAL_RO));
    }

    @Test
    void aShebangWithoutFlagsWritesAndIsDeniedOutOfMemory() {
        assertEquals(flags(CommandFlag.WRITE, CommandFlag.DENYOOM, CommandFlag.NOSCRIPT, CommandFlag.SKIP_MONITOR,
                CommandFlag.NO_MANDATORY_KEYS), callFlags("#!lua\nreturn 1", EVAL));
        assertEquals(flags(CommandFlag.READONLY, CommandFlag.WRITE, CommandFlag.DENYOOM, CommandFlag.NOSCRIPT,
                CommandFlag.SKIP_MONITOR, CommandFlag.NO_MANDATORY_KEYS), callFlags("#!lua\nreturn 1", EVAL_RO));
    }

    @Test
    void noWritesNeitherWritesNorMayReplicateNorIsDeniedOutOfMemory() {
        long expected = flags(CommandFlag.NOSCRIPT, CommandFlag.SKIP_MONITOR, CommandFlag.NO_MANDATORY_KEYS);
        assertEquals(expected, callFlags("#!lua flags=no-writes\nreturn 1", EVAL));
        assertEquals(expected, callFlags("#!lua flags=no-writes,allow-oom\nreturn 1", EVAL));
    }

    @Test
    void allowOomAndAllowStaleSayWhatTheyAllow() {
        assertEquals(flags(CommandFlag.WRITE, CommandFlag.NOSCRIPT, CommandFlag.SKIP_MONITOR,
                CommandFlag.NO_MANDATORY_KEYS), callFlags("#!lua flags=allow-oom\nreturn 1", EVAL));
        assertEquals(flags(CommandFlag.WRITE, CommandFlag.DENYOOM, CommandFlag.STALE, CommandFlag.NOSCRIPT,
                CommandFlag.SKIP_MONITOR, CommandFlag.NO_MANDATORY_KEYS),
                callFlags("#!lua flags=allow-stale\nreturn 1", EVAL));
    }

    @Test
    void functionsFlagsConvertTheSameWay() {
        assertEquals(callFlags("#!lua flags=no-writes,allow-stale\nreturn 1", EVAL),
                ScriptFlag.commandFlags(Set.of(ScriptFlag.NO_WRITES, ScriptFlag.ALLOW_STALE), EVAL));
        assertEquals(callFlags("#!lua\nreturn 1", EVAL),
                ScriptFlag.commandFlags(EnumSet.noneOf(ScriptFlag.class), EVAL));
    }

    private static long callFlags(String script, long own) {
        return Shebang.parse(script.getBytes(StandardCharsets.ISO_8859_1)).commandFlags(own);
    }

    private static long flags(CommandFlag... flags) {
        long bits = 0;
        for (CommandFlag flag : flags) {
            bits |= flag.bit();
        }
        return bits;
    }

    private static long flagsOf(String names) {
        return Command.builder("eval").arity(-3).flags(names).handler(call -> { }).build().flagsOf(new byte[][] {});
    }
}
