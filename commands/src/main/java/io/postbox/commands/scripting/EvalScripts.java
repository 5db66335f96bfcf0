package io.postbox.commands.scripting;

import io.postbox.commands.Engine;
import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.admin.LogLevel;
import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The EVAL scripts and the one Lua state they run in, as Redis keeps them: each script body is
 * compiled once into a function, named by the lower-case SHA1 of the body; SCRIPT FLUSH drops them
 * all with the state. The state is made on first use. Executor thread only.
 */
final class EvalScripts {

    static final ErrorReply NO_SCRIPT = new ErrorReply("NOSCRIPT No matching script. Please use EVAL.");

    /** A compiled script: its name, shebang, and the registry ref of its function. */
    record Script(String sha, Shebang shebang, int ref) {
    }

    /** EVAL_RO and FCALL_RO of code that does not declare no-writes. */
    static final ErrorReply WRITE_FLAG_IN_READ_ONLY =
            new ErrorReply("ERR Can not execute a script with write flag using *_ro command.");

    private final Engine engine;
    private final RunningScript running;
    private final ScriptRunner runner;
    private final Map<ScriptSha, Script> scripts = new HashMap<>();
    private LuaSandbox sandbox;
    private long scriptBytes;

    EvalScripts(Engine engine, RunningScript running) {
        this.engine = engine;
        this.running = running;
        this.runner = ScriptRunner.forEval(engine, running);
    }

    /** The script with this body, compiled now if it is new; a bad shebang or syntax error is thrown. */
    Script load(byte[] body) {
        String sha = RedisLibrary.sha1(body);
        ScriptSha key = ScriptSha.parse(sha.getBytes(StandardCharsets.ISO_8859_1));
        Script script = scripts.get(key);
        if (script != null) {
            return script;
        }
        Shebang shebang = Shebang.parse(body);
        int ref = sandbox().compile(body, shebang.bodyStart(), "@user_script",
                "ERR Error compiling script (new function): ");
        script = new Script(sha, shebang, ref);
        scripts.put(key, script);
        scriptBytes += body.length;
        return script;
    }

    /** The script named {@code sha} (either case), or null. */
    Script find(byte[] sha) {
        ScriptSha key = ScriptSha.parse(sha);
        return key == null ? null : scripts.get(key);
    }

    /** Drops every script, and the state with them. */
    void flush() {
        scripts.clear();
        scriptBytes = 0;
        if (sandbox != null) {
            sandbox.close();
            sandbox = null;
        }
    }

    int count() {
        return scripts.size();
    }

    long scriptBytes() {
        return scriptBytes;
    }

    long vmBytes() {
        return sandbox == null ? 0 : sandbox.heapBytes();
    }

    /**
     * Runs {@code script} for {@code call}: KEYS and ARGV from the arguments after numkeys, read-only
     * when the command is (EVAL_RO) or the script says so. A script with a shebang must say
     * {@code no-writes} to run from EVAL_RO.
     */
    void run(Invocation call, Script script, int numkeys, boolean readOnlyCommand) {
        boolean noWrites = script.shebang().has(ScriptFlag.NO_WRITES);
        if (readOnlyCommand && script.shebang().declared() && !noWrites) {
            throw WRITE_FLAG_IN_READ_ONLY;
        }
        // A script without a shebang declares no allow-stale: Redis's backwards-compatible mode refuses it
        // on a stale replica here, keeping the command's own flags for the checks before.
        if (!script.shebang().declared() && call.engine().dispatcher().staleDataRefused()) {
            throw Errors.MASTERDOWN;
        }
        byte[][] keys = slice(call.args(), 3, numkeys);
        byte[][] args = slice(call.args(), 3 + numkeys, call.argc() - 3 - numkeys);
        runner.run(call, sandbox(), script.sha(), false, script.ref(), keys, args, script.shebang().flags(),
                readOnlyCommand);
    }

    /**
     * Runs {@code eval}, an EVAL of {@code call}, as its client's debugging session (SCRIPT DEBUG SYNC,
     * {@link ScriptDebugger}); the whole of it, as in Redis, so even an EVAL refused for its arguments
     * ends the session with {@code <endsession>}. The connection closes after the reply.
     */
    void debug(Invocation call, Runnable eval) {
        ScriptDebugger debugger = new ScriptDebugger(call.client(), engine.scriptWatch(), running::killRequested,
                () -> engine.config().getLong("busy-reply-threshold"), call.arg(1));
        engine.process().log(LogLevel.WARNING, "Postbox synchronous debugging eval session started");
        runner.debugger(debugger);
        try {
            eval.run();
        } finally {
            runner.debugger(null);
            debugger.end();
            engine.process().log(LogLevel.WARNING, "Postbox synchronous debugging eval session ended");
            call.client().closeAfterReply();
        }
    }

    private LuaSandbox sandbox() {
        if (sandbox == null) {
            sandbox = runner.newSandbox();
        }
        return sandbox;
    }

    private static byte[][] slice(byte[][] all, int from, int count) {
        byte[][] part = new byte[count][];
        System.arraycopy(all, from, part, 0, count);
        return part;
    }
}
