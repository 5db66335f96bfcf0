package io.postbox.commands.zsets;

import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.blocking.BlockingTimeout;
import io.postbox.resp.ErrorReply;
import java.util.Arrays;
import java.util.List;

/**
 * ZPOPMIN, ZPOPMAX, ZMPOP and their blocking forms BZPOPMIN, BZPOPMAX, BZMPOP: argument handling
 * around {@link SortedSetPop}; the blocking forms run through
 * {@link io.postbox.commands.blocking.BlockedClients}.
 */
final class PopCommands {

    private static final ErrorReply NUMKEYS = Errors.err("numkeys should be greater than 0");
    private static final ErrorReply COUNT = Errors.err("count should be greater than 0");

    private PopCommands() {
    }

    static void zpopmin(Invocation call) {
        popOne(call, SortedSet.End.MIN);
    }

    static void zpopmax(Invocation call) {
        popOne(call, SortedSet.End.MAX);
    }

    /**
     * ZPOPMIN/ZPOPMAX key [count]: without a count one member, flat in every protocol; with one, up to
     * that many, nested in RESP3. A missing key, or a count of 0, is an empty array.
     */
    private static void popOne(Invocation call, SortedSet.End end) {
        if (call.argc() > 3) {
            throw Errors.SYNTAX;
        }
        boolean counted = call.argc() == 3;
        long count = counted ? Arguments.nonNegative(call, 2, Errors.NOT_POSITIVE) : 1;
        byte[] key = call.arg(1);
        SortedSet set = call.db().getForWrite(key, SortedSet.class);
        if (set == null || count == 0) {
            call.reply().array(0);
            return;
        }
        SortedSetPop.Shape shape = counted && call.reply().protocol() >= 3
                ? SortedSetPop.Shape.NESTED : SortedSetPop.Shape.FLAT;
        SortedSetPop.pop(call.db(), key, set, end, count, shape, call.reply());
    }

    /**
     * ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]: pops from the first of the keys that holds a
     * set; a key of another type before it is WRONGTYPE. Null when none does.
     */
    static void zmpop(Invocation call) {
        MultiPop request = multiPop(call, 1);
        byte[] popped = request.pop().popFirst(call.db(), request.keys(), call.reply());
        if (popped == null) {
            request.pop().replyEmpty(call.reply());
        } else {
            call.propagateAs(request.pop().effect(popped));
        }
    }

    /** BZPOPMIN key [key ...] timeout. */
    static void bzpopmin(Invocation call) {
        blockingPopOne(call, SortedSet.End.MIN);
    }

    /** BZPOPMAX key [key ...] timeout. */
    static void bzpopmax(Invocation call) {
        blockingPopOne(call, SortedSet.End.MAX);
    }

    /** BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]: the timeout is read after the rest. */
    static void bzmpop(Invocation call) {
        MultiPop request = multiPop(call, 2);
        long timeout = BlockingTimeout.millis(call.arg(1));
        call.engine().blockedClients().popOrBlock(call, request.keys(), timeout, request.pop());
    }

    private static void blockingPopOne(Invocation call, SortedSet.End end) {
        long timeout = BlockingTimeout.millis(call.arg(call.argc() - 1));
        List<byte[]> keys = Arrays.asList(call.args()).subList(1, call.argc() - 1);
        call.engine().blockedClients().popOrBlock(call, keys, timeout, SortedSetPopRequest.one(end));
    }

    /** The keys and the pop of ZMPOP or BZMPOP. */
    private record MultiPop(List<byte[]> keys, SortedSetPopRequest pop) {
    }

    /**
     * Reads {@code numkeys key [key ...] MIN|MAX [COUNT count]} from argument {@code numkeysIndex} on,
     * with Redis's checks in Redis's order.
     */
    private static MultiPop multiPop(Invocation call, int numkeysIndex) {
        long numkeys = Arguments.inRange(call, numkeysIndex, 1, Long.MAX_VALUE, NUMKEYS);
        if (numkeys > call.argc() - numkeysIndex - 2) {
            throw Errors.SYNTAX;
        }
        int whereIndex = numkeysIndex + 1 + (int) numkeys;
        SortedSet.End end;
        if (Arguments.is(call, whereIndex, "min")) {
            end = SortedSet.End.MIN;
        } else if (Arguments.is(call, whereIndex, "max")) {
            end = SortedSet.End.MAX;
        } else {
            throw Errors.SYNTAX;
        }
        long count = -1;
        for (int j = whereIndex + 1; j < call.argc(); j++) {
            if (count == -1 && Arguments.is(call, j, "count") && j + 1 < call.argc()) {
                count = Arguments.inRange(call, ++j, 1, Long.MAX_VALUE, COUNT);
            } else {
                throw Errors.SYNTAX;
            }
        }
        List<byte[]> keys = Arrays.asList(call.args()).subList(numkeysIndex + 1, whereIndex);
        return new MultiPop(keys, SortedSetPopRequest.many(end, count == -1 ? 1 : count));
    }
}
