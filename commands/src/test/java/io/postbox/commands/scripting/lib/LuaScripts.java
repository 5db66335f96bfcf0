package io.postbox.commands.scripting.lib;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.postbox.commands.scripting.NativeLua;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.LuaException;
import party.iroiro.luajava.lua51.Lua51;

/** Runs scripts on a Lua state with the libraries installed, as Redis runs EVAL bodies. */
final class LuaScripts implements AutoCloseable {

    private final Lua lua = new Lua51();

    LuaScripts() {
        lua.openLibraries();
        ScriptLibraries.install(lua, NativeLua::pushLibraryNatives);
    }

    /**
     * The script's first result as bytes (one char per byte), a number printed as Lua prints it,
     * or "ERR: " and the error message.
     */
    String eval(String script) {
        int top = lua.getTop();
        try {
            byte[] source = script.getBytes(StandardCharsets.ISO_8859_1);
            ByteBuffer buffer = ByteBuffer.allocateDirect(source.length);
            buffer.put(source).flip();
            lua.load(buffer, "@user_script");
            lua.pCall(0, 1);
            if (lua.isNil(-1)) {
                return "nil";
            }
            if (lua.isBoolean(-1)) {
                return String.valueOf(lua.toBoolean(-1));
            }
            lua.getGlobal("tostring");
            lua.pushValue(-2);
            lua.pCall(1, 1);
            return bytes(lua.toBuffer(-1));
        } catch (LuaException e) {
            return "ERR: " + e.getMessage();
        } finally {
            lua.setTop(top);
        }
    }

    /** The script's first result as lowercase hex of its bytes. */
    String hex(String script) {
        String result = eval(script);
        if (result.startsWith("ERR: ")) {
            return result;
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < result.length(); i++) {
            hex.append(String.format("%02x", (int) result.charAt(i)));
        }
        return hex.toString();
    }

    private static String bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        lua.close();
    }
}
