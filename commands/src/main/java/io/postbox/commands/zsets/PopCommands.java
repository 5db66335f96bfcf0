package io.postbox.commands.zsets;

import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.resp.ErrorReply;

/** ZPOPMIN, ZPOPMAX and ZMPOP: argument handling around {@link SortedSetPop}. */
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
        long count = counted ? Arguments.nonNegative(call, 2, Arguments.NOT_POSITIVE) : 1;
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
        long numkeys = Arguments.inRange(call, 1, 1, Long.MAX_VALUE, NUMKEYS);
        if (numkeys >= call.argc() - 2) {
            throw Errors.SYNTAX;
        }
        int whereIndex = 2 + (int) numkeys;
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
        for (int i = 2; i < whereIndex; i++) {
            SortedSet set = call.db().getForWrite(call.arg(i), SortedSet.class);
            if (set != null) {
                SortedSetPop.pop(call.db(), call.arg(i), set, end, count == -1 ? 1 : count, SortedSetPop.Shape.KEYED,
                        call.reply());
                return;
            }
        }
        call.reply().nullArray();
    }
}
