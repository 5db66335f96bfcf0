package io.postbox.commands.scripting.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import io.postbox.commands.scripting.NativeLua;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.lua51.Lua51;

class ScriptLibrariesTest {

    @Test
    void installsTheFourLibrariesOnAFreshStateAndLeavesNoDebugGlobal() throws Exception {
        try (Lua lua = new Lua51()) {
            ScriptLibraries.install(lua, NativeLua::pushLibraryNatives);
            lua.run("result = type(cjson) .. type(cmsgpack) .. type(bit) .. type(struct) .. type(debug)");
            lua.getGlobal("result");
            assertEquals("tabletabletabletablenil", lua.toString(-1));
        }
    }

    @Test
    void keepsAnOpenDebugLibrary() throws Exception {
        try (Lua lua = new Lua51()) {
            lua.openLibraries();
            ScriptLibraries.install(lua, NativeLua::pushLibraryNatives);
            lua.run("result = type(debug)");
            lua.getGlobal("result");
            assertEquals("table", lua.toString(-1));
        }
    }

    @Test
    void librariesAreBinarySafeBetweenJavaAndLua() throws Exception {
        byte[] input = {0, (byte) 0x80, (byte) 0xff, 'a', 0};
        try (Lua lua = new Lua51()) {
            lua.openLibraries();
            ScriptLibraries.install(lua, NativeLua::pushLibraryNatives);
            // The input arrives as a Lua string built from a byte buffer (a chunk returning it).
            ByteBuffer chunk = ByteBuffer.allocateDirect(64);
            chunk.put("return '".getBytes()).put(input).put("'".getBytes()).flip();
            lua.load(chunk, "input");
            lua.pCall(0, 1);
            lua.setGlobal("input");
            lua.run("packed = cmsgpack.pack(input) json = cjson.encode(input)"
                + " same = tostring(cmsgpack.unpack(packed) == input and cjson.decode(json) == input"
                + " and struct.unpack('c5', struct.pack('c0', input)) == input)");
            assertArrayEquals(new byte[] {(byte) 0xa5, 0, (byte) 0x80, (byte) 0xff, 'a', 0}, global(lua, "packed"));
            assertArrayEquals("\"\\u0000\u0080\u00ffa\\u0000\"".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                global(lua, "json"));
            assertEquals("true", new String(global(lua, "same"), java.nio.charset.StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void readAndWriteNoGlobalsWhenCalled() throws Exception {
        try (Lua lua = new Lua51()) {
            lua.openLibraries();
            ScriptLibraries.install(lua, NativeLua::pushLibraryNatives);
            // Scripts run with their globals locked (the sandbox); the libraries must not notice.
            lua.run("setmetatable(_G, {"
                + "   __newindex = function(t, k, v) error('readonly ' .. k, 2) end,"
                + "   __index = function(t, k) error('nonexistent global ' .. k, 2) end})");
            lua.run("rawset(_G, 'result', cjson.encode({bit.band(7, 3)}) .. ' ' .. select(2, pcall(cjson.decode, 'x'))"
                + " .. ' ' .. cmsgpack.unpack(cmsgpack.pack('ok')))");
            assertEquals("[3] Expected value but found invalid token at character 1 ok",
                new String(global(lua, "result"), java.nio.charset.StandardCharsets.ISO_8859_1));
        }
    }

    private static byte[] global(Lua lua, String name) {
        lua.getGlobal(name);
        ByteBuffer buffer = lua.toBuffer(-1);
        lua.pop(1);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
