package io.postbox.commands.hashes;

import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.Numbers;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.keyspace.Notify;
import io.postbox.commands.strings.LongDouble;
import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;

/**
 * The hash commands that change a hash: HSET, HMSET, HSETNX, HDEL, HINCRBY, HINCRBYFLOAT.
 *
 * <p>Each looks the key up for writing, checks everything that can fail, changes the hash, and ends
 * with the database hearing of the change: a new hash is stored (which signals it), an existing one
 * is signalled as modified, and one left without fields is deleted. Keyspace events follow in
 * Redis's order: after the reply ({@code hset}, {@code hincrby}, {@code hincrbyfloat}), except HDEL's
 * ({@code hdel}, then {@code del} for an emptied hash), which come before it.
 */
final class HashWrites {

    private static final ErrorReply NOT_INTEGER_VALUE = Errors.err("hash value is not an integer");
    private static final ErrorReply NOT_FLOAT_VALUE = Errors.err("hash value is not a float");
    private static final byte[] HSET = "HSET".getBytes(StandardCharsets.US_ASCII);

    private HashWrites() {
    }

    static void hset(Invocation call) {
        call.reply().integer(setPairs(call));
        call.db().notify(Notify.HASH, "hset", call.arg(1));
    }

    static void hmset(Invocation call) {
        setPairs(call);
        call.reply().ok();
        call.db().notify(Notify.HASH, "hset", call.arg(1));
    }

    /** Sets every field, value pair after the key; returns how many fields were new. */
    private static int setPairs(Invocation call) {
        if (call.argc() % 2 != 0) {
            throw Errors.wrongArity(call.command());
        }
        Target target = Target.of(call);
        HashLimits limits = HashLimits.of(call.engine().config());
        target.hash.prepareFor(call.args(), 2, call.argc() - 1, limits);
        int created = 0;
        for (int i = 2; i < call.argc(); i += 2) {
            if (target.hash.put(call.arg(i), call.arg(i + 1), limits)) {
                created++;
            }
        }
        target.changed();
        // Redis counts each pair set, new or not; storing or signalling the hash counted the first.
        call.db().countChanges((call.argc() - 2) / 2 - 1);
        return created;
    }

    /** Sets the field only if the hash does not have it; a hash it creates has that one field. */
    static void hsetnx(Invocation call) {
        Target target = Target.of(call);
        if (target.hash.contains(call.arg(2))) {
            call.reply().integer(0);
            return;
        }
        HashLimits limits = HashLimits.of(call.engine().config());
        target.hash.prepareFor(call.args(), 2, 3, limits);
        target.hash.put(call.arg(2), call.arg(3), limits);
        target.changed();
        call.reply().integer(1);
        call.db().notify(Notify.HASH, "hset", call.arg(1));
    }

    /** Removes the fields given; the key goes with the last field, and later fields are not looked at. */
    static void hdel(Invocation call) {
        Database db = call.db();
        byte[] key = call.arg(1);
        HashValue hash = db.getForWrite(key, HashValue.class);
        int deleted = 0;
        if (hash != null) {
            for (int i = 2; i < call.argc() && !hash.isEmpty(); i++) {
                if (hash.remove(call.arg(i))) {
                    deleted++;
                }
            }
            if (deleted > 0) {
                db.notify(Notify.HASH, "hdel", key);
            }
            if (hash.isEmpty()) {
                db.delete(key, deleted);
                db.notify(Notify.GENERIC, "del", key);
            } else if (deleted > 0) {
                db.modified(key, deleted);
            }
        }
        call.reply().integer(deleted);
    }

    /** The increment is checked before the key's type; a field's value must be a canonical integer. */
    static void hincrby(Invocation call) {
        long increment = call.longArg(3);
        Target target = Target.of(call);
        byte[] current = target.hash.get(call.arg(2));
        long value = current == null ? 0 : Numbers.parseLong(current, NOT_INTEGER_VALUE);
        long sum;
        try {
            sum = Math.addExact(value, increment);
        } catch (ArithmeticException overflow) {
            throw Errors.OVERFLOW;
        }
        target.hash.put(call.arg(2), Numbers.toBytes(sum), HashLimits.of(call.engine().config()));
        target.changed();
        call.reply().integer(sum);
        call.db().notify(Notify.HASH, "hincrby", call.arg(1));
    }

    /**
     * Long-double arithmetic as INCRBYFLOAT's ({@link LongDouble}). The increment is checked before the
     * key's type, and may not be infinite; nor may the sum be.
     */
    static void hincrbyfloat(Invocation call) {
        LongDouble increment = LongDouble.parse(call.arg(3));
        if (increment == null) {
            throw Errors.NOT_FLOAT;
        }
        if (!increment.isFinite()) {
            throw Errors.err("value is NaN or Infinity");
        }
        Target target = Target.of(call);
        byte[] current = target.hash.get(call.arg(2));
        LongDouble value = current == null ? LongDouble.ZERO : LongDouble.parse(current);
        if (value == null) {
            throw NOT_FLOAT_VALUE;
        }
        LongDouble sum = value.plus(increment);
        if (!sum.isFinite()) {
            throw Errors.err("increment would produce NaN or Infinity");
        }
        byte[] text = sum.toHumanBytes();
        target.hash.put(call.arg(2), text, HashLimits.of(call.engine().config()));
        target.changed();
        call.reply().bulk(text);
        call.db().notify(Notify.HASH, "hincrbyfloat", call.arg(1));
        // Logged as the value it gave, as Redis propagates it, so that replaying never does float arithmetic.
        call.propagateAs(HSET, call.arg(1), call.arg(2), text);
    }

    /**
     * The hash a command adds to: the key's hash, or a new empty one that is stored only when the
     * command has changed it, so a command that fails leaves no empty hash behind.
     */
    private record Target(Database db, byte[] key, HashValue hash, boolean created) {

        static Target of(Invocation call) {
            byte[] key = call.arg(1);
            HashValue hash = call.db().getForWrite(key, HashValue.class);
            return hash != null ? new Target(call.db(), key, hash, false)
                    : new Target(call.db(), key, new HashValue(), true);
        }

        void changed() {
            if (created) {
                db.set(key, hash);
            } else {
                db.modified(key);
            }
        }
    }
}
