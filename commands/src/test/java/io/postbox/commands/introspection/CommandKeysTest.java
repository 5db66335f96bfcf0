package io.postbox.commands.introspection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.Command;
import io.postbox.commands.KeySpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected keys are what Redis 7.0.15's COMMAND GETKEYS gives for commands with these key specs. */
class CommandKeysTest {

    private static final Command MSET = command(KeySpec.range("OW update", 1, -1, 2));
    private static final Command EVAL = command(KeySpec.keyNum("RW access update", 2, 0, 1, 1));
    private static final Command ZUNIONSTORE =
            command(KeySpec.range("OW update", 1, 0, 1), KeySpec.keyNum("RO access", 2, 0, 1, 1));
    private static final Command XREAD = command(KeySpec.keyword("RO access", "STREAMS", 1, -1, 1, 2));
    private static final Command GEORADIUS = command(KeySpec.range("RO access", 1, 0, 1),
            KeySpec.keyword("OW update", "STORE", 6, 0, 1, 0), KeySpec.keyword("OW update", "STOREDIST", 6, 0, 1, 0));
    private static final Command MIGRATE_KEYS =
            command(KeySpec.keyword("RW access delete incomplete", "KEYS", -2, -1, 1, 0));
    private static final Command SORT = command(KeySpec.range("RO access", 1, 0, 1), KeySpec.unknown("OW update"));
    private static final Command SPUBLISH = command(KeySpec.range("not_key", 1, 0, 1));

    private static Command command(KeySpec... specs) {
        Command.Builder builder = Command.builder("x").arity(-1).handler(call -> { });
        for (KeySpec spec : specs) {
            builder.keys(spec);
        }
        return builder.build();
    }

    private static List<String> keys(Command command, String line) {
        String[] words = line.split(" ");
        byte[][] args = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            args[i] = words[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        List<String> keys = new ArrayList<>();
        for (CommandKeys.Key key : CommandKeys.find(command, args)) {
            keys.add(words[key.position()]);
        }
        return keys;
    }

    @Test
    void rangeWithStepTakesEveryOtherArgument() {
        assertEquals(List.of("a", "c"), keys(MSET, "mset a 1 c 2"));
        assertEquals(List.of("a", "c"), keys(MSET, "mset a 1 c"));
    }

    @Test
    void keyCountArgumentSaysHowManyKeys() {
        assertEquals(List.of("a", "b"), keys(EVAL, "eval s 2 a b c"));
        assertEquals(List.of("d", "a"), keys(ZUNIONSTORE, "zunionstore d 1 a"));
    }

    @Test
    void keyCountThatDoesNotFitMeansNoKeysAtAll() {
        assertEquals(List.of(), keys(EVAL, "eval s 0"));
        assertEquals(List.of(), keys(EVAL, "eval s 2 a"));
        assertEquals(List.of(), keys(EVAL, "eval s x a"));
        assertEquals(List.of(), keys(EVAL, "eval s -1 a"));
        assertEquals(List.of(), keys(ZUNIONSTORE, "zunionstore d 2 a"));
    }

    @Test
    void keywordStartsTheKeys() {
        assertEquals(List.of("a", "b"), keys(XREAD, "xread streams a b 1 2"));
        assertEquals(List.of("a"), keys(XREAD, "xread streams a b c"));
        assertEquals(List.of("streams"), keys(XREAD, "xread count streams streams a 1"));
    }

    @Test
    void absentKeywordContributesNothing() {
        assertEquals(List.of("k"), keys(GEORADIUS, "georadius k 0 0 1 m"));
        assertEquals(List.of("k"), keys(GEORADIUS, "georadius k 0 0 1 m store"));
        assertEquals(List.of("k", "d", "e"), keys(GEORADIUS, "georadius k 0 0 1 m store d storedist e"));
    }

    @Test
    void negativeStartSearchesBackwards() {
        assertEquals(List.of("a", "b"), keys(MIGRATE_KEYS, "migrate h p x 0 0 keys a b"));
    }

    @Test
    void unknownSpecStopsWithTheKeysFoundSoFar() {
        assertEquals(List.of("k"), keys(SORT, "sort k store d"));
    }

    @Test
    void notKeySpecsAreSkipped() {
        assertEquals(List.of(), keys(SPUBLISH, "spublish ch msg"));
        assertFalse(CommandKeys.hasKeys(SPUBLISH));
        assertTrue(CommandKeys.hasKeys(SORT));
    }
}
