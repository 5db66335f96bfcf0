package io.postbox.commands.strings;

import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.Numbers;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.keyspace.Notify;
import io.postbox.commands.keyspace.StringForm;
import java.nio.charset.StandardCharsets;

/**
 * Strings used as numbers: INCR, DECR, INCRBY, DECRBY on 64-bit integers and INCRBYFLOAT on long
 * doubles. A missing key counts as 0; the result is stored as its decimal text and the key keeps its
 * TTL.
 */
final class Counters {

    private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEPTTL = "KEEPTTL".getBytes(StandardCharsets.US_ASCII);

    private Counters() {
    }

    static void incr(Invocation call) {
        add(call, 1);
    }

    static void decr(Invocation call) {
        add(call, -1);
    }

    static void incrby(Invocation call) {
        add(call, call.longArg(2));
    }

    static void decrby(Invocation call) {
        long decrement = call.longArg(2);
        if (decrement == Long.MIN_VALUE) {
            throw Errors.err("decrement would overflow");
        }
        add(call, -decrement);
    }

    /**
     * The stored integer plus {@code increment}. The value must be a canonical 64-bit integer (no
     * spaces, sign '+' or leading zeros), as Redis's string2ll reads it.
     */
    private static void add(Invocation call, long increment) {
        byte[] key = call.arg(1);
        byte[] current = call.db().getForWrite(key, byte[].class);
        long value = current == null ? 0 : Numbers.parseLong(current);
        long sum;
        try {
            sum = Math.addExact(value, increment);
        } catch (ArithmeticException overflow) {
            throw Errors.OVERFLOW;
        }
        store(call.db(), key, current, Numbers.toBytes(sum), StringForm.ENCODED);
        call.db().notify(Notify.STRING, "incrby", key);
        call.reply().integer(sum);
    }

    /**
     * INCRBYFLOAT: Redis checks the key's type, then its value, then the increment, all with
     * "not a valid float"; a sum that is infinite or NaN is refused. See {@link LongDouble} for how
     * the arithmetic and the printed digits follow Redis's long double.
     */
    static void incrbyfloat(Invocation call) {
        byte[] key = call.arg(1);
        byte[] current = call.db().getForWrite(key, byte[].class);
        LongDouble value = current == null ? LongDouble.ZERO : LongDouble.parse(current);
        if (value == null) {
            throw Errors.NOT_FLOAT;
        }
        LongDouble increment = LongDouble.parse(call.arg(2));
        if (increment == null) {
            throw Errors.NOT_FLOAT;
        }
        LongDouble sum = value.plus(increment);
        if (!sum.isFinite()) {
            throw Errors.err("increment would produce NaN or Infinity");
        }
        byte[] text = sum.toHumanBytes();
        store(call.db(), key, current, text, StringForm.BUILT);
        call.db().notify(Notify.STRING, "incrbyfloat", key);
        call.reply().bulk(text);
        // Logged as the value it gave, as Redis propagates it, so that replaying never does float arithmetic.
        call.propagateAs(SET, key, text, KEEPTTL);
    }

    /**
     * A new key gets the value; an existing one has it replaced and keeps its TTL. An integer result
     * is stored as SET stores one; INCRBYFLOAT's text is a string built as it is, never {@code int}.
     */
    private static void store(Database db, byte[] key, byte[] current, byte[] value, StringForm form) {
        if (current == null) {
            db.set(key, value, form);
        } else {
            db.setKeepTtl(key, value, form);
        }
    }
}
