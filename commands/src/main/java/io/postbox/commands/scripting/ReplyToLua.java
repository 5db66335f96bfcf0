package io.postbox.commands.scripting;

import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;
import java.nio.charset.StandardCharsets;

/**
 * The reply sink of the script client: a command's reply becomes one Lua value, as Redis converts
 * replies for {@code redis.call}, written to the {@link Tape} for the native layer to build. In RESP2
 * (the default): integer → number, bulk → string, null → false, array → table, status →
 * {@code {ok=...}}, error → {@code {err=...}}; RESP3 types degrade as they would on the wire (map →
 * flat array, double → string, boolean → 0/1). After {@code redis.setresp(3)}: null → nil, boolean →
 * boolean, map → {@code {map={k=v}}}, set → {@code {set={m=true}}}, double → {@code {double=n}},
 * verbatim → {@code {verbatim_string={format=f, string=s}}}.
 *
 * <p>The tape takes aggregates as a header and then their elements, as replies come.
 */
final class ReplyToLua implements Reply {

    /** The field marking an error table whose error INFO errorstats counted already. */
    static final String COUNTED = "ignore_error_stats_update";

    private static final byte[] ERR = bytes("err");
    private static final byte[] OK = bytes("ok");
    private static final byte[] MAP = bytes("map");
    private static final byte[] SET = bytes("set");
    private static final byte[] DOUBLE = bytes("double");
    private static final byte[] BIG_NUMBER = bytes("big_number");
    private static final byte[] VERBATIM = bytes("verbatim_string");
    private static final byte[] FORMAT = bytes("format");
    private static final byte[] STRING = bytes("string");
    private static final byte[] COUNTED_FIELD = bytes(COUNTED);

    private Tape tape;
    private int protocol = 2;
    private boolean error;

    /** The tape of the Lua state whose scripts run now. */
    void tape(Tape tape) {
        this.tape = tape;
    }

    Tape tape() {
        return tape;
    }

    /** Starts converting one reply. */
    void start() {
        tape.clear();
        error = false;
    }

    /**
     * Replaces what the tape holds with {@code {err=text}} (no errorstats marker): the redis library's
     * own errors, which were never a command's reply.
     */
    void errorTable(byte[] text) {
        tape.clear();
        tape.header(NativeLua.HASH, 1);
        tape.string(ERR);
        tape.string(text);
    }

    /** Ends the reply: a command that wrote nothing gives nil. */
    void end() {
        if (tape.position() == 0) {
            tape.nil();
        }
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
        wrapped(OK, bytes(text));
    }

    /**
     * An error reply becomes {@code {err=text, ignore_error_stats_update=true}}: the marker (Redis's own
     * field) keeps the caller's reply, if the script passes the error on, from being counted again.
     */
    @Override
    public void error(ErrorReply reply) {
        if (tape.position() == 0) {
            error = true;
        }
        tape.header(NativeLua.HASH, 2);
        tape.string(ERR);
        tape.string(bytes(reply.text()));
        tape.string(COUNTED_FIELD);
        tape.bool(true);
    }

    @Override
    public void integer(long value) {
        tape.number(value);
    }

    @Override
    public void bulk(byte[] value) {
        tape.string(value);
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
        tape.header(NativeLua.ARRAY, length);
    }

    @Override
    public void map(int pairs) {
        if (protocol == 2) {
            array(pairs * 2);
            return;
        }
        tape.header(NativeLua.HASH, 1);
        tape.string(MAP);
        tape.header(NativeLua.HASH, pairs);
    }

    @Override
    public void set(int length) {
        if (protocol == 2) {
            array(length);
            return;
        }
        tape.header(NativeLua.HASH, 1);
        tape.string(SET);
        tape.header(NativeLua.SET, length);
    }

    @Override
    public void push(int length) {
        array(length);
    }

    @Override
    public void doubleValue(double value, byte[] text) {
        if (protocol == 2) {
            bulk(text);
            return;
        }
        tape.header(NativeLua.HASH, 1);
        tape.string(DOUBLE);
        tape.number(value);
    }

    @Override
    public void bool(boolean value) {
        if (protocol == 2) {
            integer(value ? 1 : 0);
            return;
        }
        tape.bool(value);
    }

    @Override
    public void bigNumber(byte[] digits) {
        if (protocol == 2) {
            bulk(digits);
            return;
        }
        wrapped(BIG_NUMBER, digits);
    }

    @Override
    public void verbatim(String format, byte[] text) {
        if (protocol == 2) {
            bulk(text);
            return;
        }
        tape.header(NativeLua.HASH, 1);
        tape.string(VERBATIM);
        tape.header(NativeLua.HASH, 2);
        tape.string(FORMAT);
        tape.string(bytes(format));
        tape.string(STRING);
        tape.string(text);
    }

    private void nil() {
        if (protocol == 2) {
            tape.bool(false);
        } else {
            tape.nil();
        }
    }

    /** A table with one string field: {@code {ok=...}}, {@code {big_number=...}}. */
    private void wrapped(byte[] field, byte[] text) {
        tape.header(NativeLua.HASH, 1);
        tape.string(field);
        tape.string(text);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
