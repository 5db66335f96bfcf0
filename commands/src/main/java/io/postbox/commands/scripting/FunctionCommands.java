package io.postbox.commands.scripting;

import io.postbox.commands.Command;
import io.postbox.commands.Engine;
import io.postbox.commands.Errors;
import io.postbox.commands.Glob;
import io.postbox.commands.Help;
import io.postbox.commands.Invocation;
import io.postbox.commands.KeySpec;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * FCALL, FCALL_RO and FUNCTION LOAD | LIST | DELETE | FLUSH | DUMP | RESTORE | STATS | KILL | HELP over
 * {@link FunctionLibraries}. FUNCTION STATS and FUNCTION KILL may run on the server's busy thread while
 * a script runs: they read only the counts and {@link RunningScript}.
 */
final class FunctionCommands {

    private static final ErrorReply BAD_NUMKEYS = Errors.err("Bad number of keys provided");
    private static final ErrorReply NEGATIVE_KEYS = Errors.err("Number of keys can't be negative");
    private static final ErrorReply TOO_MANY_KEYS = Errors.err("Number of keys can't be greater than number of args");
    private static final ErrorReply FLUSH_SYNTAX = Errors.err("FUNCTION FLUSH only supports SYNC|ASYNC option");

    private final RunningScript running;
    private final Consumer<Engine> whenMade;
    private volatile FunctionLibraries libraries;

    /** {@code whenMade} is told when the libraries are first made, for an engine. */
    FunctionCommands(RunningScript running, Consumer<Engine> whenMade) {
        this.running = running;
        this.whenMade = whenMade;
    }

    List<Command> commands() {
        return List.of(
                fcall("fcall", false, "Runs a function of a loaded library, atomically.")
                        .flagsProcedure(this::fcallFlags).handler(call -> fcall(call, false)).build(),
                fcall("fcall_ro", true, "Runs a read-only function of a loaded library, atomically.")
                        .flagsProcedure(this::fcallFlags).handler(call -> fcall(call, true)).build(),
                Command.builder("function").arity(-2).group("scripting").summary("Manages function libraries.")
                        .since("7.0.0").complexity("Depends on subcommand.")
                        .subcommand(sub("load", -3, "write denyoom noscript", "@write ",
                                "O(1), compiling aside.", "Loads a library of functions.")
                                .syntax("[REPLACE] function-code")
                                .tips("request_policy:all_shards", "response_policy:all_succeeded").handler(this::load))
                        .subcommand(sub("list", -2, "noscript", "", "O(N) with N the number of functions.",
                                "Describes the loaded libraries and their functions.")
                                .syntax("[LIBRARYNAME library-name-pattern] [WITHCODE]")
                                .tips("nondeterministic_output_order").handler(this::list))
                        .subcommand(sub("delete", 3, "write noscript", "@write ", "O(1)", "Deletes a library.")
                                .syntax("library-name")
                                .tips("request_policy:all_shards", "response_policy:all_succeeded").handler(this::delete))
                        .subcommand(sub("flush", -2, "write noscript", "@write ",
                                "O(N) with N the number of functions.", "Deletes every library.")
                                .syntax("[ASYNC | SYNC]")
                                .tips("request_policy:all_shards", "response_policy:all_succeeded").handler(this::flush))
                        .subcommand(sub("stats", 2, "noscript allow_busy", "", "O(1)",
                                "Tells which function runs now and how many are loaded.").syntax("")
                                .tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special")
                                .handler(this::stats))
                        .subcommand(sub("kill", 2, "noscript allow_busy", "", "O(1)",
                                "Stops the running function, if it has not written.").syntax("")
                                .tips("request_policy:all_shards", "response_policy:one_succeeded")
                                .handler(call -> {
                                    running.kill(true);
                                    call.reply().ok();
                                }))
                        .subcommand(sub("dump", 2, "noscript", "", "O(N) with N the number of functions.",
                                "Serializes every library, for FUNCTION RESTORE.").syntax("")
                                .handler(call -> call.reply().bulk(call.engine().dumpPayloads()
                                        .dumpLibraries(libraries(call.engine()).codes()))))
                        .subcommand(sub("restore", -3, "write denyoom noscript", "@write ",
                                "O(N) with N the number of functions in the payload.",
                                "Loads the libraries of a FUNCTION DUMP payload.")
                                .syntax("serialized-value [FLUSH | APPEND | REPLACE]")
                                .tips("request_policy:all_shards", "response_policy:all_succeeded")
                                .handler(this::restore))
                        .subcommand(sub("help", 2, "loading stale", "", "O(1)", "Describes the FUNCTION subcommands.")
                                .syntax("").handler(FunctionCommands::help))
                        .build());
    }

    /** FCALL and FCALL_RO; a call's flags are the function's ({@link #fcallFlags}). */
    private static Command.Builder fcall(String name, boolean readOnly, String summary) {
        return Command.builder(name).arity(-3)
                .flags((readOnly ? "readonly" : "may_replicate") + " noscript stale skip_monitor no_mandatory_keys"
                        + " movablekeys").acl("@scripting")
                .keys(KeySpec.keyNum(readOnly ? "RO access" : "RW access update", 2, 0, 1, 1)
                        .withNotes("We cannot tell how the keys will be used so we assume the worst,"
                                + (readOnly ? " RO and ACCESS" : " RW and UPDATE")))
                .group("scripting").summary(summary).since("7.0.0").complexity("Depends on the function.")
                .syntax("function numkeys [key [key ...]] [arg [arg ...]]").runsScript();
    }

    private static Command.Builder sub(String name, int arity, String flags, String acl, String complexity,
                                       String summary) {
        return Command.builder(name).arity(arity).flags(flags).acl(acl + "@scripting").group("scripting")
                .summary(summary).since("7.0.0").complexity(complexity);
    }

    /** A call of a loaded function has the function's flags; one of an unknown function, FCALL's own. */
    private long fcallFlags(byte[][] args, long declared) {
        FunctionLibraries made = libraries;
        FunctionLibraries.Function function =
                made == null ? null : made.find(new String(args[1], StandardCharsets.ISO_8859_1));
        return function == null ? declared : ScriptFlag.commandFlags(function.flags(), declared);
    }

    private void fcall(Invocation call, boolean readOnly) {
        call.engine().monitors().feedScriptCall(call.client(), call.args());
        FunctionLibraries libraries = libraries(call.engine());
        FunctionLibraries.Function function = libraries.find(call.argString(1));
        if (function == null) {
            throw FunctionLibraries.NOT_FOUND;
        }
        long numkeys;
        try {
            numkeys = call.longArg(2);
        } catch (ErrorReply notANumber) {
            throw BAD_NUMKEYS;
        }
        if (numkeys > call.argc() - 3) {
            throw TOO_MANY_KEYS;
        }
        if (numkeys < 0) {
            throw NEGATIVE_KEYS;
        }
        libraries.call(call, function, (int) numkeys, readOnly);
    }

    private void load(Invocation call) {
        boolean replace = false;
        if (call.argc() > 3) {
            for (int i = 2; i < call.argc() - 1; i++) {
                if (!call.argIs(i, "replace")) {
                    throw Errors.err("Unknown option given: " + call.argString(i));
                }
                replace = true;
            }
        }
        String name = libraries(call.engine()).load(call.arg(call.argc() - 1), replace);
        call.reply().bulk(name);
    }

    private void list(Invocation call) {
        String pattern = null;
        boolean withCode = false;
        // Each option once: a second one is an unknown argument, as in Redis.
        for (int i = 2; i < call.argc(); i++) {
            if (!withCode && call.argIs(i, "withcode")) {
                withCode = true;
            } else if (pattern == null && call.argIs(i, "libraryname")) {
                if (i + 1 >= call.argc()) {
                    throw Errors.err("library name argument was not given");
                }
                pattern = call.argString(++i);
            } else {
                throw Errors.err("Unknown argument " + call.argString(i));
            }
        }
        List<FunctionLibraries.Library> shown = new ArrayList<>();
        for (FunctionLibraries.Library library : libraries(call.engine()).libraries()) {
            // Redis matches library names regardless of case.
            if (pattern == null || Glob.matches(pattern, library.name(), true)) {
                shown.add(library);
            }
        }
        Reply reply = call.reply();
        reply.array(shown.size());
        for (FunctionLibraries.Library library : shown) {
            reply.map(withCode ? 4 : 3);
            reply.bulk("library_name");
            reply.bulk(library.name());
            reply.bulk("engine");
            reply.bulk("LUA");
            reply.bulk("functions");
            reply.array(library.functions().size());
            for (FunctionLibraries.Function function : library.functions().values()) {
                reply.map(3);
                reply.bulk("name");
                reply.bulk(function.name());
                reply.bulk("description");
                if (function.description() == null) {
                    reply.nullBulk();
                } else {
                    reply.bulk(function.description());
                }
                reply.bulk("flags");
                reply.set(function.flags().size());
                for (ScriptFlag flag : function.flags()) {
                    reply.simple(flag.wireName());
                }
            }
            if (withCode) {
                reply.bulk("library_code");
                reply.bulk(library.code());
            }
        }
    }

    private void restore(Invocation call) {
        if (call.argc() > 4) {
            throw Help.subcommandSyntaxError(call);
        }
        FunctionLibraries.RestorePolicy policy = FunctionLibraries.RestorePolicy.APPEND;
        if (call.argc() == 4) {
            policy = null;
            for (FunctionLibraries.RestorePolicy candidate : FunctionLibraries.RestorePolicy.values()) {
                if (call.argIs(3, candidate.name().toLowerCase(Locale.ROOT))) {
                    policy = candidate;
                }
            }
            if (policy == null) {
                throw Errors.err("Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
            }
        }
        libraries(call.engine()).restore(call.engine().dumpPayloads().restoreLibraries(call.arg(2)), policy);
        call.reply().ok();
    }

    private void delete(Invocation call) {
        if (!libraries(call.engine()).delete(call.argString(2))) {
            throw Errors.err("Library not found");
        }
        call.reply().ok();
    }

    private void flush(Invocation call) {
        if (call.argc() > 3) {
            throw Help.subcommandSyntaxError(call);
        }
        if (call.argc() == 3 && !call.argIs(2, "sync") && !call.argIs(2, "async")) {
            throw FLUSH_SYNTAX;
        }
        libraries(call.engine()).flush();
        call.reply().ok();
    }

    /** May run on the server's busy thread: reads only the running-script state and the counts. */
    private void stats(Invocation call) {
        Reply reply = call.reply();
        FunctionLibraries made = libraries;
        RunningScript.FunctionInfo function = running.runningFunction();
        reply.map(2);
        reply.bulk("running_script");
        if (function == null) {
            reply.nullBulk();
        } else {
            reply.map(3);
            reply.bulk("name");
            reply.bulk(function.name());
            reply.bulk("command");
            reply.array(function.command().length);
            for (byte[] arg : function.command()) {
                reply.bulk(arg);
            }
            reply.bulk("duration_ms");
            reply.integer(function.durationMillis());
        }
        reply.bulk("engines");
        reply.map(1);
        reply.bulk("LUA");
        reply.map(2);
        reply.bulk("libraries_count");
        reply.integer(made == null ? 0 : made.libraryCount());
        reply.bulk("functions_count");
        reply.integer(made == null ? 0 : made.functionCount());
    }

    private static void help(Invocation call) {
        Help.reply(call,
                "LOAD [REPLACE] <FUNCTION CODE>",
                "    Create a new library with the given library name and code.",
                "DELETE <LIBRARY NAME>",
                "    Delete the given library.",
                "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
                "    Return general information on all the libraries:",
                "    * Library name",
                "    * The engine used to run the Library",
                "    * Library description",
                "    * Functions list",
                "    * Library code (if WITHCODE is given)",
                "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
                "STATS",
                "    Return information about the current function running:",
                "    * Function name",
                "    * Command used to run the function",
                "    * Duration in MS that the function is running",
                "    If no function is running, return nil",
                "    In addition, returns a list of available engines.",
                "KILL",
                "    Kill the current running function.",
                "FLUSH [ASYNC|SYNC]",
                "    Delete all the libraries.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the libraries.",
                "    * SYNC: Synchronously flush the libraries.",
                "DUMP",
                "    Return a serialized payload representing the current libraries, can be restored using FUNCTION"
                        + " RESTORE command",
                "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
                "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
                "    control how to handle existing libraries (default APPEND):",
                "    * FLUSH: delete all existing libraries.",
                "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
                "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
                "      libraries with the new libraries (notice that even on this option there is a chance of failure",
                "      in case of functions name collision with another library).");
    }

    /** The libraries, or null before any function command ran. */
    FunctionLibraries librariesIfMade() {
        return libraries;
    }

    /** The libraries of {@code engine}, made at first use. */
    FunctionLibraries libraries(Engine engine) {
        FunctionLibraries made = libraries;
        if (made == null) {
            synchronized (this) {
                if (libraries == null) {
                    libraries = new FunctionLibraries(engine, running);
                    whenMade.accept(engine);
                }
                made = libraries;
            }
        }
        return made;
    }
}
