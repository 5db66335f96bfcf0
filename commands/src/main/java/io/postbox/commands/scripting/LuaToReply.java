package io.postbox.commands.scripting;

import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
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

    private static final ErrorReply STACK_LIMIT = new ErrorReply("ERR reached lua stack limit");

    private LuaToReply() {
    }

    /** An aggregate being written: a table's elements are pushed and written one at a time. */
    private static final class Frame {
        final Kind kind;
        final int length;
        /** Lua values left above the table itself once its elements are done (a map's or set's inner table). */
        final int pushed;
        int index;
        boolean valuePending;

        Frame(Kind kind, int length, int pushed) {
            this.kind = kind;
            this.length = length;
            this.pushed = pushed;
        }

        /** Pushes the next element to write; false when there is none left. */
        boolean next(Lua lua) {
            switch (kind) {
                case ARRAY -> {
                    if (index == length) {
                        return false;
                    }
                    lua.rawGetI(-1, ++index);
                    return true;
                }
                case MAP -> {
                    // Stack: inner table, key. A key is written, then its value.
                    if (valuePending) {
                        valuePending = false;
                        return true;
                    }
                    if (lua.next(-2) == 0) {
                        return false;
                    }
                    lua.pushValue(-2);
                    valuePending = true;
                    return true;
                }
                default -> {
                    if (lua.next(-2) == 0) {
                        return false;
                    }
                    lua.pop(1);
                    lua.pushValue(-1);
                    return true;
                }
            }
        }
    }

    private enum Kind { ARRAY, MAP, SET }

    /**
     * Writes the value at the top of {@code lua}'s stack to {@code reply}; leaves the stack as it was.
     * {@code scriptProtocol} is what the script set with {@code redis.setresp}. Nested tables are
     * walked with a stack of frames, not recursion: a table may hold itself.
     */
    static void write(Lua lua, Reply reply, int scriptProtocol) {
        int base = lua.getTop();
        ArrayDeque<Frame> frames = new ArrayDeque<>();
        Frame opened = value(lua, reply, scriptProtocol);
        if (opened != null) {
            frames.push(opened);
        }
        while (!frames.isEmpty()) {
            Frame frame = frames.peek();
            if (!frame.next(lua)) {
                frames.pop();
                lua.pop(frame.pushed + (frames.isEmpty() ? 0 : 1));
                continue;
            }
            opened = value(lua, reply, scriptProtocol);
            if (opened != null) {
                frames.push(opened);
            } else {
                lua.pop(1);
            }
        }
        lua.setTop(base);
    }

    /**
     * Writes the table at the top, which the sandbox found a plain array of {@code length} elements
     * none of which is a table: as {@link #write} would, without probing it for the special fields.
     */
    static void writePlainArray(Lua lua, int length, Reply reply, int scriptProtocol) {
        reply.array(length);
        for (int i = 1; i <= length; i++) {
            lua.rawGetI(-1, i);
            value(lua, reply, scriptProtocol);
            lua.pop(1);
        }
    }

    /** Writes the value at the top, or for an aggregate its header, returning the frame to fill it. */
    private static Frame value(Lua lua, Reply reply, int scriptProtocol) {
        // A table nested too deep (or containing itself) ends where Lua's stack does, as in Redis.
        if (lua.getLuaNatives().lua_checkstack(lua.getPointer(), 4) == 0) {
            reply.error(STACK_LIMIT);
            return null;
        }
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
            case TABLE -> {
                return table(lua, reply);
            }
            default -> reply.nullBulk();
        }
        return null;
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

    private static Frame table(Lua lua, Reply reply) {
        String err = errorText(lua);
        if (err != null) {
            reply.error(new ErrorReply(err));
            return null;
        }
        byte[] ok = stringField(lua, "ok");
        if (ok != null) {
            reply.simple(oneLine(ok));
            return null;
        }
        if (field(lua, "double") == Lua.LuaType.NUMBER) {
            reply.doubleValue(lua.toNumber(-1));
            lua.pop(1);
            return null;
        }
        lua.pop(1);
        byte[] bigNumber = stringField(lua, "big_number");
        if (bigNumber != null) {
            reply.bigNumber(withoutLineBreaks(bigNumber));
            return null;
        }
        if (field(lua, "map") == Lua.LuaType.TABLE) {
            reply.map(count(lua));
            lua.pushNil();
            return new Frame(Kind.MAP, 0, 1);
        }
        lua.pop(1);
        if (field(lua, "set") == Lua.LuaType.TABLE) {
            reply.set(count(lua));
            lua.pushNil();
            return new Frame(Kind.SET, 0, 1);
        }
        lua.pop(1);
        if (field(lua, "verbatim_string") == Lua.LuaType.TABLE) {
            byte[] format = stringField(lua, "format");
            byte[] text = stringField(lua, "string");
            lua.pop(1);
            if (format != null && text != null) {
                reply.verbatim(new String(format, StandardCharsets.ISO_8859_1), text);
                return null;
            }
        } else {
            lua.pop(1);
        }
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
        return new Frame(Kind.ARRAY, length, 0);
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
        return new String(withoutLineBreaks(text), StandardCharsets.ISO_8859_1);
    }

    /** A status, error or big number cannot span lines: Redis turns CR and LF into spaces. */
    private static byte[] withoutLineBreaks(byte[] text) {
        byte[] copy = text.clone();
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] == '\r' || copy[i] == '\n') {
                copy[i] = ' ';
            }
        }
        return copy;
    }
}
