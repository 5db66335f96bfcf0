package io.postbox.commands.keyspace;

import io.postbox.commands.Command;
import io.postbox.commands.CommandHandler;
import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.KeySpec;
import io.postbox.commands.Numbers;
import java.util.List;

/**
 * Time to live: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (one mechanism with a unit and a base time),
 * TTL, PTTL, EXPIRETIME, PEXPIRETIME (one mechanism with a unit and relative or absolute), PERSIST.
 */
final class ExpireCommands {

    private static final String TTL_OPTIONS_HISTORY = "Added options: `NX`, `XX`, `GT` and `LT`.";

    private ExpireCommands() {
    }

    static List<Command> commands() {
        return List.of(
                setter("expire", "1.0.0", "seconds", "Sets a key's time to live in seconds.",
                        call -> expire(call, call.now(), 1000)),
                setter("pexpire", "2.6.0", "milliseconds", "Sets a key's time to live in milliseconds.",
                        call -> expire(call, call.now(), 1)),
                setter("expireat", "1.2.0", "unix-time-seconds", "Makes a key expire at a Unix time in seconds.",
                        call -> expire(call, 0, 1000)),
                setter("pexpireat", "2.6.0", "unix-time-milliseconds",
                        "Makes a key expire at a Unix time in milliseconds.", call -> expire(call, 0, 1)),
                getter("ttl", "1.0.0", "Returns a key's remaining time to live in seconds.")
                        .tips("nondeterministic_output").history("2.8.0", "Added the -2 reply.")
                        .handler(call -> ttl(call, 1000, false)).build(),
                getter("pttl", "2.6.0", "Returns a key's remaining time to live in milliseconds.")
                        .tips("nondeterministic_output").history("2.8.0", "Added the -2 reply.")
                        .handler(call -> ttl(call, 1, false)).build(),
                getter("expiretime", "7.0.0", "Returns the Unix time in seconds at which a key expires.")
                        .handler(call -> ttl(call, 1000, true)).build(),
                getter("pexpiretime", "7.0.0", "Returns the Unix time in milliseconds at which a key expires.")
                        .handler(call -> ttl(call, 1, true)).build(),
                Command.builder("persist").arity(2).flags("write fast").acl("@keyspace")
                        .keys(KeySpec.range("RW update", 1, 0, 1))
                        .summary("Removes a key's time to live, so it never expires.").since("2.2.0")
                        .complexity("O(1)").syntax("key").handler(ExpireCommands::persist).build());
    }

    private static Command setter(String name, String since, String time, String summary, CommandHandler handler) {
        return Command.builder(name).arity(-3).flags("write fast").acl("@keyspace")
                .keys(KeySpec.range("RW update", 1, 0, 1))
                .summary(summary).since(since).complexity("O(1)").history("7.0.0", TTL_OPTIONS_HISTORY)
                .syntax("key " + time + " [NX | XX | GT | LT]").handler(handler).build();
    }

    private static Command.Builder getter(String name, String since, String summary) {
        return Command.builder(name).arity(2).flags("readonly fast").acl("@keyspace")
                .keys(KeySpec.range("RO access", 1, 0, 1))
                .summary(summary).since(since).complexity("O(1)").syntax("key");
    }

    /** The NX | XX | GT | LT options of the EXPIRE family. */
    private record Condition(boolean nx, boolean xx, boolean gt, boolean lt) {

        static Condition parse(Invocation call) {
            boolean nx = false;
            boolean xx = false;
            boolean gt = false;
            boolean lt = false;
            for (int i = 3; i < call.argc(); i++) {
                if (call.argIs(i, "nx")) {
                    nx = true;
                } else if (call.argIs(i, "xx")) {
                    xx = true;
                } else if (call.argIs(i, "gt")) {
                    gt = true;
                } else if (call.argIs(i, "lt")) {
                    lt = true;
                } else {
                    throw Errors.err("Unsupported option " + call.argString(i));
                }
            }
            if (nx && (xx || gt || lt)) {
                throw Errors.err("NX and XX, GT or LT options at the same time are not compatible");
            }
            if (gt && lt) {
                throw Errors.err("GT and LT options at the same time are not compatible");
            }
            return new Condition(nx, xx, gt, lt);
        }

        /** Whether the new expiry may replace {@code current} (-1: none, which counts as infinite). */
        boolean allows(long current, long when) {
            return !(nx && current != -1)
                    && !(xx && current == -1)
                    && !(gt && (current == -1 || when <= current))
                    && !(lt && current != -1 && when >= current);
        }
    }

    /**
     * Sets a key's expiry to {@code base + argument * unitMillis}. A time already past deletes the
     * key, as Redis does, rather than leaving it to expire.
     */
    static void expire(Invocation call, long base, long unitMillis) {
        Condition condition = Condition.parse(call);
        long when = Numbers.parseLong(call.arg(2));
        if (when > Long.MAX_VALUE / unitMillis || when < Long.MIN_VALUE / unitMillis
                || when * unitMillis > Long.MAX_VALUE - base) {
            throw Errors.err("invalid expire time in '" + call.command().fullName() + "' command");
        }
        when = when * unitMillis + base;
        Database db = call.db();
        byte[] key = call.arg(1);
        if (db.getForWrite(key) == null || !condition.allows(db.expireAt(key), when)) {
            call.reply().integer(0);
            return;
        }
        if (call.engine().alreadyExpired(when)) {
            db.delete(key);
            db.notify(Notify.GENERIC, "del", key);
            call.reply().integer(1);
        } else {
            db.expireAt(key, when);
            call.reply().integer(1);
            db.notify(Notify.GENERIC, "expire", key);
        }
    }

    /**
     * TTL, PTTL, EXPIRETIME, PEXPIRETIME: -2 without key, -1 without expiry, else the remaining time
     * (or the absolute time) in the unit, seconds rounded to the nearest.
     */
    static void ttl(Invocation call, long unitMillis, boolean absolute) {
        Database db = call.db();
        byte[] key = call.arg(1);
        if (db.getWithoutTouch(key) == null) {
            call.reply().integer(-2);
            return;
        }
        long when = db.expireAt(key);
        if (when == -1) {
            call.reply().integer(-1);
            return;
        }
        long millis = absolute ? when : Math.max(0, when - call.now());
        call.reply().integer(unitMillis == 1 ? millis : (millis + unitMillis / 2) / unitMillis);
    }

    static void persist(Invocation call) {
        Database db = call.db();
        byte[] key = call.arg(1);
        boolean persisted = db.getForWrite(key) != null && db.persist(key);
        if (persisted) {
            db.notify(Notify.GENERIC, "persist", key);
        }
        call.reply().integer(persisted ? 1 : 0);
    }
}
