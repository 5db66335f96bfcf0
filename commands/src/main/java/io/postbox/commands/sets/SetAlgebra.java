package io.postbox.commands.sets;

import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.Numbers;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.keyspace.Notify;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Sets combined: SINTER, SUNION, SDIFF, their STORE forms, SINTERCARD, and SMEMBERS (Redis runs it
 * as the intersection of one set).
 *
 * <p>Every key is looked up first, and the first that holds another type fails the command, even after
 * a missing key. A result is built as Redis builds it, so it has the same encoding: a new set that
 * stays an intset while only integers are added. A reply lists a result as a set (RESP3); a STORE form
 * replaces the destination, whatever it held, or deletes it when the result is empty.
 */
final class SetAlgebra {

    private static final ErrorReply BAD_NUMKEYS = Errors.err("numkeys should be greater than 0");
    private static final ErrorReply BAD_LIMIT = Errors.err("LIMIT can't be negative");

    private SetAlgebra() {
    }

    static void smembers(Invocation call) {
        sinter(call);
    }

    static void sinter(Invocation call) {
        List<SetValue> sets = lookup(call, 1, call.argc());
        List<byte[]> members = new ArrayList<>();
        if (!sets.contains(null)) {
            intersect(sets, 0, members::add);
        }
        call.reply().set(members.size());
        members.forEach(call.reply()::bulk);
    }

    static void sinterstore(Invocation call) {
        List<SetValue> sets = lookup(call, 2, call.argc());
        SetValue result = SetValue.empty();
        if (!sets.contains(null)) {
            long maxIntset = SetWrites.maxIntsetEntries(call);
            intersect(sets, 0, member -> result.add(member, maxIntset));
        }
        store(call, result, "sinterstore");
    }

    /** SINTERCARD numkeys key [key ...] [LIMIT limit]: the size of the intersection, counted up to the limit. */
    static void sintercard(Invocation call) {
        byte[] numkeysArg = call.arg(1);
        long numkeys = Numbers.isLong(numkeysArg) ? Numbers.parseLong(numkeysArg) : 0;
        if (numkeys < 1) {
            throw BAD_NUMKEYS;
        }
        if (numkeys > call.argc() - 2) {
            throw Errors.err("Number of keys can't be greater than number of args");
        }
        int firstOption = (int) (2 + numkeys);
        long limit = 0;
        for (int i = firstOption; i < call.argc(); i++) {
            if (call.argIs(i, "limit") && i + 1 < call.argc()) {
                byte[] limitArg = call.arg(++i);
                limit = Numbers.isLong(limitArg) ? Numbers.parseLong(limitArg) : -1;
                if (limit < 0) {
                    throw BAD_LIMIT;
                }
            } else {
                throw Errors.SYNTAX;
            }
        }
        List<SetValue> sets = lookup(call, 2, firstOption);
        long[] count = {0};
        if (!sets.contains(null)) {
            intersect(sets, limit, member -> count[0]++);
        }
        call.reply().integer(count[0]);
    }

    static void sunion(Invocation call) {
        reply(call, union(lookup(call, 1, call.argc()), SetWrites.maxIntsetEntries(call)));
    }

    static void sunionstore(Invocation call) {
        store(call, union(lookup(call, 2, call.argc()), SetWrites.maxIntsetEntries(call)), "sunionstore");
    }

    static void sdiff(Invocation call) {
        reply(call, difference(lookup(call, 1, call.argc()), SetWrites.maxIntsetEntries(call)));
    }

    static void sdiffstore(Invocation call) {
        store(call, difference(lookup(call, 2, call.argc()), SetWrites.maxIntsetEntries(call)), "sdiffstore");
    }

    /** The sets at arguments {@code from} (inclusive) to {@code to} (exclusive); null for a missing key. */
    private static List<SetValue> lookup(Invocation call, int from, int to) {
        List<SetValue> sets = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            sets.add(call.db().get(call.arg(i), SetValue.class));
        }
        return sets;
    }

    /**
     * Visits the members every set has, in the order of the smallest set (the first of the smallest),
     * stopping after {@code limit} members if the limit is not 0. No set may be null.
     */
    private static void intersect(List<SetValue> sets, long limit, Consumer<byte[]> visitor) {
        List<SetValue> bySize = new ArrayList<>(sets);
        bySize.sort(Comparator.comparingLong(SetValue::size));
        SetValue smallest = bySize.get(0);
        List<SetValue> others = bySize.subList(1, bySize.size());
        long[] found = {0};
        smallest.forEach(member -> {
            if (limit != 0 && found[0] >= limit) {
                return;
            }
            for (SetValue other : others) {
                if (other != smallest && !other.contains(member)) {
                    return;
                }
            }
            found[0]++;
            visitor.accept(member);
        });
    }

    /** Every member of any of the sets; nulls (missing keys) add nothing. */
    static SetValue union(List<SetValue> sets, long maxIntset) {
        SetValue result = SetValue.empty();
        for (SetValue set : sets) {
            if (set != null) {
                set.forEach(member -> result.add(member, maxIntset));
            }
        }
        return result;
    }

    /** The members of the first set that no other set has; empty if the first is missing. */
    private static SetValue difference(List<SetValue> sets, long maxIntset) {
        SetValue result = SetValue.empty();
        SetValue first = sets.get(0);
        if (first == null) {
            return result;
        }
        List<SetValue> others = sets.subList(1, sets.size());
        first.forEach(member -> {
            for (SetValue other : others) {
                if (other != null && other.contains(member)) {
                    return;
                }
            }
            result.add(member, maxIntset);
        });
        return result;
    }

    /** Replies the members of {@code result} as a set. */
    static void reply(Invocation call, SetValue result) {
        Reply reply = call.reply();
        reply.set((int) result.size());
        result.forEach(reply::bulk);
    }

    /**
     * Stores {@code result} under the destination (argument 1), or deletes it if the result is empty;
     * after the reply comes the keyspace event, {@code event} or {@code del} if a key was deleted.
     */
    private static void store(Invocation call, SetValue result, String event) {
        Database db = call.db();
        byte[] destination = call.arg(1);
        if (result.isEmpty()) {
            boolean deleted = db.delete(destination);
            call.reply().integer(0);
            if (deleted) {
                db.notify(Notify.GENERIC, "del", destination);
            }
        } else {
            db.set(destination, result);
            call.reply().integer(result.size());
            db.notify(Notify.SET, event, destination);
        }
    }
}
