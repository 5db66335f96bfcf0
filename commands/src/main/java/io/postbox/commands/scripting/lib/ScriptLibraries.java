package io.postbox.commands.scripting.lib;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

import party.iroiro.luajava.Lua;
import party.iroiro.luajava.LuaException;

/**
 * The libraries Redis 7.0 gives scripts on top of Lua 5.1: {@code cjson}, {@code cmsgpack},
 * {@code bit} (LuaBitOp) and {@code struct}, and its {@code math.random} and {@code math.randomseed}.
 *
 * <p>Their functions are C, from Postbox's native layer, as Redis's are: argument errors and error
 * positions come from Lua's auxiliary library itself. Each library is a Lua module (resources next
 * to this class) that fills its table in the order Redis's C registers it, which is the order
 * {@code pairs()} visits it in; what is written in Lua (math.random, cjson's settings) is exposed as
 * C functions that call it, so that its errors read as Redis's too. No value crosses into Java, so
 * the libraries are binary-safe (luajava passes strings as modified UTF-8).
 *
 * <p>Not thread-safe: call on the thread that owns the Lua state, before scripts run and before
 * the globals are made read-only.
 */
public final class ScriptLibraries {

    private static final String[] LIBRARIES = {"cjson", "cmsgpack", "bit", "struct"};
    private static final String[] NEEDED = {"string", "table", "math"};

    private ScriptLibraries() {
    }

    /**
     * Sets the globals {@code cjson}, {@code cmsgpack}, {@code bit} and {@code struct}, and replaces
     * {@code math.random} and {@code math.randomseed} with Redis's ({@code random.lua}). Opens the
     * standard libraries they use if they are not open yet; the debug library is used privately
     * and left as it was (absent if it was absent). Returns a registry reference to the table the
     * libraries share ({@code support.lua}), whose argument checks and errors worded as Lua's
     * auxiliary library words them serve Lua code beside the libraries too (the sandbox).
     *
     * <p>{@code pushNatives} pushes the table of C functions the native layer gives the libraries:
     * {@code bridge(f)}, which turns a library function's Lua implementation into the C function
     * scripts call, cjson's encoder and cmsgpack's functions.
     */
    public static int install(Lua lua, Consumer<Lua> pushNatives) {
        if (!isGlobalTable(lua, "_G")) {
            lua.openLibrary("base");
        }
        for (String library : NEEDED) {
            if (!isGlobalTable(lua, library)) {
                lua.openLibrary(library);
            }
        }
        boolean hadDebug = isGlobalTable(lua, "debug");
        if (!hadDebug) {
            lua.openLibrary("debug");
        }
        int top = lua.getTop();
        try {
            load(lua, "support");
            lua.getGlobal("debug");
            lua.getLuaNatives().lua_pushlightuserdata(lua.getPointer(), 0); // cjson.null is NULL
            pushNatives.accept(lua);
            lua.pCall(3, 1);
            for (String library : LIBRARIES) {
                load(lua, library);
                lua.pushValue(top + 1);
                lua.pCall(1, 1);
                lua.setGlobal(library);
            }
            load(lua, "random");
            lua.pushValue(top + 1);
            lua.getGlobal("math");
            lua.pCall(2, 0);
            lua.pushValue(top + 1);
            return lua.ref();
        } catch (LuaException e) {
            throw new IllegalStateException("cannot load the script libraries: " + e.getMessage(), e);
        } finally {
            lua.setTop(top);
            if (!hadDebug) {
                lua.pushNil();
                lua.setGlobal("debug");
            }
        }
    }

    private static boolean isGlobalTable(Lua lua, String name) {
        lua.getGlobal(name);
        boolean table = lua.isTable(-1);
        lua.pop(1);
        return table;
    }

    private static void load(Lua lua, String library) throws LuaException {
        byte[] source = source(library + ".lua");
        ByteBuffer buffer = ByteBuffer.allocateDirect(source.length);
        buffer.put(source).flip();
        lua.load(buffer, "=" + library);
    }

    private static byte[] source(String name) {
        try (InputStream in = ScriptLibraries.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing script library resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
