package io.postbox.commands.sort;

import io.postbox.commands.Ascii;
import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.KeySpec;
import io.postbox.commands.introspection.CommandKeys;
import java.util.ArrayList;
import java.util.List;

/** SORT and SORT_RO, with Redis 7.0's metadata; the work is done by {@link Sort}. */
public final class SortCommands implements CommandGroup {

    private static final String COMPLEXITY = "O(N+M*log(M)), N being the number of elements of the value and M the"
            + " number of elements replied; O(N) when nothing is sorted.";
    private static final KeySpec PATTERN_KEYS = KeySpec.unknown("RO access").withNotes("For the optional BY/GET"
            + " keyword. It is marked 'unknown' because the key names derive from the content of the key we sort");
    private static final String OPTIONS = "[BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]]"
            + " [ASC | DESC] [ALPHA]";

    @Override
    public List<Command> commands() {
        return List.of(
                Command.builder("sort").arity(-2).flags("write denyoom movablekeys")
                        .acl("@set @sortedset @list @dangerous").group("generic")
                        .keys(KeySpec.range("RO access", 1, 0, 1))
                        .keys(PATTERN_KEYS)
                        .keys(KeySpec.unknown("OW update").withNotes("For the optional STORE keyword. It is marked"
                                + " 'unknown' because the keyword can appear anywhere in the argument array"))
                        .summary("Orders the elements of a list, set or sorted set, by themselves or by values"
                                + " looked up through a pattern, and replies or stores the result.")
                        .since("1.0.0").complexity(COMPLEXITY)
                        .syntax("key " + OPTIONS + " [STORE destination]")
                        .keyProcedure(SortCommands::sortKeys)
                        .handler(Sort::sort).build(),
                Command.builder("sort_ro").arity(-2).flags("readonly movablekeys")
                        .acl("@set @sortedset @list @dangerous").group("generic")
                        .keys(KeySpec.range("RO access", 1, 0, 1))
                        .keys(PATTERN_KEYS)
                        .summary("Orders the elements of a list, set or sorted set as SORT does, without storing:"
                                + " safe to run on a replica.")
                        .since("7.0.0").complexity(COMPLEXITY)
                        .syntax("key " + OPTIONS)
                        .handler(Sort::sortReadOnly).build());
    }

    /**
     * SORT's keys as Redis's sortGetKeys finds them: the key, and the argument after the last STORE.
     * Options are skipped with the arguments they take (LIMIT two, GET and BY one), STORE with none.
     */
    private static List<CommandKeys.Key> sortKeys(Command command, byte[][] args) {
        List<KeySpec> specs = command.keySpecs();
        List<CommandKeys.Key> keys = new ArrayList<>(List.of(new CommandKeys.Key(1, specs.get(0))));
        CommandKeys.Key destination = null;
        for (int i = 2; i < args.length; i++) {
            if (Ascii.equalsIgnoreCase(args[i], "limit")) {
                i += 2;
            } else if (Ascii.equalsIgnoreCase(args[i], "store") && i + 1 < args.length) {
                destination = new CommandKeys.Key(i + 1, specs.get(2));
            } else if (Ascii.equalsIgnoreCase(args[i], "get") || Ascii.equalsIgnoreCase(args[i], "by")) {
                i += 1;
            }
        }
        if (destination != null) {
            keys.add(destination);
        }
        return keys;
    }
}
