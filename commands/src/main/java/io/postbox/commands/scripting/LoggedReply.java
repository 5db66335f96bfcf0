package io.postbox.commands.scripting;

import io.postbox.resp.ErrorReply;
import io.postbox.resp.Repr;
import io.postbox.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * A reply to a script's command while the debugger logs commands: passed on to the script as usual,
 * and written down as Redis's debugger logs replies ({@code ldbRedisProtocolToHuman}), in the script
 * client's protocol: {@code "+OK"} and {@code "-ERR ..."} quoted with the type byte, bulks quoted,
 * integers bare, {@code NULL} (RESP2) or {@code (null)}, {@code [a,b]}, RESP3's {@code ~(a,b)},
 * {@code {k => v,k => v}}, {@code #true} and {@code (double) 1.5}. RESP3's big numbers and verbatim
 * strings show nothing, as in Redis.
 */
final class LoggedReply implements Reply {

    /** An aggregate being written: its kind's brackets and separators, and its elements still to come. */
    private static final class Open {
        final char kind;
        final long size;
        long written;

        Open(char kind, long size) {
            this.kind = kind;
            this.size = size;
        }
    }

    private final Reply script;
    private final StringBuilder text = new StringBuilder("<reply> ");
    private final ArrayDeque<Open> open = new ArrayDeque<>();
    private String error;

    LoggedReply(Reply script) {
        this.script = script;
    }

    /** The log line: {@code <reply> } and the reply. */
    String line() {
        return text.toString();
    }

    /** The error, as Redis logs it when it becomes the script's error table ({@code -CODE message}); or null. */
    String error() {
        return error;
    }

    @Override
    public int protocol() {
        return script.protocol();
    }

    @Override
    public void simple(String value) {
        script.simple(value);
        element(Repr.of("+" + value));
    }

    @Override
    public void error(ErrorReply value) {
        script.error(value);
        error = "-" + value.text();
        element(Repr.of(error));
    }

    @Override
    public void integer(long value) {
        script.integer(value);
        element(Long.toString(value));
    }

    @Override
    public void bulk(byte[] value) {
        script.bulk(value);
        element(Repr.of(value));
    }

    @Override
    public void nullBulk() {
        script.nullBulk();
        element(protocol() == 3 ? "(null)" : "NULL");
    }

    @Override
    public void nullArray() {
        script.nullArray();
        element(protocol() == 3 ? "(null)" : "NULL");
    }

    @Override
    public void array(int length) {
        script.array(length);
        begin('[', length);
    }

    @Override
    public void map(int pairs) {
        script.map(pairs);
        if (protocol() == 3) {
            begin('{', 2L * pairs);
        } else {
            begin('[', 2L * pairs);
        }
    }

    @Override
    public void set(int length) {
        script.set(length);
        begin(protocol() == 3 ? '~' : '[', length);
    }

    @Override
    public void push(int length) {
        script.push(length);
        begin('[', length);
    }

    @Override
    public void doubleValue(double value, byte[] digits) {
        script.doubleValue(value, digits);
        element(protocol() == 3 ? "(double) " + new String(digits, StandardCharsets.ISO_8859_1) : Repr.of(digits));
    }

    @Override
    public void bool(boolean value) {
        script.bool(value);
        if (protocol() == 3) {
            element(value ? "#true" : "#false");
        } else {
            element(value ? "1" : "0");
        }
    }

    @Override
    public void bigNumber(byte[] digits) {
        script.bigNumber(digits);
        element(protocol() == 3 ? "" : Repr.of(digits));
    }

    @Override
    public void verbatim(String format, byte[] value) {
        script.verbatim(format, value);
        element(protocol() == 3 ? "" : Repr.of(value));
    }

    @Override
    public Reply attribute(int pairs) {
        return script.attribute(pairs);
    }

    private void begin(char kind, long size) {
        separate();
        text.append(kind == '~' ? "~(" : String.valueOf(kind));
        open.push(new Open(kind, size));
        closeFinished();
    }

    private void element(String shown) {
        separate();
        text.append(shown);
        if (!open.isEmpty()) {
            open.peek().written++;
        }
        closeFinished();
    }

    /** Before an element inside an aggregate: a comma, or in a map " => " between key and value. */
    private void separate() {
        Open current = open.peek();
        if (current != null && current.written > 0) {
            text.append(current.kind == '{' && current.written % 2 == 1 ? " => " : ",");
        }
    }

    /** Closes each aggregate that has all its elements; a closed one is an element of the one around it. */
    private void closeFinished() {
        while (!open.isEmpty() && open.peek().written == open.peek().size) {
            char kind = open.pop().kind;
            text.append(kind == '[' ? ']' : kind == '~' ? ')' : '}');
            if (!open.isEmpty()) {
                open.peek().written++;
            }
        }
    }
}
