package io.postbox.commands;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.introspection.Argument;
import io.postbox.commands.introspection.ArgumentType;
import io.postbox.commands.introspection.CommandKeys;
import io.postbox.commands.introspection.KeySpecFlags;
import io.postbox.commands.introspection.LegacyKeyRange;
import io.postbox.commands.introspection.UsageSyntax;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every registered command carries what COMMAND INFO, COMMAND DOCS, redis-cli's hints and the arity
 * check need, and its parts agree with each other. Failures list every problem of every command.
 */
class CommandTableCompletenessTest {

    private static final Set<String> GROUPS = Set.of("bitmap", "cluster", "connection", "generic", "geo", "hash",
            "hyperloglog", "list", "pubsub", "scripting", "sentinel", "server", "set", "sorted-set", "stream",
            "string", "transactions");
    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+");
    private static final Pattern TIP = Pattern.compile("nondeterministic_output(_order)?"
            + "|request_policy:(all_nodes|all_shards|multi_shard|special)"
            + "|response_policy:(one_succeeded|all_succeeded|agg_logical_and|agg_logical_or|agg_min|agg_max"
            + "|agg_sum|special)");
    private static final Set<String> ACCESS_FLAGS = Set.of("RO", "RW", "OW", "RM");
    /**
     * Redis's arity and argument tree disagree for these, and both are copied as they are, for redis-cli
     * and COMMAND INFO: CLIENT KILL's tree marks every choice optional though the arity needs one (an
     * address or at least one filter); the trees of PFMERGE, GEOPOS and GEOHASH need a source key or a
     * member though the arity does not (PFMERGE destkey and GEOPOS key alone run).
     */
    private static final Set<String> ARITY_BEYOND_SYNTAX = Set.of("client|kill", "pfmerge", "geopos", "geohash");

    @Test
    void everyCommandIsCompleteAndConsistent() {
        List<Command> all = new ArrayList<>();
        for (CommandGroup group : Commands.groups()) {
            all.addAll(group.commands());
        }
        new CommandTable(all); // rejects a name registered twice
        List<String> problems = new ArrayList<>();
        for (Command command : all) {
            check(command, problems);
            for (Command subcommand : command.subcommands().values()) {
                check(subcommand, problems);
                if (subcommand.handler() == null) {
                    problems.add(subcommand.fullName() + ": no handler");
                }
                if (subcommand.isContainer()) {
                    problems.add(subcommand.fullName() + ": subcommands cannot have subcommands");
                }
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " problem(s) in the command table:\n  "
                + String.join("\n  ", problems));
    }

    private static void check(Command command, List<String> problems) {
        String name = command.fullName();
        CommandDocs docs = command.docs();
        if (!GROUPS.contains(docs.group())) {
            problems.add(name + ": group '" + docs.group() + "' is not one of " + GROUPS);
        }
        if (docs.summary().isBlank()) {
            problems.add(name + ": no summary");
        }
        if (!VERSION.matcher(docs.since()).matches()) {
            problems.add(name + ": since '" + docs.since() + "' is not a version");
        }
        for (String[] entry : docs.history()) {
            if (!VERSION.matcher(entry[0]).matches() || entry[1].isBlank()) {
                problems.add(name + ": history entry '" + entry[0] + "' needs a version and a text");
            }
        }
        for (String tip : command.tips()) {
            if (!TIP.matcher(tip).matches()) {
                problems.add(name + ": unknown tip '" + tip + "'");
            }
        }
        checkKeySpecs(command, problems);
        List<Argument> arguments;
        try {
            arguments = UsageSyntax.parse(docs.syntax(), command.keySpecs().size());
        } catch (IllegalArgumentException e) {
            problems.add(name + ": syntax does not parse: " + e.getMessage());
            return;
        }
        checkArity(command, arguments, problems);
        if (hasKeyArgument(arguments) != CommandKeys.hasKeys(command)) {
            problems.add(name + ": syntax " + (hasKeyArgument(arguments) ? "has" : "has no")
                    + " key argument but the command " + (CommandKeys.hasKeys(command) ? "has" : "has no")
                    + " key specs");
        }
        if (command.is(CommandFlag.MOVABLE_KEYS) && !LegacyKeyRange.of(command).movable()) {
            problems.add(name + ": flag movablekeys, but its key specs are not movable (COMMAND INFO derives it)");
        }
    }

    /**
     * Arity counts the command name (and subcommand name): fixed arity means exactly the words the
     * syntax requires, with nothing optional; negative arity means at least the words it requires.
     */
    private static void checkArity(Command command, List<Argument> arguments, List<String> problems) {
        String name = command.fullName();
        int arity = command.arity();
        if (command.isContainer()) {
            if (!arguments.isEmpty()) {
                problems.add(name + ": a container documents its arguments on its subcommands, not in its syntax");
            }
            if (arity >= 0 || (command.handler() == null && arity != -2)) {
                problems.add(name + ": a container's arity is -2 (or negative when it runs alone), not " + arity);
            }
            return;
        }
        if (command.docs().syntax().isEmpty() && command.docs().docFlags().contains("syscmd")) {
            return; // Redis documents no arguments for some system commands (DEBUG), whatever their arity.
        }
        if (ARITY_BEYOND_SYNTAX.contains(name)) {
            return;
        }
        long min = command.container() == null ? 1 : 2;
        long max = min;
        for (Argument argument : arguments) {
            min += argument.minWords();
            max += argument.maxWords();
        }
        String syntax = "'" + command.docs().syntax() + "'";
        if (arity > 0 && (min != arity || max != arity)) {
            problems.add(name + ": arity " + arity + " but syntax " + syntax + " takes "
                    + (max > Integer.MAX_VALUE ? min + "+" : min == max ? "" + min : min + ".." + max)
                    + " words with the name");
        } else if (arity < 0 && min != -arity) {
            problems.add(name + ": arity " + arity + " but syntax " + syntax + " needs at least " + min
                    + " words with the name");
        } else if (arity == 0) {
            problems.add(name + ": arity 0");
        }
    }

    private static void checkKeySpecs(Command command, List<String> problems) {
        String name = command.fullName();
        for (KeySpec spec : command.keySpecs()) {
            for (String flag : spec.flags()) {
                if (!KeySpecFlags.ORDER.contains(flag)) {
                    problems.add(name + ": unknown key spec flag '" + flag + "'");
                }
            }
            long access = spec.flags().stream().filter(ACCESS_FLAGS::contains).count();
            if (access != 1 && !spec.has("not_key")) {
                problems.add(name + ": a key spec needs exactly one of RO, RW, OW, RM: " + spec.flags());
            }
            if (spec.findKeys() != KeySpec.FindKeys.UNKNOWN && spec.step() < 1) {
                problems.add(name + ": key spec step " + spec.step());
            }
            if (spec.beginSearch() == KeySpec.BeginSearch.INDEX && spec.index() < 1) {
                problems.add(name + ": key spec index " + spec.index());
            }
        }
    }

    private static boolean hasKeyArgument(List<Argument> arguments) {
        for (Argument argument : arguments) {
            if (argument.type() == ArgumentType.KEY || hasKeyArgument(argument.arguments())) {
                return true;
            }
        }
        return false;
    }
}
