package io.postbox.commands.scripting;

import io.postbox.commands.Client;
import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.Engine;
import io.postbox.commands.Errors;
import io.postbox.commands.FunctionStore;
import io.postbox.commands.Help;
import io.postbox.commands.Invocation;
import io.postbox.commands.KeySpec;
import io.postbox.commands.ScriptingFigures;
import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT LOAD | EXISTS | FLUSH | KILL | DEBUG | HELP: Lua
 * scripts run atomically on the executor ({@link EvalScripts}); and Redis 7 functions
 * ({@link FunctionCommands}).
 * SCRIPT KILL may run on the server's busy thread while a script runs, so it only touches
 * {@link RunningScript}.
 */
public final class ScriptingCommands implements CommandGroup, ScriptingFigures, FunctionStore {

    private static final ErrorReply NEGATIVE_KEYS = Errors.err("Number of keys can't be negative");
    private static final ErrorReply TOO_MANY_KEYS = Errors.err("Number of keys can't be greater than number of args");
    private static final ErrorReply FLUSH_SYNTAX = Errors.err("SCRIPT FLUSH only support SYNC|ASYNC option");
    private static final ErrorReply DEBUG_SYNTAX = Errors.err("Use SCRIPT DEBUG YES/SYNC/NO");
    /**
     * Redis refuses SCRIPT DEBUG while the client has replies not yet written: after another command of
     * the same pipeline, and always in EXEC, whose reply has begun.
     */
    private static final ErrorReply DEBUG_IN_PIPELINE = Errors.err("SCRIPT DEBUG must be called outside a pipeline");
    /**
     * EVAL after SCRIPT DEBUG YES, which Redis runs in a forked child whose changes are thrown away:
     * refused as Redis refuses it when fork fails, so the script does not run for good.
     */
    private static final ErrorReply NO_FORK = Errors.err("Fork() failed: can't run EVAL in debugging mode: "
            + "Postbox does not fork; use SCRIPT DEBUG SYNC (redis-cli --ldb-sync-mode)");
    private static final ErrorReply EVALSHA_DEBUGGED = Errors.err("Please use EVAL instead of EVALSHA for debugging");
    private static final String EVAL_SYNTAX = " numkeys [key [key ...]] [arg [arg ...]]";

    /** What the KILL commands see of the script or function running now, shared by both kinds. */
    private final RunningScript running = new RunningScript();
    private final FunctionCommands functions = new FunctionCommands(running, engine -> engine.attach(this));
    /** Made on first use: an engine that never runs a script never loads Lua. */
    private volatile EvalScripts scripts;

    @Override
    public List<Command> commands() {
        List<Command> commands = new ArrayList<>(functions.commands());
        commands.addAll(List.of(
                eval("eval", false, "script", "2.6.0", "Runs a Lua script on the server, atomically.")
                        .flagsProcedure(ScriptingCommands::evalFlags).handler(call -> eval(call, false)).build(),
                eval("evalsha", false, "sha1", "2.6.0", "Runs a cached Lua script, named by its SHA1, atomically.")
                        .flagsProcedure(this::evalshaFlags).handler(call -> evalsha(call, false)).build(),
                eval("eval_ro", true, "script", "7.0.0", "Runs a Lua script that only reads, atomically.")
                        .flagsProcedure(ScriptingCommands::evalFlags).handler(call -> eval(call, true)).build(),
                eval("evalsha_ro", true, "sha1", "7.0.0",
                        "Runs a cached Lua script that only reads, named by its SHA1, atomically.")
                        .flagsProcedure(this::evalshaFlags).handler(call -> evalsha(call, true)).build(),
                Command.builder("script").arity(-2).group("scripting").summary("Manages the server's cache of Lua scripts.")
                        .since("2.6.0").complexity("Depends on subcommand.")
                        .subcommand(script("debug", 3, "noscript", "O(1)",
                                "Sets the debug mode of the scripts the client runs next (YES forks, which Postbox "
                                        + "does not).")
                                .since("3.2.0").syntax("<YES | SYNC | NO>").handler(ScriptingCommands::debug))
                        .subcommand(script("exists", -3, "noscript", "O(N) with N the number of SHA1s asked about.",
                                "Tells which scripts are in the cache.").syntax("sha1 [sha1 ...]")
                                .tips("request_policy:all_shards", "response_policy:agg_logical_and")
                                .handler(this::exists))
                        .subcommand(script("flush", -2, "noscript", "O(N) with N the number of cached scripts.",
                                "Empties the script cache.").syntax("[ASYNC | SYNC]")
                                .history("6.2.0", "Added the `ASYNC` and `SYNC` flushing mode modifiers.")
                                .tips("request_policy:all_nodes", "response_policy:all_succeeded")
                                .handler(this::flush))
                        .subcommand(script("kill", 2, "noscript allow_busy", "O(1)",
                                "Stops the running script, if it has not written.").syntax("")
                                .tips("request_policy:all_shards", "response_policy:one_succeeded")
                                .handler(this::kill))
                        .subcommand(script("load", 3, "noscript stale", "O(N) with N the length of the script.",
                                "Compiles a script into the cache without running it.").syntax("script")
                                .tips("request_policy:all_nodes", "response_policy:all_succeeded")
                                .handler(this::load))
                        .subcommand(script("help", 2, "loading stale", "O(1)", "Describes the SCRIPT subcommands.")
                                .since("5.0.0").syntax("").handler(ScriptingCommands::help))
                        .build()));
        return commands;
    }

    /** EVAL and its variants; a call's flags follow its script ({@link #evalFlags}, {@link #evalshaFlags}). */
    private static Command.Builder eval(String name, boolean readOnly, String first, String since, String summary) {
        return Command.builder(name).arity(-3)
                .flags((readOnly ? "readonly" : "may_replicate") + " noscript stale skip_monitor no_mandatory_keys"
                        + " movablekeys").acl("@scripting")
                .keys(KeySpec.keyNum(readOnly ? "RO access" : "RW access update", 2, 0, 1, 1)
                        .withNotes(name.equals("eval") ? "We cannot tell how the keys will be used so we assume the"
                                + " worst, RW and UPDATE" : name.equals("eval_ro") ? "We cannot tell how the keys will"
                                + " be used so we assume the worst, RO and ACCESS" : ""))
                .group("scripting").summary(summary).since(since).complexity("Depends on the script.")
                .syntax(first + EVAL_SYNTAX).runsScript();
    }

    private static Command.Builder script(String name, int arity, String flags, String complexity, String summary) {
        return Command.builder(name).arity(arity).flags(flags).acl("@scripting").group("scripting").summary(summary).since("2.6.0")
                .complexity(complexity);
    }

    /**
     * EVAL's flags follow the script's shebang, as in Redis: a script without one keeps EVAL's own
     * flags, and so does one whose shebang is bad (the call then fails).
     */
    private static long evalFlags(byte[][] args, long declared) {
        try {
            return Shebang.parse(args[1]).commandFlags(declared);
        } catch (ErrorReply badShebang) {
            return declared;
        }
    }

    /** EVALSHA's flags are those of the script it names; an unknown SHA keeps EVALSHA's own. */
    private long evalshaFlags(byte[][] args, long declared) {
        EvalScripts made = scripts;
        EvalScripts.Script script = made == null ? null : made.find(args[1]);
        return script == null ? declared : script.shebang().commandFlags(declared);
    }

    /**
     * EVAL and EVAL_RO: numkeys is checked before the script compiles. MONITOR shows every one, even
     * those that fail.
     */
    private void eval(Invocation call, boolean readOnly) {
        showToMonitors(call);
        switch (call.client().scriptDebugging()) {
            case NO -> run(call, readOnly);
            case SYNC -> scripts(call.engine()).debug(call, () -> run(call, readOnly));
            case YES -> {
                call.client().scriptDebugging(Client.ScriptDebugging.NO);
                throw NO_FORK;
            }
        }
    }

    private void run(Invocation call, boolean readOnly) {
        int numkeys = numkeys(call);
        EvalScripts scripts = scripts(call.engine());
        scripts.run(call, scripts.load(call.arg(1)), numkeys, readOnly);
    }

    /**
     * EVALSHA and EVALSHA_RO: as in Redis, a SHA that is not 40 characters long is unknown at once; any
     * other is looked up once numkeys has been checked.
     */
    private void evalsha(Invocation call, boolean readOnly) {
        showToMonitors(call);
        if (call.arg(1).length != ScriptSha.HEX_LENGTH) {
            throw EvalScripts.NO_SCRIPT;
        }
        if (call.client().scriptDebugging() != Client.ScriptDebugging.NO) {
            throw EVALSHA_DEBUGGED;
        }
        int numkeys = numkeys(call);
        EvalScripts scripts = scripts(call.engine());
        EvalScripts.Script script = scripts.find(call.arg(1));
        if (script == null) {
            throw EvalScripts.NO_SCRIPT;
        }
        scripts.run(call, script, numkeys, readOnly);
    }

    /** Script commands are flagged skip_monitor: they are shown here, before the commands they run. */
    private static void showToMonitors(Invocation call) {
        call.engine().monitors().feedScriptCall(call.client(), call.args());
    }

    private static int numkeys(Invocation call) {
        long numkeys = call.longArg(2);
        if (numkeys > call.argc() - 3) {
            throw TOO_MANY_KEYS;
        }
        if (numkeys < 0) {
            throw NEGATIVE_KEYS;
        }
        return (int) numkeys;
    }

    private void exists(Invocation call) {
        EvalScripts scripts = scripts(call.engine());
        call.reply().array(call.argc() - 2);
        for (int i = 2; i < call.argc(); i++) {
            call.reply().integer(scripts.find(call.arg(i)) != null ? 1 : 0);
        }
    }

    private void flush(Invocation call) {
        if (call.argc() > 3 || call.argc() == 3 && !call.argIs(2, "sync") && !call.argIs(2, "async")) {
            throw FLUSH_SYNTAX;
        }
        scripts(call.engine()).flush();
        call.reply().ok();
    }

    /**
     * SYNC: the client's next EVAL runs in a debugging session ({@link ScriptDebugger}). YES asks for
     * Redis's forked session, which EVAL then refuses (it is not run as SYNC, which would keep the
     * changes YES promises to throw away). NO ends either.
     */
    private static void debug(Invocation call) {
        if (call.client().pendingOutputBytes() > 0) {
            throw DEBUG_IN_PIPELINE;
        }
        if (call.argIs(2, "no") || call.argIs(2, "yes") || call.argIs(2, "sync")) {
            call.client().scriptDebugging(Client.ScriptDebugging.valueOf(
                    new String(call.arg(2), StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT)));
            call.reply().ok();
        } else {
            throw DEBUG_SYNTAX;
        }
    }

    private void load(Invocation call) {
        call.reply().bulk(scripts(call.engine()).load(call.arg(2)).sha());
    }

    /** May run on the server's busy thread while a script runs: touches only the running-script flags. */
    private void kill(Invocation call) {
        running.kill(false);
        call.reply().ok();
    }

    private static void help(Invocation call) {
        Help.reply(call,
                "DEBUG (YES|SYNC|NO)",
                "    Set the debug mode for subsequent scripts executed.",
                "EXISTS <sha1> [<sha1> ...]",
                "    Return information about the existence of the scripts in the script cache.",
                "FLUSH [ASYNC|SYNC]",
                "    Flush the Lua scripts cache. Very dangerous on replicas.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the scripts cache.",
                "    * SYNC: Synchronously flush the scripts cache.",
                "KILL",
                "    Kill the currently executing Lua script.",
                "LOAD <script>",
                "    Load a script into the scripts cache without executing it.");
    }

    /** The scripts of this engine, made at first use (SCRIPT KILL may look from the busy thread). */
    private EvalScripts scripts(Engine engine) {
        EvalScripts made = scripts;
        if (made == null) {
            synchronized (this) {
                if (scripts == null) {
                    scripts = new EvalScripts(engine, running);
                    engine.attach(this);
                }
                made = scripts;
            }
        }
        return made;
    }

    // ---- Function libraries in snapshots (executor thread)

    @Override
    public List<byte[]> libraryCodes() {
        FunctionLibraries libraries = functions.librariesIfMade();
        return libraries == null ? List.of() : libraries.codes();
    }

    @Override
    public void loadLibrary(Engine engine, byte[] code, boolean replace) {
        functions.libraries(engine).load(code, replace);
    }

    @Override
    public void flushLibraries() {
        FunctionLibraries libraries = functions.librariesIfMade();
        if (libraries != null) {
            libraries.flush();
        }
    }

    // ---- INFO memory figures (executor thread)

    @Override
    public long evalVmBytes() {
        return scripts == null ? 0 : scripts.vmBytes();
    }

    @Override
    public long evalScriptBytes() {
        return scripts == null ? 0 : scripts.scriptBytes();
    }

    @Override
    public int cachedScripts() {
        return scripts == null ? 0 : scripts.count();
    }

    @Override
    public long functionsVmBytes() {
        FunctionLibraries libraries = functions.librariesIfMade();
        return libraries == null ? 0 : libraries.vmBytes();
    }

    @Override
    public long functionBytes() {
        FunctionLibraries libraries = functions.librariesIfMade();
        return libraries == null ? 0 : libraries.codeBytes();
    }

    @Override
    public int functions() {
        FunctionLibraries libraries = functions.librariesIfMade();
        return libraries == null ? 0 : libraries.functionCount();
    }

    @Override
    public int libraries() {
        FunctionLibraries libraries = functions.librariesIfMade();
        return libraries == null ? 0 : libraries.libraryCount();
    }
}
