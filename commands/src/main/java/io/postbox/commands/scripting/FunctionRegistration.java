package io.postbox.commands.scripting;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import party.iroiro.luajava.Lua;

/**
 * {@code redis.register_function} while a library's code runs (FUNCTION LOAD): collects the functions
 * the code registers, in either form, {@code (name, callback)} or {@code {function_name=, callback=,
 * description=, flags={...}}}, refusing bad ones with Redis's texts.
 */
final class FunctionRegistration {

    /** A function the code registered: its callback is a registry ref in the functions' Lua state. */
    record Registered(String name, String description, Set<ScriptFlag> flags, int ref) {
    }

    private final List<Registered> registered = new ArrayList<>();
    /** Set once the library's code has run: a function that kept the API and calls it later is refused. */
    private boolean closed;

    List<Registered> registered() {
        return registered;
    }

    /** The library's code has run: what it registered is final. */
    void close() {
        closed = true;
    }

    /** Pushes the {@code redis} table the library's code sees: register_function, log and the constants. */
    void pushApi(Lua lua, RedisLibrary redis) {
        redis.pushLoadingApi(lua);
        lua.push("register_function");
        lua.push(this::register);
        lua.rawSet(-3);
    }

    /**
     * Reads the arguments as Redis's luaRegisterFunctionReadArgs does, in its order of checks and with
     * its texts: named-argument keys in any case, names and descriptions binary-safe (a NUL makes the
     * name invalid), numbers taken as strings.
     */
    private int register(Lua lua) {
        if (closed) {
            return fail(lua, "redis.register_function can only be called on FUNCTION LOAD command");
        }
        int argc = lua.getTop();
        String name = null;
        String description = null;
        Set<ScriptFlag> flags = EnumSet.noneOf(ScriptFlag.class);
        if (argc < 1 || argc > 2) {
            return fail(lua, "wrong number of arguments to redis.register_function");
        } else if (argc == 1) {
            if (lua.type(1) != Lua.LuaType.TABLE) {
                return fail(lua, "calling redis.register_function with a single argument is only applicable to Lua"
                        + " table (representing named arguments).");
            }
            boolean hasCallback = false;
            lua.pushNil(); // index 2: where the callback is kept
            lua.pushNil();
            while (lua.next(1) != 0) {
                if (!lua.isString(-2)) {
                    return fail(lua, "named argument key given to redis.register_function is not a string");
                }
                switch (lua.toString(-2).toLowerCase(Locale.ROOT)) {
                    case "function_name" -> {
                        if (!lua.isString(-1)) {
                            return fail(lua,
                                    "function_name argument given to redis.register_function must be a string");
                        }
                        name = string(lua, -1);
                    }
                    case "description" -> {
                        if (!lua.isString(-1)) {
                            return fail(lua, "description argument given to redis.register_function must be a string");
                        }
                        description = string(lua, -1);
                    }
                    case "callback" -> {
                        if (lua.type(-1) != Lua.LuaType.FUNCTION) {
                            return fail(lua, "callback argument given to redis.register_function must be a function");
                        }
                        // Kept at index 2, below the iteration's key and value.
                        lua.pushValue(-1);
                        lua.replace(2);
                        hasCallback = true;
                    }
                    case "flags" -> {
                        if (lua.type(-1) != Lua.LuaType.TABLE) {
                            return fail(lua, "flags argument to redis.register_function must be a table representing"
                                    + " function flags");
                        }
                        if (!readFlags(lua, flags)) {
                            return fail(lua, "unknown flag given");
                        }
                    }
                    default -> {
                        return fail(lua, "unknown argument given to redis.register_function");
                    }
                }
                lua.pop(1);
            }
            if (name == null) {
                return fail(lua, "redis.register_function must get a function name argument");
            }
            if (!hasCallback) {
                return fail(lua, "redis.register_function must get a callback argument");
            }
        } else {
            if (!lua.isString(1)) {
                return fail(lua, "first argument to redis.register_function must be a string");
            }
            if (lua.type(2) != Lua.LuaType.FUNCTION) {
                return fail(lua, "second argument to redis.register_function must be a function");
            }
            name = string(lua, 1);
        }
        if (!LibraryHeader.validName(name)) {
            return fail(lua, LibraryHeader.INVALID_NAME);
        }
        for (Registered function : registered) {
            if (function.name().equalsIgnoreCase(name)) {
                return fail(lua, "Function already exists in the library");
            }
        }
        lua.pushValue(2);
        registered.add(new Registered(name, description, flags, lua.ref()));
        return 0;
    }

    /** The string or number at {@code index}, each byte one char (as replies write strings back). */
    private static String string(Lua lua, int index) {
        return new String(LuaStrings.bytes(lua, index), StandardCharsets.ISO_8859_1);
    }

    /** Reads the flags table at the top into {@code flags}; false on a flag Redis does not know. */
    private static boolean readFlags(Lua lua, Set<ScriptFlag> flags) {
        for (int i = 1; ; i++) {
            lua.rawGetI(-1, i);
            if (lua.isNil(-1)) {
                lua.pop(1);
                return true;
            }
            ScriptFlag flag = lua.isString(-1) ? ScriptFlag.named(lua.toString(-1)) : null;
            lua.pop(1);
            if (flag == null) {
                return false;
            }
            flags.add(flag);
        }
    }

    private static int fail(Lua lua, String message) {
        lua.setTop(0);
        lua.newTable();
        lua.push("err");
        lua.push("ERR " + message);
        lua.rawSet(-3);
        return -1;
    }
}
