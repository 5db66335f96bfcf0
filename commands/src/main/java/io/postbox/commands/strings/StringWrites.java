package io.postbox.commands.strings;

import static io.postbox.commands.strings.StringReads.bulkOrNull;

import io.postbox.commands.CommandLog;
import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.keyspace.GrowingString;
import io.postbox.commands.keyspace.Notify;
import io.postbox.commands.keyspace.StringForm;

/**
 * The string commands that write whole or partial values: the SET family (SET, SETNX, SETEX, PSETEX,
 * GETSET, MSET, MSETNX), GETDEL, GETEX, APPEND and SETRANGE.
 *
 * <p>A stored {@code byte[]} is never changed in place, so argument arrays can be stored as they are.
 * APPEND and SETRANGE change a {@link GrowingString} that the Database puts in its place, which has
 * room to grow; they look it up for writing first and signal the change after it, as every change
 * in place must (snapshots and key watchers rely on that).
 *
 * <p>Keyspace events and replies come in Redis's order: commands that reply with the old value (SET
 * ... GET, GETSET, GETDEL, GETEX) reply before they change the key; the others notify, then reply.
 */
final class StringWrites {

    /** The longest Java array, whatever proto-max-bulk-len allows. */
    private static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
    private static final long NO_EXPIRY = -1;

    private StringWrites() {
    }

    /**
     * SET key value [NX | XX] [GET] [EX | PX | EXAT | PXAT | KEEPTTL]. Redis's order of checks: option
     * syntax, then the expiry value, then (with GET) the old value's type, then the NX/XX condition.
     * With GET the reply is the old value whether or not the condition let the value be set.
     */
    static void set(Invocation call) {
        ExtendedOptions options = ExtendedOptions.parse(call.args(), 3, ExtendedOptions.Form.SET);
        long expiresAt = options.hasExpiry() ? options.expiryMillis(call.now(), call.command().fullName())
                : NO_EXPIRY;
        if (options.get()) {
            bulkOrNull(call.reply(), call.db().get(call.arg(1), byte[].class));
        }
        boolean stored = store(call.db(), call.arg(1), call.arg(2), options.nx(), options.xx(),
                options.keepTtl(), expiresAt);
        if (options.get()) {
            return;
        }
        if (stored) {
            call.reply().ok();
        } else {
            call.reply().nullBulk();
        }
    }

    static void setnx(Invocation call) {
        boolean stored = store(call.db(), call.arg(1), call.arg(2), true, false, false, NO_EXPIRY);
        call.reply().integer(stored ? 1 : 0);
    }

    static void setex(Invocation call) {
        setWithExpiry(call, Expiry.EX);
    }

    static void psetex(Invocation call) {
        setWithExpiry(call, Expiry.PX);
    }

    private static void setWithExpiry(Invocation call, Expiry expiry) {
        long expiresAt = expiry.unixMillis(call.arg(2), call.now(), call.command().fullName());
        store(call.db(), call.arg(1), call.arg(3), false, false, false, expiresAt);
        call.reply().ok();
    }

    /** Like SET ... GET without options: the old value back, and the new value without a TTL. */
    static void getset(Invocation call) {
        bulkOrNull(call.reply(), call.db().get(call.arg(1), byte[].class));
        call.db().set(call.arg(1), call.arg(2));
        call.db().notify(Notify.STRING, "set", call.arg(1));
    }

    static void getdel(Invocation call) {
        byte[] value = call.db().get(call.arg(1), byte[].class);
        bulkOrNull(call.reply(), value);
        if (value != null) {
            call.db().delete(call.arg(1));
            call.db().notify(Notify.GENERIC, "del", call.arg(1));
            boolean lazy = call.engine().config().<Boolean>option("lazyfree-lazy-user-del").value();
            call.propagateAs(CommandLog.deletion(call.arg(1), lazy));
        }
    }

    /**
     * GETEX key [EX | PX | EXAT | PXAT | PERSIST]: the value, and the key's TTL changed as asked. Redis
     * checks the option words first, then the key (missing: null, whatever the expiry value), then
     * the expiry value. An absolute time already past deletes the key after replying its value.
     */
    static void getex(Invocation call) {
        ExtendedOptions options = ExtendedOptions.parse(call.args(), 2, ExtendedOptions.Form.GETEX);
        byte[] key = call.arg(1);
        Database db = call.db();
        byte[] value = db.get(key, byte[].class);
        if (value == null) {
            call.reply().nullBulk();
            return;
        }
        long expiresAt = options.hasExpiry() ? options.expiryMillis(call.now(), call.command().fullName())
                : NO_EXPIRY;
        call.reply().bulk(value);
        if (expiresAt != NO_EXPIRY && call.engine().alreadyExpired(expiresAt)) {
            db.delete(key);
            db.notify(Notify.GENERIC, "del", key);
        } else if (expiresAt != NO_EXPIRY) {
            db.expireAt(key, expiresAt);
            db.notify(Notify.GENERIC, "expire", key);
        } else if (options.persist() && db.persist(key)) {
            db.notify(Notify.GENERIC, "persist", key);
        }
    }

    static void mset(Invocation call) {
        requirePairs(call);
        setPairs(call);
        call.reply().ok();
    }

    /** All keys are set, or none if any of them exists. */
    static void msetnx(Invocation call) {
        requirePairs(call);
        for (int i = 1; i < call.argc(); i += 2) {
            if (call.db().exists(call.arg(i))) {
                call.reply().integer(0);
                return;
            }
        }
        setPairs(call);
        call.reply().integer(1);
    }

    private static void setPairs(Invocation call) {
        for (int i = 1; i < call.argc(); i += 2) {
            call.db().set(call.arg(i), call.arg(i + 1));
            call.db().notify(Notify.STRING, "set", call.arg(i));
        }
    }

    /** The value with {@code suffix} added; a missing key is created. Replies the new length. */
    static void append(Invocation call) {
        byte[] key = call.arg(1);
        byte[] suffix = call.arg(2);
        Object old = call.db().getStringForWrite(key);
        long length = suffix.length;
        if (old == null) {
            call.db().set(key, suffix);
        } else {
            checkLength(call, GrowingString.length(old), suffix.length);
            GrowingString value = call.db().growing(key, old);
            value.append(suffix);
            call.db().modified(key);
            length = value.length();
        }
        call.db().notify(Notify.STRING, "append", key);
        call.reply().integer(length);
    }

    /**
     * Overwrites bytes from {@code offset}, padding with zero bytes up to it. Setting nothing (an empty
     * value) changes nothing and creates no key; it replies the current length without checking the
     * offset against the size limit, as Redis does.
     */
    static void setrange(Invocation call) {
        long offset = call.longArg(2);
        if (offset < 0) {
            throw Errors.err("offset is out of range");
        }
        byte[] key = call.arg(1);
        byte[] patch = call.arg(3);
        Object old = call.db().getStringForWrite(key);
        if (patch.length == 0) {
            call.reply().integer(old == null ? 0 : GrowingString.length(old));
            return;
        }
        checkLength(call, offset, patch.length);
        long length;
        if (old == null) {
            byte[] value = new byte[(int) offset + patch.length];
            System.arraycopy(patch, 0, value, (int) offset, patch.length);
            call.db().set(key, value, StringForm.RAW);
            length = value.length;
        } else {
            GrowingString value = call.db().growing(key, old);
            value.write((int) offset, patch);
            call.db().modified(key);
            length = value.length();
        }
        call.db().notify(Notify.STRING, "setrange", key);
        call.reply().integer(length);
    }

    /**
     * Stores {@code value} unless the NX/XX condition says no; drops any TTL unless {@code keepTtl},
     * then applies {@code expiresAt} if there is one, with their events ({@code set}, {@code expire}).
     * False if the condition prevented the write.
     */
    private static boolean store(Database db, byte[] key, byte[] value, boolean nx, boolean xx,
                                 boolean keepTtl, long expiresAt) {
        if (nx || xx) {
            boolean found = db.exists(key);
            if ((nx && found) || (xx && !found)) {
                return false;
            }
        }
        if (keepTtl) {
            db.setKeepTtl(key, value);
        } else {
            db.set(key, value);
        }
        db.notify(Notify.STRING, "set", key);
        if (expiresAt != NO_EXPIRY) {
            db.expireAt(key, expiresAt, 0);
            db.notify(Notify.GENERIC, "expire", key);
        }
        return true;
    }

    /** MSET and MSETNX take key/value pairs: an odd pair count is an arity error. */
    private static void requirePairs(Invocation call) {
        if (call.argc() % 2 == 0) {
            throw Errors.wrongArity(call.command());
        }
    }

    /** Refuses a value of {@code length + extra} bytes beyond proto-max-bulk-len (sum overflow included). */
    private static void checkLength(Invocation call, long length, long extra) {
        long limit = Math.min(call.engine().config().getLong("proto-max-bulk-len"), MAX_ARRAY_LENGTH);
        if (length > limit - extra) {
            throw Errors.STRING_TOO_LONG;
        }
    }
}
