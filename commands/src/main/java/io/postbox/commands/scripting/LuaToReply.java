package io.postbox.commands.scripting;

import io.postbox.commands.Stats;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import party.iroiro.luajava.Lua;

/**
 * What a script returns, as the reply its caller gets, converted as Redis converts it: string →
 * bulk; number → integer, the fraction dropped (out of range and NaN as C's conversion gives them:
 * the lowest long); true → 1 and false → null, or booleans once the script chose RESP3 with
 * {@code redis.setresp(3)} (whatever the caller's protocol); nil → null; a table
 * with a string {@code err} → error; with a string {@code ok} → status; with a number {@code double}
 * → double; {@code map}, {@code set}, {@code big_number}, {@code verbatim_string} → those RESP3 types;
 * any other table → array of its elements 1, 2, ... up to the first nil. Status and error texts have
 * CR and LF turned into spaces, so they stay one line, and end at a NUL, as Redis reads them as C strings.
 */
final class LuaToReply {

    private static final ErrorReply STACK_LIMIT = new ErrorReply("ERR reached lua stack limit");

    private LuaToReply() {
    }

    /**
     * Writes the script result the native layer put on {@code tape} ({@link NativeLua#encode}) to
     * {@code reply}. {@code scriptProtocol} is what the script set with {@code redis.setresp}. The
     * tape holds aggregates as a header and then their elements, so the reply is written in one pass,
     * counting down what each open aggregate still needs. Errors written inside the reply are counted
     * in {@code stats}, as Redis counts every error reply, unless their table says it was already
     * (redis.pcall's); returns whether there were any, which makes the call a failed one.
     */
    static boolean write(Tape tape, Reply reply, int scriptProtocol, Stats stats) {
        boolean errors = false;
        int at = 0;
        int[] remaining = new int[8];
        int depth = 0;
        do {
            byte tag = tape.tagAt(at++);
            int elements = 0;
            switch (tag) {
                case NativeLua.STRING -> {
                    int length = tape.intAt(at);
                    reply.bulk(tape.bytesAt(at + 4, length));
                    at += 4 + length;
                }
                case NativeLua.NUMBER -> {
                    reply.integer(toLong(tape.doubleAt(at)));
                    at += 8;
                }
                case NativeLua.TRUE, NativeLua.FALSE -> {
                    boolean value = tag == NativeLua.TRUE;
                    if (scriptProtocol == 3) {
                        reply.bool(value);
                    } else if (value) {
                        reply.integer(1);
                    } else {
                        reply.nullBulk();
                    }
                }
                case NativeLua.NIL -> reply.nullBulk();
                case NativeLua.ERROR, NativeLua.COUNTED_ERROR, NativeLua.STATUS, NativeLua.BIG_NUMBER -> {
                    int length = tape.intAt(at);
                    byte[] text = tape.bytesAt(at + 4, length);
                    at += 4 + length;
                    if (NativeLua.isError(tag)) {
                        ErrorReply error = tableError(tag, text);
                        reply.error(error);
                        if (!error.alreadyCounted()) {
                            stats.error(error.code());
                        }
                        errors = true;
                    } else if (tag == NativeLua.STATUS) {
                        reply.simple(new String(withoutLineBreaks(beforeNul(text)), StandardCharsets.ISO_8859_1));
                    } else {
                        reply.bigNumber(withoutLineBreaks(text));
                    }
                }
                case NativeLua.DOUBLE -> {
                    reply.doubleValue(tape.doubleAt(at));
                    at += 8;
                }
                case NativeLua.VERBATIM -> {
                    int formatLength = tape.intAt(at + 1);
                    String format = verbatimFormat(tape.bytesAt(at + 5, formatLength));
                    at += 5 + formatLength;
                    int length = tape.intAt(at + 1);
                    reply.verbatim(format, tape.bytesAt(at + 5, length));
                    at += 5 + length;
                }
                case NativeLua.STACK_LIMIT -> reply.error(STACK_LIMIT);
                case NativeLua.ARRAY, NativeLua.MAP, NativeLua.SET -> {
                    int count = tape.intAt(at);
                    at += 4;
                    if (tag == NativeLua.ARRAY) {
                        reply.array(count);
                    } else if (tag == NativeLua.MAP) {
                        reply.map(count);
                    } else {
                        reply.set(count);
                    }
                    elements = tag == NativeLua.MAP ? 2 * count : count;
                }
                default -> throw new IllegalStateException("tag " + tag + " at " + (at - 1));
            }
            if (elements > 0) {
                if (depth == remaining.length) {
                    remaining = Arrays.copyOf(remaining, depth * 2);
                }
                remaining[depth++] = elements;
                continue;
            }
            while (depth > 0 && --remaining[depth - 1] == 0) {
                depth--;
            }
        } while (depth > 0);
        return errors;
    }

    /**
     * A raised error's text if the top of the stack is a table whose {@code err} is a string or a
     * number (in Lua's format: Redis reads it with lua_isstring, which takes both), else null. Read as
     * a C string, with line breaks turned into spaces.
     */
    static String errorText(Lua lua) {
        if (lua.type(-1) != Lua.LuaType.TABLE) {
            return null;
        }
        Lua.LuaType type = field(lua, "err");
        byte[] err = type == Lua.LuaType.STRING || type == Lua.LuaType.NUMBER ? LuaStrings.bytes(lua, -1) : null;
        lua.pop(1);
        return err == null ? null : new String(withoutLineBreaks(beforeNul(err)), StandardCharsets.ISO_8859_1);
    }

    /**
     * The error table a script returned as its result, at the start of {@code tape}: Redis formats it as
     * it formats error replies, so line breaks at its end are dropped; marked as counted if its table
     * said so (redis.pcall's).
     */
    static ErrorReply returnedError(Tape tape) {
        return tableError(tape.tagAt(0), tape.bytesAt(5, tape.intAt(1)));
    }

    /** An error table's reply from its tag and {@code err} text: marked as counted if the tag says so. */
    private static ErrorReply tableError(byte tag, byte[] err) {
        ErrorReply error = new ErrorReply(errorLine(err));
        return tag == NativeLua.COUNTED_ERROR ? error.counted() : error;
    }

    /** C's (long long) conversion on x86-64: NaN and values out of range become Long.MIN_VALUE. */
    static long toLong(double value) {
        if (Double.isNaN(value) || value >= 0x1p63 || value < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) value;
    }

    /** Pushes field {@code name} of the table at the top (raw) and returns its type. */
    private static Lua.LuaType field(Lua lua, String name) {
        lua.push(name);
        lua.rawGet(-2);
        return lua.type(-1);
    }

    /**
     * A returned error table's text as Redis replies it: read as a C string (up to the first NUL), line
     * breaks at its end dropped and the others turned into spaces.
     */
    private static String errorLine(byte[] err) {
        byte[] text = beforeNul(err);
        int length = text.length;
        while (length > 0 && (text[length - 1] == '\r' || text[length - 1] == '\n')) {
            length--;
        }
        return new String(withoutLineBreaks(Arrays.copyOf(text, length)), StandardCharsets.ISO_8859_1);
    }

    /**
     * A verbatim string's format: always three characters, as Redis writes it from the C string it
     * is given, cut after three or padded with spaces.
     */
    private static String verbatimFormat(byte[] format) {
        byte[] three = {' ', ' ', ' '};
        byte[] given = beforeNul(format);
        System.arraycopy(given, 0, three, 0, Math.min(3, given.length));
        return new String(three, StandardCharsets.ISO_8859_1);
    }

    /** What C code reading {@code text} as a string sees: its bytes up to the first NUL. */
    private static byte[] beforeNul(byte[] text) {
        for (int i = 0; i < text.length; i++) {
            if (text[i] == 0) {
                return Arrays.copyOf(text, i);
            }
        }
        return text;
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
