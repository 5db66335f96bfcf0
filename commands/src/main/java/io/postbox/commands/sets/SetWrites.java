package io.postbox.commands.sets;

import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.keyspace.Notify;

/**
 * The set commands that add and remove given members: SADD, SREM, SMOVE. Each ends with the database
 * hearing of the change: a new set is stored, a changed one signalled, an emptied one deleted; the
 * keyspace events ({@code sadd}, {@code srem}, {@code del}) come before the reply, as in Redis.
 */
final class SetWrites {

    /** Redis caps set-max-intset-entries here, whatever the config says. */
    private static final long INTSET_CAP = 1 << 30;

    private SetWrites() {
    }

    /** The most members a set of integers may have and stay an intset. */
    static long maxIntsetEntries(Invocation call) {
        return Math.min(call.engine().config().getLong("set-max-intset-entries"), INTSET_CAP);
    }

    /** A new set takes the encoding its first member calls for. */
    static void sadd(Invocation call) {
        Database db = call.db();
        byte[] key = call.arg(1);
        SetValue set = db.getForWrite(key, SetValue.class);
        boolean created = set == null;
        if (created) {
            set = SetValue.startingWith(call.arg(2));
        }
        long maxIntset = maxIntsetEntries(call);
        int added = 0;
        for (int i = 2; i < call.argc(); i++) {
            if (set.add(call.arg(i), maxIntset)) {
                added++;
            }
        }
        if (created) {
            db.set(key, set);
            // Redis counts each member added; storing the set counted the first.
            db.countChanges(added - 1);
        } else if (added > 0) {
            db.modified(key, added);
        }
        if (added > 0) {
            db.notify(Notify.SET, "sadd", key);
        }
        call.reply().integer(added);
    }

    /** Removes the members given; the key goes with the last member, and later members are not looked at. */
    static void srem(Invocation call) {
        Database db = call.db();
        byte[] key = call.arg(1);
        SetValue set = db.getForWrite(key, SetValue.class);
        int removed = 0;
        if (set != null) {
            for (int i = 2; i < call.argc() && !set.isEmpty(); i++) {
                if (set.remove(call.arg(i))) {
                    removed++;
                }
            }
            if (removed > 0) {
                db.notify(Notify.SET, "srem", key);
            }
            if (set.isEmpty()) {
                db.delete(key, removed);
                db.notify(Notify.GENERIC, "del", key);
            } else if (removed > 0) {
                db.modified(key, removed);
            }
        }
        call.reply().integer(removed);
    }

    /**
     * SMOVE source destination member. A missing source replies 0 before any type check, even of the
     * destination; a source that is also the destination only answers whether it has the member.
     */
    static void smove(Invocation call) {
        Database db = call.db();
        byte[] sourceKey = call.arg(1);
        byte[] destinationKey = call.arg(2);
        byte[] member = call.arg(3);
        Object source = db.getForWrite(sourceKey);
        Object destination = db.getForWrite(destinationKey);
        if (source == null) {
            call.reply().integer(0);
            return;
        }
        if (!(source instanceof SetValue from) || (destination != null && !(destination instanceof SetValue))) {
            throw Errors.WRONGTYPE;
        }
        if (source == destination) {
            call.reply().integer(from.contains(member) ? 1 : 0);
            return;
        }
        if (!from.remove(member)) {
            call.reply().integer(0);
            return;
        }
        db.notify(Notify.SET, "srem", sourceKey);
        if (from.isEmpty()) {
            db.delete(sourceKey);
            db.notify(Notify.GENERIC, "del", sourceKey);
        } else {
            db.modified(sourceKey);
        }
        if (destination == null) {
            SetValue to = SetValue.startingWith(member);
            to.add(member, maxIntsetEntries(call));
            db.set(destinationKey, to);
            db.notify(Notify.SET, "sadd", destinationKey);
        } else if (((SetValue) destination).add(member, maxIntsetEntries(call))) {
            db.modified(destinationKey);
            db.notify(Notify.SET, "sadd", destinationKey);
        }
        call.reply().integer(1);
    }
}
