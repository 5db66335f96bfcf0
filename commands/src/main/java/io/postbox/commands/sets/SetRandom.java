package io.postbox.commands.sets;

import io.postbox.commands.Client;
import io.postbox.commands.CommandLog;
import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.Numbers;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.keyspace.Notify;
import io.postbox.resp.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * Members picked at random: SPOP removes them, SRANDMEMBER leaves them. Without a count either
 * replies one member or nil. With a count, a positive count asks for that many distinct members (the
 * whole set if it has no more); SRANDMEMBER's negative count asks for that many independent draws,
 * which may repeat.
 */
final class SetRandom {

    /**
     * Redis's SPOP_MOVE_STRATEGY_MUL: SPOP with a count removes members one by one while those that
     * stay are more than a fifth of those popped; beyond that it draws the members that stay into a
     * new set instead, which then replaces the old one (and may be an intset where the old was not).
     */
    private static final int KEEP_STRATEGY_FACTOR = 5;
    /**
     * The most draws one reply may hold. Redis has no such limit and would build the reply until
     * memory runs out; here a larger negative count is refused as out of range.
     */
    private static final long MAX_DRAWS = Integer.MAX_VALUE / 2;

    private static final byte[] SREM = "SREM".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private SetRandom() {
    }

    static void spop(Invocation call) {
        if (call.argc() == 3) {
            spopWithCount(call);
            return;
        }
        if (call.argc() > 3) {
            throw Errors.SYNTAX;
        }
        Database db = call.db();
        byte[] key = call.arg(1);
        SetValue set = db.getForWrite(key, SetValue.class);
        if (set == null) {
            call.reply().nullBulk();
            return;
        }
        byte[] member = set.popRandom();
        db.notify(Notify.SET, "spop", key);
        call.reply().bulk(member);
        if (set.isEmpty()) {
            db.delete(key);
            db.notify(Notify.GENERIC, "del", key);
        } else {
            db.modified(key);
        }
        call.propagateAs(SREM, key, member);
    }

    /** Replies a set (RESP3) of the members popped. */
    private static void spopWithCount(Invocation call) {
        byte[] countArg = call.arg(2);
        long count = Numbers.isLong(countArg) ? Numbers.parseLong(countArg) : -1;
        if (count < 0) {
            throw Errors.NOT_POSITIVE;
        }
        Database db = call.db();
        byte[] key = call.arg(1);
        SetValue set = db.getForWrite(key, SetValue.class);
        Reply reply = call.reply();
        if (set == null || count == 0) {
            reply.set(0);
            return;
        }
        long size = set.size();
        long maxIntset = SetWrites.maxIntsetEntries(call);
        db.notify(Notify.SET, "spop", key);
        if (count >= size) {
            // Redis replies the whole set as the union of it alone, so in that new set's order.
            SetAlgebra.reply(call, SetAlgebra.union(List.of(set), maxIntset));
            db.delete(key, size);
            call.propagateAs(CommandLog.deletion(key));
            db.notify(Notify.GENERIC, "del", key);
            return;
        }
        reply.set((int) count);
        long remaining = size - count;
        if (remaining * KEEP_STRATEGY_FACTOR > count) {
            List<byte[]> popped = new ArrayList<>();
            for (long i = 0; i < count; i++) {
                byte[] member = set.popRandom();
                popped.add(member);
                reply.bulk(member);
            }
            db.modified(key, count);
            propagateRemoval(call, key, popped);
            return;
        }
        SetValue kept = null;
        for (long i = 0; i < remaining; i++) {
            byte[] member = set.popRandom();
            if (kept == null) {
                kept = SetValue.startingWith(member);
            }
            kept.add(member, maxIntset);
        }
        List<byte[]> popped = new ArrayList<>();
        set.forEach(member -> {
            popped.add(member);
            reply.bulk(member);
        });
        db.setKeepTtl(key, kept);
        // Redis counts each member popped; storing the kept set counted the first.
        db.countChanges(count - 1);
        propagateRemoval(call, key, popped);
    }

    /** SPOP is logged as the SREM of what it popped, as Redis propagates it. */
    private static void propagateRemoval(Invocation call, byte[] key, List<byte[]> members) {
        byte[][] srem = new byte[members.size() + 2][];
        srem[0] = SREM;
        srem[1] = key;
        for (int i = 0; i < members.size(); i++) {
            srem[i + 2] = members.get(i);
        }
        call.propagateAs(srem);
    }

    static void srandmember(Invocation call) {
        if (call.argc() == 3) {
            srandmemberWithCount(call);
            return;
        }
        if (call.argc() > 3) {
            throw Errors.SYNTAX;
        }
        SetValue set = call.db().get(call.arg(1), SetValue.class);
        if (set == null) {
            call.reply().nullBulk();
        } else {
            call.reply().bulk(set.random());
        }
    }

    /** Replies an array (also in RESP3). */
    private static void srandmemberWithCount(Invocation call) {
        long count = Numbers.parseLongInRange(call.arg(2), -Long.MAX_VALUE, Long.MAX_VALUE);
        boolean repeats = count < 0 || count == 1;
        if (repeats && Math.abs(count) > MAX_DRAWS) {
            throw Errors.err("value is out of range");
        }
        SetValue set = call.db().get(call.arg(1), SetValue.class);
        Reply reply = call.reply();
        if (set == null || count == 0) {
            reply.array(0);
            return;
        }
        if (repeats) {
            int draws = (int) Math.abs(count);
            reply.array(draws);
            for (int i = 0; i < draws; i++) {
                if (i % Client.ITEMS_PER_OUTPUT_CHECK == 0 && call.client().outputPastHardLimit()) {
                    return;
                }
                reply.bulk(set.random());
            }
            return;
        }
        long size = set.size();
        if (count >= size) {
            reply.array((int) size);
            set.forEach(reply::bulk);
        } else {
            reply.array((int) count);
            set.distinctRandomMembers((int) count, reply::bulk);
        }
    }
}
