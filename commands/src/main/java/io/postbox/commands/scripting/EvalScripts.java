package io.postbox.commands.scripting;

import io.postbox.commands.Client;
import io.postbox.commands.Engine;
import io.postbox.commands.Invocation;
import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import party.iroiro.luajava.Lua;

/**
 * The EVAL scripts and the one Lua state they run in, as Redis keeps them: each script body is
 * compiled once into a function, named by the lower-case SHA1 of the body; SCRIPT FLUSH drops them
 * all with the state. The state is made on first use. Executor thread only, except
 * {@link #running()}, which the KILL commands may use from the server's busy thread.
 */
final class EvalScripts {

    static final ErrorReply NO_SCRIPT = new ErrorReply("NOSCRIPT No matching script. Please use EVAL.");

    /** A compiled script: its name, shebang, and the registry ref of its function. */
    record Script(String sha, Shebang shebang, int ref) {
    }

    private final Engine engine;
    private final RunningScript running = new RunningScript();
    private final ReplyToLua replies = new ReplyToLua();
    private final ScriptClient client;
    private final RedisLibrary redis;
    private final Map<String, Script> scripts = new HashMap<>();
    private LuaSandbox sandbox;
    private boolean killed;

    EvalScripts(Engine engine) {
        this.engine = engine;
        this.client = new ScriptClient(engine, replies);
        this.redis = new RedisLibrary(engine, client, replies, running);
    }

    RunningScript running() {
        return running;
    }

    /** The script with this body, compiled now if it is new; a bad shebang or syntax error is thrown. */
    Script load(byte[] body) {
        String sha = RedisLibrary.sha1(body);
        Script script = scripts.get(sha);
        if (script != null) {
            return script;
        }
        Shebang shebang = Shebang.parse(body);
        int ref = sandbox().compile(body, shebang.bodyStart(), "@user_script");
        script = new Script(sha, shebang, ref);
        scripts.put(sha, script);
        return script;
    }

    /** The script named {@code sha} (either case), or null. */
    Script find(byte[] sha) {
        if (sha.length != 40) {
            return null;
        }
        return scripts.get(new String(sha, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT));
    }

    /** Drops every script, and the state with them. */
    void flush() {
        scripts.clear();
        if (sandbox != null) {
            sandbox.close();
            sandbox = null;
        }
    }

    /**
     * Runs {@code script} for {@code call}: KEYS and ARGV from the arguments after numkeys, commands
     * as the script client in the caller's database, read-only when the command is (EVAL_RO) or the
     * script says so. The result is the caller's reply; an error (raised, or returned as {@code {err=}})
     * is thrown, a raised one with where it was raised.
     */
    void run(Invocation call, Script script, int numkeys, boolean readOnlyCommand) {
        byte[][] keys = slice(call.args(), 3, numkeys);
        byte[][] args = slice(call.args(), 3 + numkeys, call.argc() - 3 - numkeys);
        LuaSandbox sandbox = sandbox();
        Client caller = call.client();
        engine.monitors().feedScriptCall(caller, call.args());
        redis.readOnly(readOnlyCommand || script.shebang().has(ScriptFlag.NO_WRITES));
        client.database(caller.database());
        client.protocol(2);
        boolean returned;
        running.started(false);
        engine.scriptWatch().started(false);
        try {
            returned = sandbox.call(script.ref(), keys, args);
        } finally {
            engine.scriptWatch().ended();
            running.ended();
        }
        Lua lua = sandbox.lua();
        try {
            if (!returned) {
                throw raised(lua, script.sha());
            }
            String error = LuaToReply.errorText(lua);
            if (error != null) {
                throw new ErrorReply(error);
            }
            LuaToReply.write(lua, call.reply(), replies.protocol());
        } finally {
            lua.setTop(0);
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
        return new ErrorReply(error);
    }

    private LuaSandbox sandbox() {
        if (sandbox == null) {
            sandbox = new LuaSandbox(redis, lua -> {
                engine.scriptWatch().running();
                if (killed || running.killRequested()) {
                    killed = true;
                    lua.push(RunningScript.KILLED);
                } else {
                    lua.pushNil();
                }
                return 1;
            });
            replies.decodeRef(sandbox.decodeRef());
        }
        return sandbox;
    }

    private static byte[][] slice(byte[][] all, int from, int count) {
        byte[][] part = new byte[count][];
        System.arraycopy(all, from, part, 0, count);
        return part;
    }
}
