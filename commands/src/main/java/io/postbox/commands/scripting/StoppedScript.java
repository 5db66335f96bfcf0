package io.postbox.commands.scripting;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import party.iroiro.luajava.Lua;

/**
 * A script the debugger stopped, seen through the helpers of {@code debugger.lua}: its variables, its
 * frames, and code or commands run beside it. Only from inside the debugger's hook, on the script's
 * thread: the helpers find the script's frames below the hook's.
 */
final class StoppedScript {

    /** A frame of the script: "In f:" or "From top level:", and the line it is at. */
    record Frame(String title, int line) {
    }

    private final Lua lua;
    private final Tape tape;
    private final int helpersRef;

    StoppedScript(Lua lua, Tape tape, int helpersRef) {
        this.lua = lua;
        this.tape = tape;
        this.helpersRef = helpersRef;
    }

    /** The value of the innermost local named {@code name}, or of KEYS or ARGV, as shown; null if none. */
    String value(byte[] name) {
        helper("value");
        strings(name);
        lua.pCall(1, 1);
        return popString();
    }

    /** {@code name = value} for each local of the stopped frame. */
    List<String> locals() {
        helper("locals");
        lua.pCall(0, 1);
        List<String> locals = new ArrayList<>();
        for (int i = 1; i <= lua.rawLength(-1); i++) {
            lua.rawGetI(-1, i);
            locals.add(popString());
        }
        lua.pop(1);
        return locals;
    }

    /** The script's frames, the stopped one first. */
    List<Frame> trace() {
        helper("trace");
        lua.pCall(0, 1);
        List<Frame> frames = new ArrayList<>();
        for (int i = 1; i <= lua.rawLength(-1); i++) {
            lua.rawGetI(-1, i);
            lua.rawGetI(-1, 1);
            lua.rawGetI(-2, 2);
            frames.add(new Frame(lua.toString(-2), (int) lua.toNumber(-1)));
            lua.pop(3);
        }
        lua.pop(1);
        return frames;
    }

    /** Runs {@code code} in the scripts' globals: {@code <retval> value} or {@code <error> message}. */
    String eval(byte[] code) {
        helper("eval");
        strings(code);
        lua.pCall(1, 1);
        return popString();
    }

    /** Runs a command as the script's {@code redis.call} does, an error included; the debugger logs it. */
    void call(byte[][] args) {
        helper("call");
        strings(args);
        lua.pCall(args.length, 0);
    }

    /** The value at {@code index} (from the bottom) of the stack, as the debugger shows values. */
    String show(int index) {
        helper("show");
        lua.pushValue(index);
        lua.pCall(1, 1);
        return popString();
    }

    /** Pushes the debugger's line hook, which the sandbox swaps in for a session. */
    void pushHook() {
        helper("hook");
    }

    private void helper(String name) {
        lua.refGet(helpersRef);
        lua.getField(-1, name);
        lua.remove(-2);
    }

    /** Pushes {@code values} as Lua strings, binary-safe (through the tape, free while a script is stopped). */
    private void strings(byte[]... values) {
        tape.clear();
        for (byte[] value : values) {
            tape.string(value);
        }
        tape.pushTo(lua, values.length);
    }

    private String popString() {
        String text = lua.isNil(-1) ? null : new String(LuaStrings.bytes(lua, -1), StandardCharsets.ISO_8859_1);
        lua.pop(1);
        return text;
    }
}
