package io.postbox.commands.introspection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.postbox.commands.Command;
import io.postbox.commands.KeySpec;
import org.junit.jupiter.api.Test;

/** Expected values are what Redis 7.0.15's COMMAND INFO reports for commands with these key specs. */
class LegacyKeyRangeTest {

    private static LegacyKeyRange of(KeySpec... specs) {
        Command.Builder builder = Command.builder("x").arity(-1).handler(call -> { });
        for (KeySpec spec : specs) {
            builder.keys(spec);
        }
        return LegacyKeyRange.of(builder.build());
    }

    @Test
    void noSpecsNoKeys() {
        assertEquals(new LegacyKeyRange(0, 0, 0, false), of());
    }

    @Test
    void singleRangeIsReportedAsItIs() {
        assertEquals(new LegacyKeyRange(1, 1, 1, false), of(KeySpec.range("RO access", 1, 0, 1)));
        assertEquals(new LegacyKeyRange(1, -1, 2, false), of(KeySpec.range("OW update", 1, -1, 2)));
        assertEquals(new LegacyKeyRange(1, -2, 1, false), of(KeySpec.range("RW access delete", 1, -2, 1)));
    }

    @Test
    void consecutiveRangesMerge() {
        // RENAME, SUNIONSTORE
        assertEquals(new LegacyKeyRange(1, 2, 1, false),
                of(KeySpec.range("RW access delete", 1, 0, 1), KeySpec.range("OW update", 2, 0, 1)));
        assertEquals(new LegacyKeyRange(1, -1, 1, false),
                of(KeySpec.range("OW update", 1, 0, 1), KeySpec.range("RO access", 2, -1, 1)));
    }

    @Test
    void keyCountArgumentMakesKeysMovable() {
        // EVAL
        assertEquals(new LegacyKeyRange(0, 0, 0, true), of(KeySpec.keyNum("RW access update", 2, 0, 1, 1)));
        // ZUNIONSTORE: the destination stays in the legacy range
        assertEquals(new LegacyKeyRange(1, 1, 1, true),
                of(KeySpec.range("OW update", 1, 0, 1), KeySpec.keyNum("RO access", 2, 0, 1, 1)));
    }

    @Test
    void keywordAndUnknownSpecsMakeKeysMovable() {
        // XREAD, SORT
        assertEquals(new LegacyKeyRange(0, 0, 0, true), of(KeySpec.keyword("RO access", "STREAMS", 1, -1, 1, 2)));
        assertEquals(new LegacyKeyRange(1, 1, 1, true), of(KeySpec.range("RO access", 1, 0, 1),
                KeySpec.unknown("RO access"), KeySpec.unknown("OW update")));
    }

    @Test
    void incompleteSingleRangeIsMovable() {
        assertEquals(new LegacyKeyRange(3, 3, 1, true), of(KeySpec.range("RW access delete incomplete", 3, 0, 1)));
    }
}
