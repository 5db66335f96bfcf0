package io.postbox.commands.scripting;

import io.postbox.resp.DoubleFormat;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import party.iroiro.luajava.Lua;

/**
 * The reply sink of the script client: a command's reply becomes one Lua value on the stack, as
 * Redis converts replies for {@code redis.call}. In RESP2 (the default): integer → number, bulk →
 * string, null → false, array → table, status → {@code {ok=...}}, error → {@code {err=...}}; RESP3
 * types degrade as they would on the wire (map → flat array, double → string, boolean → 0/1). After
 * {@code redis.setresp(3)}: null → nil, boolean → boolean, map → {@code {map={k=v}}}, set →
 * {@code {set={m=true}}}, double → {@code {double=n}}, verbatim
 * → {@code {verbatim_string={format=f, string=s}}}.
 *
 * <p>Aggregates arrive as a header then their elements; each open aggregate is a frame whose table
 * (for map and set, the inner table above its wrapper) sits on top of the stack while it fills.
 */
final class ReplyToLua implements Reply {

    private enum Kind { ARRAY, MAP, SET }

    private static final class Frame {
        final Kind kind;
        int remaining;
        int index;
        boolean keyPending;

        Frame(Kind kind, int remaining) {
            this.kind = kind;
            this.remaining = remaining;
        }
    }

    /** The field marking an error table whose error INFO errorstats counted already. */
    static final String COUNTED = "ignore_err_stats_update";

    private final ArrayDeque<Frame> frames = new ArrayDeque<>();
    private int decodeRef;
    private Lua lua;
    private int protocol = 2;
    private boolean error;


    /** The registry ref of the sandbox's binary-string decoder. */
    int decodeRef() {
        return decodeRef;
    }

    void decodeRef(int decodeRef) {
        this.decodeRef = decodeRef;
    }

    /** Starts converting one reply onto {@code lua}'s stack. */
    void start(Lua lua) {
        this.lua = lua;
        this.error = false;
        frames.clear();
    }

    /** Whether the reply was an error reply (not an error nested in an array). */
    boolean wasError() {
        return error;
    }

    /** The protocol the script asked for with {@code redis.setresp}. */
    void protocol(int protocol) {
        this.protocol = protocol;
    }

    @Override
    public int protocol() {
        return protocol;
    }

    @Override
    public void simple(String text) {
        wrapped("ok", text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * An error reply becomes {@code {err=text, ignore_err_stats_update=true}}: the marker (Redis's own
     * field) keeps the caller's reply, if the script passes the error on, from being counted again.
     */
    @Override
    public void error(ErrorReply reply) {
        if (frames.isEmpty()) {
            error = true;
        }
        lua.newTable();
        lua.push("err");
        LuaStrings.push(lua, reply.text().getBytes(StandardCharsets.ISO_8859_1), decodeRef);
        lua.rawSet(-3);
        lua.push(COUNTED);
        lua.push(true);
        lua.rawSet(-3);
        added();
    }

    @Override
    public void integer(long value) {
        lua.push(value);
        added();
    }

    @Override
    public void bulk(byte[] value) {
        LuaStrings.push(lua, value, decodeRef);
        added();
    }

    @Override
    public void nullBulk() {
        nil();
    }

    @Override
    public void nullArray() {
        nil();
    }

    @Override
    public void array(int length) {
        open(Kind.ARRAY, length);
    }

    @Override
    public void map(int pairs) {
        if (protocol == 2) {
            open(Kind.ARRAY, pairs * 2);
        } else {
            open(Kind.MAP, pairs);
        }
    }

    @Override
    public void set(int length) {
        open(protocol == 2 ? Kind.ARRAY : Kind.SET, length);
    }

    @Override
    public void push(int length) {
        open(Kind.ARRAY, length);
    }

    @Override
    public void doubleValue(double value) {
        if (protocol == 2) {
            bulk(DoubleFormat.g17Bytes(value));
            return;
        }
        lua.newTable();
        lua.push("double");
        lua.push(value);
        lua.rawSet(-3);
        added();
    }

    @Override
    public void bool(boolean value) {
        if (protocol == 2) {
            integer(value ? 1 : 0);
            return;
        }
        lua.push(value);
        added();
    }

    @Override
    public void bigNumber(byte[] digits) {
        if (protocol == 2) {
            bulk(digits);
            return;
        }
        lua.newTable();
        lua.push("big_number");
        LuaStrings.push(lua, digits, decodeRef);
        lua.rawSet(-3);
        added();
    }

    @Override
    public void verbatim(String format, byte[] text) {
        if (protocol == 2) {
            bulk(text);
            return;
        }
        lua.newTable();
        lua.push("verbatim_string");
        lua.newTable();
        lua.push("format");
        lua.push(format);
        lua.rawSet(-3);
        lua.push("string");
        LuaStrings.push(lua, text, decodeRef);
        lua.rawSet(-3);
        lua.rawSet(-3);
        added();
    }

    private void nil() {
        if (protocol == 2) {
            lua.push(false);
        } else {
            lua.pushNil();
        }
        added();
    }

    /** A table with one string field: {@code {ok=...}}, {@code {err=...}}. */
    private void wrapped(String field, byte[] text) {
        lua.newTable();
        lua.push(field);
        LuaStrings.push(lua, text, decodeRef);
        lua.rawSet(-3);
        added();
    }

    private void open(Kind kind, int length) {
        lua.checkStack(4);
        if (kind != Kind.ARRAY) {
            lua.newTable();
            lua.push(kind == Kind.MAP ? "map" : "set");
        }
        lua.createTable(kind == Kind.ARRAY ? length : 0, kind == Kind.ARRAY ? 0 : length);
        Frame frame = new Frame(kind, length);
        if (length == 0) {
            close(frame);
            return;
        }
        frames.push(frame);
    }

    /** A value was pushed: it becomes the next element of the open aggregate, if any. */
    private void added() {
        Frame frame = frames.peek();
        if (frame == null) {
            return;
        }
        switch (frame.kind) {
            case ARRAY -> lua.rawSetI(-2, ++frame.index);
            case SET -> {
                lua.push(true);
                lua.rawSet(-3);
            }
            case MAP -> {
                if (!frame.keyPending) {
                    frame.keyPending = true;
                    return;
                }
                frame.keyPending = false;
                lua.rawSet(-3);
            }
        }
        if (--frame.remaining == 0) {
            frames.pop();
            close(frame);
        }
    }

    /** A filled aggregate: a map or set goes into its wrapper table, then it is a value itself. */
    private void close(Frame frame) {
        if (frame.kind != Kind.ARRAY) {
            lua.rawSet(-3);
        }
        added();
    }
}
