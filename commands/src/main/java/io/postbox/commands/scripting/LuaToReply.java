package io.postbox.commands.scripting;

import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;
import java.nio.charset.StandardCharsets;
import party.iroiro.luajava.Lua;

/**
 * What a script returns, as the reply its caller gets, converted as Redis converts it: string →
 * bulk; number → integer, the fraction dropped (out of range and NaN as C's conversion gives them:
 * the lowest long); true → 1 and false → null, or booleans once the script chose RESP3 with
 * {@code redis.setresp(3)} (whatever the caller's protocol); nil → null; a table
 * with a string {@code err} → error; with a string {@code ok} → status; with a number {@code double}
 * → double; {@code map}, {@code set}, {@code big_number}, {@code verbatim_string} → those RESP3 types;
 * any other table → array of its elements 1, 2, ... up to the first nil. Status and error texts have
 * CR and LF turned into spaces, so they stay one line.
 */
final class LuaToReply {

    private LuaToReply() {
    }

    /**
     * Writes the value at the top of {@code lua}'s stack to {@code reply}; leaves the stack as it was.
     * {@code scriptProtocol} is what the script set with {@code redis.setresp}.
     */
    static void write(Lua lua, Reply reply, int scriptProtocol) {
        lua.checkStack(4);
        switch (lua.type(-1)) {
            case STRING -> reply.bulk(LuaStrings.bytes(lua, -1));
            case NUMBER -> reply.integer(toLong(lua.toNumber(-1)));
            case BOOLEAN -> {
                if (scriptProtocol == 3) {
                    reply.bool(lua.toBoolean(-1));
                } else if (lua.toBoolean(-1)) {
                    reply.integer(1);
                } else {
                    reply.nullBulk();
                }
            }
            case TABLE -> table(lua, reply, scriptProtocol);
            default -> reply.nullBulk();
        }
    }

    /** An error reply's text if the top of the stack is a table with a string {@code err}, else null. */
    static String errorText(Lua lua) {
        if (lua.type(-1) != Lua.LuaType.TABLE) {
            return null;
        }
        byte[] err = stringField(lua, "err");
        return err == null ? null : oneLine(err);
    }

    /** C's (long long) conversion on x86-64: NaN and values out of range become Long.MIN_VALUE. */
    static long toLong(double value) {
        if (Double.isNaN(value) || value >= 0x1p63 || value < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) value;
    }

    private static void table(Lua lua, Reply reply, int scriptProtocol) {
        String err = errorText(lua);
        if (err != null) {
            reply.error(new ErrorReply(err));
            return;
        }
        byte[] ok = stringField(lua, "ok");
        if (ok != null) {
            reply.simple(oneLine(ok));
            return;
        }
        if (field(lua, "double") == Lua.LuaType.NUMBER) {
            reply.doubleValue(lua.toNumber(-1));
            lua.pop(1);
            return;
        }
        lua.pop(1);
        byte[] bigNumber = stringField(lua, "big_number");
        if (bigNumber != null) {
            reply.bulk(bigNumber);
            return;
        }
        if (field(lua, "map") == Lua.LuaType.TABLE) {
            map(lua, reply, scriptProtocol);
            lua.pop(1);
            return;
        }
        lua.pop(1);
        if (field(lua, "set") == Lua.LuaType.TABLE) {
            set(lua, reply, scriptProtocol);
            lua.pop(1);
            return;
        }
        lua.pop(1);
        if (field(lua, "verbatim_string") == Lua.LuaType.TABLE) {
            byte[] format = stringField(lua, "format");
            byte[] text = stringField(lua, "string");
            lua.pop(1);
            if (format != null && text != null) {
                reply.verbatim(new String(format, StandardCharsets.ISO_8859_1), text);
                return;
            }
        } else {
            lua.pop(1);
        }
        array(lua, reply, scriptProtocol);
    }

    private static void array(Lua lua, Reply reply, int scriptProtocol) {
        int length = 0;
        while (true) {
            lua.rawGetI(-1, length + 1);
            boolean nil = lua.isNil(-1);
            lua.pop(1);
            if (nil) {
                break;
            }
            length++;
        }
        reply.array(length);
        for (int i = 1; i <= length; i++) {
            lua.rawGetI(-1, i);
            write(lua, reply, scriptProtocol);
            lua.pop(1);
        }
    }

    /** The map at the top of the stack: its pairs, in Lua's iteration order. */
    private static void map(Lua lua, Reply reply, int scriptProtocol) {
        reply.map(count(lua));
        lua.pushNil();
        while (lua.next(-2) != 0) {
            lua.pushValue(-2);
            write(lua, reply, scriptProtocol);
            lua.pop(1);
            write(lua, reply, scriptProtocol);
            lua.pop(1);
        }
    }

    /** The set at the top of the stack: its keys. */
    private static void set(Lua lua, Reply reply, int scriptProtocol) {
        reply.set(count(lua));
        lua.pushNil();
        while (lua.next(-2) != 0) {
            lua.pop(1);
            lua.pushValue(-1);
            write(lua, reply, scriptProtocol);
            lua.pop(1);
        }
    }

    private static int count(Lua lua) {
        int count = 0;
        lua.pushNil();
        while (lua.next(-2) != 0) {
            lua.pop(1);
            count++;
        }
        return count;
    }

    /** Pushes field {@code name} of the table at the top (raw) and returns its type. */
    private static Lua.LuaType field(Lua lua, String name) {
        lua.push(name);
        lua.rawGet(-2);
        return lua.type(-1);
    }

    /** Field {@code name} of the table at the top if it is a string, else null; the stack is unchanged. */
    private static byte[] stringField(Lua lua, String name) {
        byte[] value = field(lua, name) == Lua.LuaType.STRING ? LuaStrings.bytes(lua, -1) : null;
        lua.pop(1);
        return value;
    }

    private static String oneLine(byte[] text) {
        byte[] copy = text.clone();
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] == '\r' || copy[i] == '\n') {
                copy[i] = ' ';
            }
        }
        return new String(copy, StandardCharsets.ISO_8859_1);
    }
}
