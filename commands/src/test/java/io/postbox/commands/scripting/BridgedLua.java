package io.postbox.commands.scripting;

import party.iroiro.luajava.Lua;
import party.iroiro.luajava.lua51.Lua51;

/**
 * A Lua state with the base and string libraries on Postbox's native layer (its memory and its
 * tape), for tests of the layer itself: it makes no redis.call.
 */
final class BridgedLua implements AutoCloseable {

    final Lua lua = new Lua51();
    final long bridge;
    final Tape tape;

    BridgedLua() {
        lua.openLibrary("base");
        lua.openLibrary("string");
        NativeLua.load();
        bridge = NativeLua.open(lua.getPointer(), new NativeLua.Calls() {
            @Override
            public int call(int argc, boolean raise) {
                throw new AssertionError("no calls here");
            }

            @Override
            public void grow(long bytes) {
                tape.grow(bytes);
            }
        });
        tape = new Tape(bridge);
    }

    @Override
    public void close() {
        lua.close();
        NativeLua.close(bridge);
    }
}
