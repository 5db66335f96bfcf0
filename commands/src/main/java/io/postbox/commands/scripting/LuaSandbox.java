package io.postbox.commands.scripting;

import io.postbox.commands.scripting.lib.ScriptLibraries;
import io.postbox.resp.ErrorReply;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.lua51.Lua51;
import party.iroiro.luajava.lua51.Lua51Natives;

/**
 * One Lua 5.1 state set up as Redis 7.0 sets up its scripting state: the base, table, string, math
 * libraries, the {@code redis} table, cjson, cmsgpack, bit and struct ({@link ScriptLibraries}), then
 * the sandbox ({@code sandbox.lua}):
 * globals limited to Redis's list, read-only tables, Redis's error handler, and an instruction hook
 * that lets SCRIPT KILL stop a script; a debugging session swaps in the debugger's hook
 * ({@code debugger.lua}). Executor thread only (the hooks run on it too).
 */
final class LuaSandbox implements AutoCloseable {

    /** The first byte of a precompiled Lua chunk (LUA_SIGNATURE[0], ESC). */
    private static final byte PRECOMPILED_MARK = 27;

    private final Lua lua;
    private final Lua51Natives natives;
    private final long bridge;
    private final Tape tape;
    private final int handlerRef;
    private final int runLibraryRef;
    private final int globalsRef;
    private final int debuggingRef;
    private final int debugLibraryRef;
    private final JFunction debuggerHook;
    /** The debugger's view, made (debugger.lua loaded) for the first debugging session. */
    private StoppedScript stopped;

    /**
     * {@code redis} is the redis table's functions; {@code hook} answers the kill reason, or nothing to
     * go on; {@code debuggerHook}, in a debugging session, the error to raise or nothing.
     */
    LuaSandbox(RedisLibrary redis, JFunction hook, JFunction debuggerHook) {
        this.lua = new Lua51();
        this.debuggerHook = debuggerHook;
        this.natives = (Lua51Natives) lua.getLuaNatives();
        NativeLua.load();
        this.bridge = NativeLua.open(lua.getPointer(), redis);
        this.tape = new Tape(bridge);
        for (String library : new String[] {"base", "table", "string", "math", "debug"}) {
            lua.openLibrary(library);
        }
        redis.push(lua, bridge);
        lua.setGlobal("redis");
        // Before the sandbox below freezes the globals.
        int support = ScriptLibraries.install(lua, NativeLua::pushLibraryNatives);
        load(resource("sandbox.lua"), "=sandbox");
        lua.push(hook);
        lua.refGet(support);
        lua.unref(support);
        lua.pCall(2, 1);
        handlerRef = field("handler");
        runLibraryRef = field("run_library");
        globalsRef = field("globals");
        debuggingRef = field("debugging");
        debugLibraryRef = field("debug_library");
        lua.pop(1);
    }

    Lua lua() {
        return lua;
    }

    /** The tape values cross on between Java and this state. */
    Tape tape() {
        return tape;
    }

    /**
     * Compiles {@code source} from {@code offset} as chunk {@code name} ({@code @user_script}) and
     * returns a registry ref to the function; a syntax error is thrown as {@code errorPrefix} and
     * Lua's message.
     */
    int compile(byte[] source, int offset, String name, String errorPrefix) {
        if (!load(asText(source, offset), name)) {
            String message = new String(LuaStrings.bytes(lua, -1), StandardCharsets.ISO_8859_1);
            lua.pop(1);
            throw new ErrorReply(errorPrefix + message);
        }
        return lua.ref();
    }

    /** Swaps the debugger's hook in for a debugging session, or back out. */
    void debugging(boolean on) {
        lua.refGet(debuggingRef);
        if (on) {
            stopped().pushHook();
        } else {
            lua.pushNil();
        }
        lua.pCall(1, 0);
    }

    /** The script running in a debugging session, as the debugger sees it when it stops it. */
    StoppedScript stopped() {
        if (stopped == null) {
            if (!load(resource("debugger.lua"), "=debugger")) {
                throw new IllegalStateException("debugger.lua: " + lua.toString(-1));
            }
            lua.push(debuggerHook);
            lua.refGet(debugLibraryRef);
            lua.pCall(2, 1);
            stopped = new StoppedScript(lua, tape, lua.ref());
        }
        return stopped;
    }

    /** Bytes the Lua heap holds (LUA_GCCOUNT in KB plus LUA_GCCOUNTB). */
    long heapBytes() {
        return natives.lua_gc(lua.getPointer(), 3, 0) * 1024L + natives.lua_gc(lua.getPointer(), 4, 0);
    }

    void unref(int ref) {
        lua.unref(ref);
    }

    /**
     * Calls the function {@code functionRef} under Redis's error handler, with {@code keys} and
     * {@code args} as the globals KEYS and ARGV (EVAL) or as its two arguments (FCALL). When it
     * returns (true), the result is on the stack and on the tape, sorted into Redis's reply types
     * ({@link LuaToReply#write}); when it fails (false), the error table
     * {@code {err=, source=, line=}} is on the stack.
     */
    boolean call(int functionRef, byte[][] keys, byte[][] args, boolean asArguments) {
        tape.clear();
        strings(keys);
        strings(args);
        int status = NativeLua.runScript(lua.getPointer(), bridge, handlerRef, globalsRef, functionRef, asArguments);
        if (status < 0) {
            throw new ErrorReply("ERR the script's result does not fit in memory");
        }
        return status == 0;
    }

    /**
     * Runs a function library's code ({@code chunkRef}) with {@code api} (on the stack's top, popped)
     * as its {@code redis}; returns null, or the error table's text when the code failed.
     */
    String runLibrary(int chunkRef) {
        lua.refGet(handlerRef);
        lua.insert(-2);
        lua.refGet(runLibraryRef);
        lua.insert(-2);
        lua.refGet(chunkRef);
        lua.insert(-2);
        int base = lua.getTop() - 3;
        boolean ok = natives.lua_pcall(lua.getPointer(), 2, 0, base) == 0;
        String error = ok ? null : LuaToReply.errorText(lua);
        if (!ok && error == null) {
            error = "ERR " + (lua.isString(-1) ? lua.toString(-1) : "Error running library");
        }
        lua.setTop(0);
        return error;
    }

    @Override
    public void close() {
        lua.close();
        NativeLua.close(bridge);
    }

    private void strings(byte[][] values) {
        tape.header(NativeLua.ARRAY, values.length);
        for (byte[] value : values) {
            tape.string(value);
        }
    }

    private boolean load(ByteBuffer code, String name) {
        return natives.luaJ_loadbuffer(lua.getPointer(), code, code.remaining(), name) == 0;
    }

    private boolean load(byte[] code, String name) {
        return load(slice(code, 0), name);
    }

    /**
     * {@code code} from {@code offset}, to be parsed as text whatever it holds: Redis's Lua has no loader
     * for precompiled chunks, which Lua 5.1 runs unverified. A chunk that starts as one does (ESC) gets
     * a space in front, so that it fails to parse as text, with Redis's message.
     */
    private static ByteBuffer asText(byte[] code, int offset) {
        if (offset >= code.length || code[offset] != PRECOMPILED_MARK) {
            return slice(code, offset);
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(code.length - offset + 1);
        buffer.put((byte) ' ').put(code, offset, code.length - offset).flip();
        return buffer;
    }

    private static ByteBuffer slice(byte[] code, int offset) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(code.length - offset);
        buffer.put(code, offset, code.length - offset).flip();
        return buffer;
    }

    /** Pops nothing: reads field {@code name} of the table on top and returns a registry ref to it. */
    private int field(String name) {
        lua.push(name);
        lua.rawGet(-2);
        return lua.ref();
    }

    private static byte[] resource(String name) {
        try (InputStream in = LuaSandbox.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
