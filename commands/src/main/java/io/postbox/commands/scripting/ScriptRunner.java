package io.postbox.commands.scripting;

import io.postbox.commands.Engine;
import io.postbox.commands.Invocation;
import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;

/**
 * Runs Lua code for a command, as Redis runs a script or a function: its commands as the script
 * client in the caller's database (read-only if asked), watched by the server (-BUSY past the
 * threshold, SCRIPT KILL / FUNCTION KILL), and its result or error made the caller's reply. One runner
 * per Lua state; the {@link RunningScript} is shared by all. Executor thread only.
 */
final class ScriptRunner {

    private final Engine engine;
    private final RunningScript running;
    private final ReplyToLua replies = new ReplyToLua();
    private final ScriptClient client;
    private final RedisLibrary redis;
    private boolean killed;
    /** The debugger of a debugging session (SCRIPT DEBUG SYNC) the next runs are in, or null. */
    private ScriptDebugger debugger;
    /** When the library code now loading started (FUNCTION LOAD), or 0. */
    private long loadingSince;

    private ScriptRunner(Engine engine, RunningScript running, boolean forEval) {
        this.engine = engine;
        this.running = running;
        this.client = new ScriptClient(engine, replies);
        this.redis = new RedisLibrary(engine, client, replies, running, forEval);
    }

    /** The runner of EVAL's scripts. */
    static ScriptRunner forEval(Engine engine, RunningScript running) {
        return new ScriptRunner(engine, running, true);
    }

    /** The runner of function libraries, whose {@code redis} lacks EVAL's debugger and replication calls. */
    static ScriptRunner forFunctions(Engine engine, RunningScript running) {
        return new ScriptRunner(engine, running, false);
    }

    RedisLibrary redis() {
        return redis;
    }

    /** Runs the next scripts in {@code debugger}'s session, until called with null. */
    void debugger(ScriptDebugger debugger) {
        this.debugger = debugger;
        redis.debugger(debugger);
    }

    /** A fresh sandbox whose scripts this runner runs. */
    LuaSandbox newSandbox() {
        LuaSandbox sandbox = new LuaSandbox(redis, hook(), debuggerHook());
        replies.tape(sandbox.tape());
        return sandbox;
    }

    /**
     * Runs a function library's code (FUNCTION LOAD) with the api table on the stack's top; as in Redis
     * it may take at most {@value #LOAD_TIMEOUT_MILLIS} ms. Returns null or the error's text.
     */
    String loadLibrary(LuaSandbox sandbox, int chunk) {
        loadingSince = System.currentTimeMillis();
        try {
            return sandbox.runLibrary(chunk);
        } finally {
            loadingSince = 0;
        }
    }

    private static final long LOAD_TIMEOUT_MILLIS = 500;

    /** The instruction hook's question: the reason to stop the script, or nothing. */
    private JFunction hook() {
        return lua -> {
            if (loadingSince != 0) {
                if (System.currentTimeMillis() - loadingSince > LOAD_TIMEOUT_MILLIS) {
                    lua.push("FUNCTION LOAD timeout");
                } else {
                    lua.pushNil();
                }
                return 1;
            }
            engine.scriptWatch().running();
            if (killed || running.killRequested()) {
                killed = true;
                lua.push(RunningScript.KILLED);
            } else {
                lua.pushNil();
            }
            return 1;
        };
    }

    /**
     * The debugger's hook, at a line of the script or every 100000 instructions ({@code (count, line)}):
     * the error to raise in the script (abort, a kill), or nothing to go on. A kill asked for while the
     * script was stopped ends it at once.
     */
    private JFunction debuggerHook() {
        return lua -> {
            boolean count = lua.toBoolean(1);
            if (count) {
                engine.scriptWatch().running();
            }
            String error = killed || running.killRequested() ? RunningScript.KILLED
                    : debugger.atLine(count, (int) lua.toNumber(2));
            if (error == null && running.killRequested()) {
                error = RunningScript.KILLED;
            }
            killed = error == RunningScript.KILLED;
            if (error == null) {
                lua.pushNil();
            } else {
                lua.push(error);
            }
            return 1;
        };
    }

    /**
     * Runs {@code functionRef} of {@code sandbox} for {@code call}, named {@code name} in error texts
     * (the script's SHA1, or the function's name), under the {@code flags} it declared: read-only if
     * they say {@code no-writes} or the command is ({@code readOnlyCommand}). The result becomes the
     * reply; an error (raised, or returned as {@code {err=}}) is thrown, a raised one with where it was
     * raised.
     */
    void run(Invocation call, LuaSandbox sandbox, String name, boolean function, int functionRef, byte[][] keys,
             byte[][] args, Set<ScriptFlag> flags, boolean readOnlyCommand) {
        redis.prepare(call.client(), readOnlyCommand || flags.contains(ScriptFlag.NO_WRITES),
                flags.contains(ScriptFlag.ALLOW_OOM));
        client.database(call.client().database());
        client.protocol(2);
        boolean returned;
        running.started(function, name, call.args(), call.now());
        engine.scriptWatch().started(function);
        if (debugger != null) {
            debugger.script(sandbox.stopped());
            sandbox.debugging(true);
        }
        try {
            returned = sandbox.call(functionRef, keys, args, function);
        } finally {
            if (debugger != null) {
                sandbox.debugging(false);
            }
            engine.scriptWatch().ended();
            running.ended();
            if (debugger != null) {
                // Its last words come before the script's reply, as Redis sends them past the reply buffer.
                debugger.end();
            }
        }
        Lua lua = sandbox.lua();
        Tape tape = sandbox.tape();
        // A raised error is left on Lua's stack; what a script returned is on the tape, the stack empty.
        try {
            if (!returned) {
                throw raised(lua, name);
            }
            if (NativeLua.isError(tape.tagAt(0))) {
                throw LuaToReply.returnedError(tape);
            }
            if (LuaToReply.write(tape, call.reply(), replies.protocol(), engine.stats())) {
                call.fail();
            }
        } finally {
            if (!returned) {
                lua.setTop(0);
            }
            tape.trim();
            killed = false;
        }
    }

    /** A raised error as the caller sees it: the error text, then which script and where, if known. */
    private static ErrorReply raised(Lua lua, String name) {
        String error = LuaToReply.errorText(lua);
        if (error == null) {
            return new ErrorReply(lua.isString(-1)
                    ? "ERR " + new String(LuaStrings.bytes(lua, -1), StandardCharsets.ISO_8859_1)
                    : "ERR Error running script");
        }
        lua.push("source");
        lua.rawGet(-2);
        lua.push("line");
        lua.rawGet(-3);
        if (lua.isString(-2) && lua.isNumber(-1)) {
            error += " script: " + name + ", on " + lua.toString(-2) + ":" + (long) lua.toNumber(-1) + ".";
        }
        lua.pop(2);
        return counted(lua, new ErrorReply(error));
    }

    /** {@code error}, marked as counted if the error table at the top says so ({@link ReplyToLua#COUNTED}). */
    private static ErrorReply counted(Lua lua, ErrorReply error) {
        lua.push(ReplyToLua.COUNTED);
        lua.rawGet(-2);
        boolean counted = lua.toBoolean(-1);
        lua.pop(1);
        return counted ? error.counted() : error;
    }
}
