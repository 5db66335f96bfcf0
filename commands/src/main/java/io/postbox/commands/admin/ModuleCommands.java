package io.postbox.commands.admin;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.Errors;
import io.postbox.commands.Help;
import io.postbox.commands.Invocation;
import io.postbox.resp.ErrorReply;
import java.util.List;

/**
 * MODULE, for a server that has no modules and cannot load any: Redis modules are native libraries
 * written against Redis's own C API. LIST answers that none is loaded, which is what clients and
 * tools that look for RedisJSON or RediSearch ask. LOAD, LOADEX and UNLOAD are refused, as in Redis,
 * unless {@code enable-module-command} allows them (its default is {@code no}); where it does, they
 * fail as a failed load or an unknown module does in Redis, and a load says why in the log.
 */
public final class ModuleCommands implements CommandGroup {

    private static final ErrorReply LOAD_FAILED =
            Errors.err("Error loading the extension. Please check the server logs.");
    private static final ErrorReply NO_SUCH_MODULE =
            Errors.err("Error unloading module: no such module with that name");

    @Override
    public List<Command> commands() {
        return List.of(Command.builder("module").arity(-2).group("server").summary("Manages the server's modules.")
                .since("4.0.0").complexity("Depends on subcommand.")
                .subcommand(module("list", 2, "admin noscript", "Lists the loaded modules: none.")
                        .complexity("O(N) where N is the number of loaded modules.")
                        .tips("nondeterministic_output_order").handler(call -> call.reply().array(0)))
                .subcommand(changing("load", -3, "Loads a module; Postbox cannot load Redis modules.")
                        .syntax("path [arg [arg ...]]").handler(ModuleCommands::load))
                .subcommand(changing("loadex", -3, "Loads a module with configuration; Postbox cannot"
                        + " load Redis modules.").since("7.0.0")
                        .syntax("path [CONFIG name value [CONFIG name value ...]] [ARGS arg [arg ...]]")
                        .handler(ModuleCommands::load))
                .subcommand(changing("unload", 3, "Unloads a module; there is none to unload.")
                        .syntax("name").handler(ModuleCommands::unload))
                .subcommand(module("help", 2, "loading stale", "Lists the MODULE subcommands.").since("5.0.0")
                        .handler(ModuleCommands::help))
                .build());
    }

    private static Command.Builder module(String name, int arity, String flags, String summary) {
        return Command.builder(name).arity(arity).flags(flags).group("server").summary(summary).since("4.0.0")
                .complexity("O(1)");
    }

    /** LOAD, LOADEX and UNLOAD: protected, as in Redis, by {@code enable-module-command}. */
    private static Command.Builder changing(String name, int arity, String summary) {
        return module(name, arity, "admin noscript no_async_loading", summary).protectedBy("enable-module-command");
    }

    private static void load(Invocation call) {
        call.engine().process().log(LogLevel.WARNING, "Module " + call.argString(2)
                + " not loaded: Postbox cannot load Redis modules (native libraries for Redis's C API).");
        throw LOAD_FAILED;
    }

    private static void unload(Invocation call) {
        throw NO_SUCH_MODULE;
    }

    private static void help(Invocation call) {
        Help.reply(call,
                "LIST",
                "    Return a list of loaded modules.",
                "LOAD <path> [<arg> ...]",
                "    Load a module library from <path>, passing to it any optional arguments.",
                "LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
                "    Load a module library from <path>, while passing it module configurations and optional"
                        + " arguments.",
                "UNLOAD <name>",
                "    Unload a module.");
    }
}
