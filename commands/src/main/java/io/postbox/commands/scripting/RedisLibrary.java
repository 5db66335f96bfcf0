package io.postbox.commands.scripting;

import io.postbox.commands.Client;
import io.postbox.commands.Command;
import io.postbox.commands.CommandFlag;
import io.postbox.commands.CommandLog;
import io.postbox.commands.Engine;
import io.postbox.commands.Errors;
import io.postbox.commands.acl.AclDenial;
import io.postbox.commands.acl.AclLog;
import io.postbox.commands.admin.LogLevel;
import io.postbox.resp.DoubleFormat;
import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;

/**
 * The {@code redis} table scripts see: call and pcall (run a command as the script client, through
 * the dispatcher, so statistics, the slow log, MONITOR and the append-only file see it), error_reply,
 * status_reply, sha1hex, log, setresp, set_repl and replicate_commands, acl_check_cmd, breakpoint and
 * debug (which talk to the {@link ScriptDebugger} of a debugging session, and do nothing outside one), and
 * the constants. Errors are Redis's texts: tables
 * {@code {err="ERR ..."}} that call raises and pcall returns.
 */
final class RedisLibrary implements NativeLua.Calls {

    private static final int LOG_DEBUG = 0;
    private static final int LOG_WARNING = 3;
    /** redis.set_repl's flags, the bits of where a write is propagated. */
    static final int REPL_AOF = CommandLog.TO_AOF;
    static final int REPL_REPLICA = CommandLog.TO_REPLICAS;
    static final int REPL_ALL = REPL_AOF | REPL_REPLICA;
    /** 7.0.15 as Redis packs it: major << 16 | minor << 8 | patch. */
    private static final int VERSION_NUM = 7 << 16 | 0 << 8 | 15;
    private static final HexFormat HEX = HexFormat.of();
    private static final ErrorReply UNKNOWN_COMMAND = Errors.err("Unknown Redis command called from script");
    private static final ErrorReply WRONG_ARITY = Errors.err("Wrong number of args calling Redis command from script");
    private static final ErrorReply NOT_FROM_SCRIPT = Errors.err("This Redis command is not allowed from script");
    private static final ErrorReply ON_STALE_REPLICA = Errors.err("Can not execute the command on a stale replica");
    private static final ErrorReply WRITE_FROM_READ_ONLY =
            Errors.err("Write commands are not allowed from read-only scripts.");
    /** A digest per thread: looking one up costs more than hashing a short script. */
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    });

    private final Engine engine;
    private final ScriptClient client;
    private final ReplyToLua replies;
    private final RunningScript running;
    /** Whether this is EVAL's library, which has three functions more than function libraries get. */
    private final boolean forEval;
    /** The client whose EVAL or FCALL runs: its user's rules apply to the script's calls. */
    private Client caller;
    private boolean readOnly;
    private boolean allowOom;
    /** The debugger of the session the running script is in, or null. */
    private ScriptDebugger debugger;

    RedisLibrary(Engine engine, ScriptClient client, ReplyToLua replies, RunningScript running, boolean forEval) {
        this.engine = engine;
        this.client = client;
        this.replies = replies;
        this.running = running;
        this.forEval = forEval;
    }

    /**
     * For the script about to run: who called it (the script acts as the caller's user), whether it
     * may only read (EVAL_RO, FCALL_RO, or a {@code no-writes} flag), and whether it declared {@code allow-oom}.
     */
    void prepare(Client caller, boolean readOnly, boolean allowOom) {
        this.caller = caller;
        this.readOnly = readOnly;
        this.allowOom = allowOom;
        client.user(caller.user());
        client.replication(REPL_ALL);
    }

    void debugger(ScriptDebugger debugger) {
        this.debugger = debugger;
    }

    /** Pushes the {@code redis} table; call and pcall are the native layer's ({@code bridge}). */
    void push(Lua lua, long bridge) {
        lua.newTable();
        for (boolean raise : new boolean[] {true, false}) {
            lua.push(raise ? "call" : "pcall");
            NativeLua.pushCall(lua.getPointer(), bridge, raise);
            lua.rawSet(-3);
        }
        function(lua, "error_reply", l -> errorReply(l));
        function(lua, "status_reply", l -> statusReply(l));
        function(lua, "sha1hex", RedisLibrary::sha1hex);
        function(lua, "log", this::log);
        function(lua, "setresp", this::setresp);
        function(lua, "set_repl", this::setRepl);
        function(lua, "acl_check_cmd", this::aclCheckCommand);
        if (forEval) {
            // Redis's EVAL scripts only: functions always replicate their effects, and the debugger
            // debugs EVAL only.
            function(lua, "replicate_commands", l -> {
                l.push(true);
                return 1;
            });
            function(lua, "breakpoint", l -> {
                if (debugger != null) {
                    debugger.breakpoint();
                }
                l.push(debugger != null);
                return 1;
            });
            function(lua, "debug", l -> {
                if (debugger != null) {
                    debugger.logDebug(l.getTop());
                }
                return 0;
            });
        }
        constants(lua);
    }

    /** Pushes the {@code redis} table a function library's code sees while it loads, but register_function. */
    void pushLoadingApi(Lua lua) {
        lua.newTable();
        function(lua, "log", this::log);
        constants(lua);
    }

    private static void constants(Lua lua) {
        constant(lua, "LOG_DEBUG", LOG_DEBUG);
        constant(lua, "LOG_VERBOSE", 1);
        constant(lua, "LOG_NOTICE", 2);
        constant(lua, "LOG_WARNING", LOG_WARNING);
        constant(lua, "REPL_NONE", 0);
        constant(lua, "REPL_AOF", REPL_AOF);
        constant(lua, "REPL_SLAVE", REPL_REPLICA);
        constant(lua, "REPL_REPLICA", REPL_REPLICA);
        constant(lua, "REPL_ALL", REPL_ALL);
        lua.push("REDIS_VERSION");
        lua.push(Engine.REDIS_VERSION);
        lua.rawSet(-3);
        constant(lua, "REDIS_VERSION_NUM", VERSION_NUM);
    }

    /**
     * redis.call ({@code raise}) and redis.pcall, from the native layer with the arguments on the
     * tape: checks the command as Redis does, then runs it; its reply is left on the tape.
     */
    @Override
    public int call(int argc, boolean raise) {
        if (argc == 0) {
            return failed(raise, "Please specify at least one argument for this redis lib call");
        }
        if (argc < 0) {
            return failed(raise, "Lua redis lib command arguments must be strings or integers");
        }
        byte[][] args = replies.tape().strings(argc);
        ScriptDebugger logging = debugger != null && debugger.logsCommands() ? debugger : null;
        if (logging != null) {
            logging.logCommand(args);
        }
        Command command = engine.commands().lookupCall(args);
        ErrorReply refusal = refusal(command, args);
        if (refusal != null) {
            return refused(raise, command, refusal);
        }
        if (command.is(CommandFlag.WRITE)) {
            running.wrote();
        }
        replies.start();
        if (logging == null) {
            engine.dispatcher().call(client, command, args);
        } else {
            callLogged(logging, command, args);
        }
        replies.end();
        return raise && replies.wasError() ? 1 : 0;
    }

    /** Runs a command while the debugger steps: its reply is logged on its way to the script. */
    private void callLogged(ScriptDebugger logging, Command command, byte[][] args) {
        LoggedReply logged = new LoggedReply(replies);
        client.log(logged);
        try {
            engine.dispatcher().call(client, command, args);
        } finally {
            client.log(null);
        }
        logging.logReply(logged);
    }

    /**
     * Why the script may not run {@code args} ({@code command} is null if there is no such command), in
     * Redis's words and order; null if it may.
     */
    private ErrorReply refusal(Command command, byte[][] args) {
        if (command == null) {
            return UNKNOWN_COMMAND;
        }
        if (!command.arityAccepts(args.length)) {
            return WRONG_ARITY;
        }
        if (command.is(CommandFlag.NOSCRIPT) && !engine.scriptsMayRunNoscript()) {
            return NOT_FROM_SCRIPT;
        }
        if (!command.is(CommandFlag.STALE) && engine.dispatcher().staleDataRefused()) {
            return ON_STALE_REPLICA;
        }
        AclDenial denial = engine.dispatcher().aclDenial(client, command, args, AclLog.Context.LUA, caller);
        if (denial != null) {
            return Errors.err(denial.scriptError());
        }
        // As in Redis, a read-only script may not run what may be replicated either (PUBLISH).
        if (readOnly && (command.is(CommandFlag.WRITE) || command.is(CommandFlag.MAY_REPLICATE))) {
            return WRITE_FROM_READ_ONLY;
        }
        // MISCONF, NOREPLICAS and READONLY refuse a script's writes as they refuse any. Neither can begin while a
        // script runs (a save's outcome reaches the executor between commands, CONFIG SET cannot run in
        // a script), so no script is cut off after writing.
        if (command.is(CommandFlag.WRITE)) {
            ErrorReply writesRefused = engine.dispatcher().diskErrorRefusal();
            if (writesRefused == null) {
                writesRefused = engine.dispatcher().replicasRefusal();
            }
            if (writesRefused == null) {
                writesRefused = engine.dispatcher().readOnlyReplicaRefusal();
            }
            if (writesRefused != null) {
                return writesRefused;
            }
        }
        // Over maxmemory when the script was let in: it may not start writing, but once it has, it is
        // not stopped halfway.
        boolean outOfMemory = !allowOom && !running.hasWritten() && engine.dispatcher().outOfMemoryAtCallStart();
        return outOfMemory && command.is(CommandFlag.DENYOOM) ? Errors.OOM : null;
    }

    /**
     * A command refused from a script counts as Redis counts it, as a rejected call and an error
     * reply; its error table is marked counted, so the script's own reply does not count it again.
     */
    private int refused(boolean raise, Command command, ErrorReply refusal) {
        engine.stats().error(refusal.code());
        if (command != null) {
            engine.stats().of(command).rejectedCalls++;
        }
        if (debugger != null) {
            // As Redis words them: its own texts bare, shared error replies whole.
            String text = refusal.text();
            debugger.logError(text.startsWith("ERR ") ? text.substring(4) : "-" + text + "\r\n");
        }
        replies.start();
        replies.error(refusal);
        return raise ? 1 : 0;
    }

    @Override
    public void grow(long bytes) {
        replies.tape().grow(bytes);
    }

    /** An error in Redis's script form on the tape: returned by pcall, raised by call (the handler adds where). */
    private int failed(boolean raise, String message) {
        if (debugger != null) {
            debugger.logError(message);
        }
        replies.errorTable(("ERR " + message).getBytes(StandardCharsets.ISO_8859_1));
        return raise ? 1 : 0;
    }

    /** The arguments as bytes (numbers as %.17g formats them), or null if one is of another type. */
    private static byte[][] arguments(Lua lua, int argc) {
        byte[][] args = new byte[argc][];
        for (int i = 0; i < argc; i++) {
            switch (lua.type(i + 1)) {
                case STRING -> args[i] = LuaStrings.bytes(lua, i + 1);
                case NUMBER -> args[i] = DoubleFormat.g17Bytes(lua.toNumber(i + 1));
                default -> {
                    return null;
                }
            }
        }
        return args;
    }

    /** Raises an error in Redis's script form (the handler adds where). */
    private static int fail(Lua lua, String message) {
        lua.setTop(0);
        pushError(lua, "ERR " + message);
        return -1;
    }

    private static void pushError(Lua lua, String text) {
        lua.newTable();
        lua.push("err");
        lua.push(text);
        lua.rawSet(-3);
    }

    /**
     * redis.error_reply: a leading '-' is optional; the first word is the error code when there are
     * several, and a single word gets ERR as its code.
     */
    private int errorReply(Lua lua) {
        if (lua.getTop() != 1 || lua.type(1) != Lua.LuaType.STRING) {
            pushError(lua, "ERR wrong number or type of arguments");
            return 1;
        }
        String text = new String(LuaStrings.bytes(lua, 1), StandardCharsets.ISO_8859_1);
        if (text.startsWith("-")) {
            text = text.substring(1);
        }
        if (debugger != null) {
            debugger.logError("-" + text);
        }
        if (text.indexOf(' ') < 0) {
            text = "ERR " + text;
        }
        replies.errorTable(text.getBytes(StandardCharsets.ISO_8859_1));
        replies.tape().pushTo(lua, 1);
        return 1;
    }

    private int statusReply(Lua lua) {
        if (lua.getTop() != 1 || lua.type(1) != Lua.LuaType.STRING) {
            pushError(lua, "ERR wrong number or type of arguments");
            return 1;
        }
        lua.newTable();
        lua.push("ok");
        lua.pushValue(1);
        lua.rawSet(-3);
        return 1;
    }

    private static int sha1hex(Lua lua) {
        if (lua.getTop() != 1) {
            return fail(lua, "wrong number of arguments");
        }
        byte[] input = lua.type(1) == Lua.LuaType.STRING || lua.type(1) == Lua.LuaType.NUMBER
                ? LuaStrings.bytes(lua, 1) : new byte[0];
        lua.push(sha1(input));
        return 1;
    }

    /** Lower-case hex SHA1, as Redis names scripts (EVAL hashes every script it is sent). */
    static String sha1(byte[] input) {
        return HEX.formatHex(SHA1.get().digest(input));
    }

    /** redis.log: the arguments after the level that are strings or numbers, joined by spaces. */
    private int log(Lua lua) {
        int argc = lua.getTop();
        if (argc < 2) {
            return fail(lua, "redis.log() requires two arguments or more.");
        }
        if (lua.type(1) != Lua.LuaType.NUMBER) {
            return fail(lua, "First argument must be a number (log level).");
        }
        long level = LuaToReply.toLong(lua.toNumber(1));
        if (level < LOG_DEBUG || level > LOG_WARNING) {
            return fail(lua, "Invalid debug level.");
        }
        StringBuilder message = new StringBuilder();
        for (int i = 2; i <= argc; i++) {
            if (lua.isString(i)) {
                if (i > 2) {
                    message.append(' ');
                }
                message.append(new String(LuaStrings.bytes(lua, i), StandardCharsets.ISO_8859_1));
            }
        }
        engine.process().log(LogLevel.values()[(int) level], message.toString());
        return 0;
    }

    private int setresp(Lua lua) {
        if (lua.getTop() != 1) {
            return fail(lua, "redis.setresp() requires one argument.");
        }
        long protocol = lua.isNumber(1) ? LuaToReply.toLong(lua.toNumber(1)) : 0;
        if (protocol != 2 && protocol != 3) {
            return fail(lua, "RESP version must be 2 or 3.");
        }
        client.protocol((int) protocol);
        return 0;
    }

    /** redis.set_repl: where the script's next writes are propagated (the AOF, or nowhere here). */
    private int setRepl(Lua lua) {
        if (lua.getTop() != 1) {
            return fail(lua, "redis.set_repl() requires two arguments.");
        }
        long flags = lua.isNumber(1) ? LuaToReply.toLong(lua.toNumber(1)) : -1;
        if (flags < 0 || flags > REPL_ALL) {
            return fail(lua, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
        }
        client.replication((int) flags);
        return 0;
    }

    private int aclCheckCommand(Lua lua) {
        int argc = lua.getTop();
        if (argc == 0) {
            return fail(lua, "Please specify at least one argument for this redis lib call");
        }
        byte[][] args = arguments(lua, argc);
        if (args == null) {
            return fail(lua, "Lua redis lib command arguments must be strings or integers");
        }
        Command command = engine.commands().lookupCall(args);
        if (command == null) {
            return fail(lua, "Invalid command passed to redis.acl_check_cmd()");
        }
        lua.push(caller.user() == null || caller.user().check(command, args) == null);
        return 1;
    }

    private static void function(Lua lua, String name, JFunction function) {
        lua.push(name);
        lua.push(function);
        lua.rawSet(-3);
    }

    private static void constant(Lua lua, String name, long value) {
        lua.push(name);
        lua.push(value);
        lua.rawSet(-3);
    }
}
