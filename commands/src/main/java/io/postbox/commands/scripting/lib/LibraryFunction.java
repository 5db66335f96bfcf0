package io.postbox.commands.scripting.lib;

import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;

/**
 * A library function as scripts see Redis's: a C function. It calls the Lua implementation (held
 * in the registry) in protected mode and re-raises its error from the C function's own frame, so
 * that the error's position and Redis's script error handler (which looks past a C function at the
 * top of the stack to the script's line) read the caller's line even when the call is a tail call.
 *
 * <p>Runs on whichever Lua thread (coroutine) makes the call: luajava passes that thread. Like every
 * luajava Java function it writes the global {@code __jthrowable__} after each call (and luajava
 * reads it after a failed pCall), so a globals protection must let that name through (rawset /
 * rawget): a protection that raises for it makes luajava hit an unprotected Lua error, and the
 * Lua panic aborts the JVM.
 */
final class LibraryFunction implements JFunction {

    private static final int MULTRET = -1;

    private final int implementation;

    LibraryFunction(int implementation) {
        this.implementation = implementation;
    }

    @Override
    public int __call(Lua lua) {
        int args = lua.getTop();
        lua.refGet(implementation);
        lua.insert(1);
        int status = lua.getLuaNatives().lua_pcall(lua.getPointer(), args, MULTRET, 0);
        if (status != 0) {
            return -1; // luajava raises the error message left on the stack
        }
        return lua.getTop();
    }
}
