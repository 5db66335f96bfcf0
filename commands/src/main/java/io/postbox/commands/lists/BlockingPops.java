package io.postbox.commands.lists;

import io.postbox.commands.Invocation;
import io.postbox.commands.blocking.BlockingTimeout;
import io.postbox.commands.lists.PackedList.End;
import java.util.Arrays;
import java.util.List;

/**
 * BLPOP, BRPOP, BLMPOP, BLMOVE and BRPOPLPUSH: their non-blocking twins' pops ({@link ListPop}) run by
 * {@link io.postbox.commands.blocking.BlockedClients}, which blocks the client when no key has data.
 * Arguments are checked in Redis's order: BLMPOP reads its timeout after everything else, BLMOVE after
 * its directions.
 */
final class BlockingPops {

    private BlockingPops() {
    }

    /** BLPOP key [key ...] timeout. */
    static void blpop(Invocation call) {
        popOne(call, End.HEAD);
    }

    /** BRPOP key [key ...] timeout. */
    static void brpop(Invocation call) {
        popOne(call, End.TAIL);
    }

    /** BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]. */
    static void blmpop(Invocation call) {
        ListEnds.MultiPop request = ListEnds.multiPop(call, 2);
        long timeout = BlockingTimeout.millis(call.arg(1));
        call.engine().blockedClients().popOrBlock(call, request.keys(), timeout, request.pop());
    }

    /** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout. */
    static void blmove(Invocation call) {
        End from = ListEnds.where(call, 3);
        End to = ListEnds.where(call, 4);
        move(call, ListPop.move(from, call.arg(3), call.arg(2), to, call.arg(4)), 5);
    }

    /** BRPOPLPUSH source destination timeout. */
    static void brpoplpush(Invocation call) {
        move(call, ListPop.rpoplpush(call.arg(2)), 3);
    }

    private static void popOne(Invocation call, End from) {
        long timeout = BlockingTimeout.millis(call.arg(call.argc() - 1));
        List<byte[]> keys = Arrays.asList(call.args()).subList(1, call.argc() - 1);
        call.engine().blockedClients().popOrBlock(call, keys, timeout, ListPop.one(from));
    }

    /** Waits on the source only; the destination's type is checked when an element moves. */
    private static void move(Invocation call, ListPop move, int timeoutIndex) {
        long timeout = BlockingTimeout.millis(call.arg(timeoutIndex));
        call.engine().blockedClients().popOrBlock(call, List.of(call.arg(1)), timeout, move);
    }
}
