package io.postbox.commands.scripting.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;

/** What the library tests share: a fresh Lua state with the libraries, and checks of a script's result. */
abstract class LibraryVectors {

    final LuaScripts lua = new LuaScripts();

    @AfterEach
    void close() {
        lua.close();
    }

    /** The script returns {@code expected}, one char per byte (or fails with it as its message). */
    void expect(String script, String expected) {
        assertEquals(expected, lua.eval(script), script);
    }

    /** The script returns the bytes {@code expected} spells in hex. */
    void expectHex(String script, String expected) {
        assertEquals(expected, lua.hex(script), script);
    }
}
