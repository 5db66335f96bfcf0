package io.postbox.commands.introspection;

import io.postbox.commands.AclCategory;
import io.postbox.commands.Command;
import io.postbox.commands.CommandFlag;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.Errors;
import io.postbox.commands.Glob;
import io.postbox.commands.Invocation;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/** COMMAND and its subcommands, all derived from the command table. */
public final class CommandCommands implements CommandGroup {

    private static final ErrorReply INVALID_COMMAND = Errors.err("Invalid command specified");
    private static final ErrorReply NO_KEYS = Errors.err("The command has no key arguments");
    private static final ErrorReply WRONG_ARGUMENT_COUNT =
            Errors.err("Invalid number of arguments specified for command");
    private static final ErrorReply INVALID_ARGUMENTS = Errors.err("Invalid arguments specified for command");

    private static final List<String> HELP = List.of(
            "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "(no subcommand)",
            "    Describe every command this server runs.",
            "COUNT",
            "    The number of commands this server runs.",
            "LIST",
            "    The names of the commands, or of those that pass a FILTERBY filter.",
            "INFO [<command-name> ...]",
            "    Describe the named commands: arity, flags, key positions, ACL",
            "    categories, tips and subcommands. Without names, describe every",
            "    command.",
            "DOCS [<command-name> ...]",
            "    Document the named commands for people and for redis-cli: summary,",
            "    version, complexity, history and arguments. Without names, document",
            "    every command.",
            "GETKEYS <full-command>",
            "    The keys a full command line would access.",
            "GETKEYSANDFLAGS <full-command>",
            "    The keys a full command line would access, each with its access flags.",
            "HELP",
            "    Print this help.");

    @Override
    public List<Command> commands() {
        return List.of(Command.builder("command").arity(-1).flags("loading stale").acl("@connection")
                .group("server").summary("Describes every command the server runs.").since("2.8.13")
                .complexity("O(N) where N is the number of commands").tips("nondeterministic_output_order")
                .handler(CommandCommands::all)
                .subcommand(sub("count", 2).summary("Counts the commands the server runs.").since("2.8.13")
                        .complexity("O(1)").handler(CommandCommands::count))
                .subcommand(sub("docs", -2).summary("Documents commands, as redis-cli reads them for its help.")
                        .since("7.0.0").complexity("O(N) where N is the number of commands documented")
                        .syntax("[command-name [command-name ...]]").tips("nondeterministic_output_order")
                        .handler(CommandCommands::docs))
                .subcommand(sub("getkeys", -4).summary("Lists the keys of a full command line.").since("2.8.13")
                        .complexity("O(N) where N is the number of arguments of the command line")
                        .syntax("command arg [arg ...]").handler(call -> getKeys(call, false)))
                .subcommand(sub("getkeysandflags", -4)
                        .summary("Lists the keys of a full command line with how the command uses each.")
                        .since("7.0.0").complexity("O(N) where N is the number of arguments of the command line")
                        .syntax("command arg [arg ...]").handler(call -> getKeys(call, true)))
                .subcommand(sub("help", 2).summary("Describes the COMMAND subcommands.").since("5.0.0")
                        .complexity("O(1)").handler(call -> writeHelp(call.reply())))
                .subcommand(sub("info", -2).summary("Describes commands: arity, flags, keys and categories.")
                        .since("2.8.13").complexity("O(N) where N is the number of commands described")
                        .history("7.0.0", "Describes every command when no name is given.")
                        .syntax("[command-name [command-name ...]]").tips("nondeterministic_output_order")
                        .handler(CommandCommands::info))
                .subcommand(sub("list", -2).summary("Lists the names of commands, optionally filtered.")
                        .since("7.0.0").complexity("O(N) where N is the number of commands")
                        .syntax("[FILTERBY <MODULE module-name | ACLCAT category | PATTERN pattern>]")
                        .tips("nondeterministic_output_order").handler(CommandCommands::list))
                .build());
    }

    private static Command.Builder sub(String name, int arity) {
        return Command.builder(name).arity(arity).flags("loading stale").acl("@connection").group("server");
    }

    static void all(Invocation call) {
        List<Command> commands = call.engine().commands().all();
        call.reply().array(commands.size());
        for (Command command : commands) {
            CommandInfoReply.write(call.reply(), command);
        }
    }

    static void count(Invocation call) {
        call.reply().integer(call.engine().commands().size());
    }

    static void info(Invocation call) {
        if (call.argc() == 2) {
            all(call);
            return;
        }
        Reply reply = call.reply();
        reply.array(call.argc() - 2);
        for (int i = 2; i < call.argc(); i++) {
            Command command = call.engine().commands().lookupFullName(call.argString(i));
            if (command == null) {
                reply.nullBulk();
            } else {
                CommandInfoReply.write(reply, command);
            }
        }
    }

    /** Documents the named commands, leaving out names that are no command. */
    static void docs(Invocation call) {
        List<Command> commands;
        if (call.argc() == 2) {
            commands = call.engine().commands().all();
        } else {
            commands = new ArrayList<>();
            for (int i = 2; i < call.argc(); i++) {
                Command command = call.engine().commands().lookupFullName(call.argString(i));
                if (command != null) {
                    commands.add(command);
                }
            }
        }
        Reply reply = call.reply();
        reply.map(commands.size());
        for (Command command : commands) {
            reply.bulk(command.fullName());
            CommandDocsReply.write(reply, command);
        }
    }

    static void list(Invocation call) {
        Predicate<Command> filter = listFilter(call);
        List<String> names = new ArrayList<>();
        for (Command command : call.engine().commands().all()) {
            if (filter.test(command)) {
                names.add(command.fullName());
            }
            for (Command subcommand : command.subcommands().values()) {
                if (filter.test(subcommand)) {
                    names.add(subcommand.fullName());
                }
            }
        }
        call.reply().array(names.size());
        names.forEach(call.reply()::bulk);
    }

    /** {@code FILTERBY MODULE name | ACLCAT category | PATTERN pattern}; no modules exist here. */
    private static Predicate<Command> listFilter(Invocation call) {
        if (call.argc() == 2) {
            return command -> true;
        }
        if (call.argc() != 5 || !call.argIs(2, "filterby")) {
            throw Errors.SYNTAX;
        }
        String value = call.argString(4);
        if (call.argIs(3, "module")) {
            return command -> false;
        }
        if (call.argIs(3, "aclcat")) {
            AclCategory category = AclCategory.named(value);
            return command -> category != null && command.aclCategories().contains(category);
        }
        if (call.argIs(3, "pattern")) {
            return command -> Glob.matches(value, command.fullName(), true);
        }
        throw Errors.SYNTAX;
    }

    /** COMMAND GETKEYS / GETKEYSANDFLAGS: the command line starts at argument 2. */
    static void getKeys(Invocation call, boolean withFlags) {
        byte[][] line = Arrays.copyOfRange(call.args(), 2, call.argc());
        Command command = call.engine().commands().lookupCall(line);
        if (command == null) {
            throw INVALID_COMMAND;
        }
        if (!CommandKeys.hasKeys(command)) {
            throw NO_KEYS;
        }
        if (!command.arityAccepts(line.length)) {
            throw WRONG_ARGUMENT_COUNT;
        }
        List<CommandKeys.Key> keys = CommandKeys.find(command, line);
        if (keys.isEmpty() && !command.is(CommandFlag.NO_MANDATORY_KEYS)) {
            throw INVALID_ARGUMENTS;
        }
        Reply reply = call.reply();
        reply.array(keys.size());
        for (CommandKeys.Key key : keys) {
            if (withFlags) {
                reply.array(2);
                reply.bulk(line[key.position()]);
                KeySpecFlags.writeForKey(reply, CommandKeys.flagsOf(command, key, line));
            } else {
                reply.bulk(line[key.position()]);
            }
        }
    }

    private static void writeHelp(Reply reply) {
        reply.array(HELP.size());
        HELP.forEach(reply::simple);
    }
}
