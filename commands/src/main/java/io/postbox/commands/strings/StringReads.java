package io.postbox.commands.strings;

import io.postbox.commands.Invocation;
import io.postbox.commands.keyspace.GrowingString;
import io.postbox.resp.Reply;

/** The string commands that only read: GET, MGET, STRLEN, GETRANGE (and its old name SUBSTR). */
final class StringReads {

    private static final byte[] EMPTY = new byte[0];

    private StringReads() {
    }

    static void get(Invocation call) {
        bulkOrNull(call.reply(), call.db().get(call.arg(1), byte[].class));
    }

    /** One reply per key; a missing key and a key of another type alike read as null. */
    static void mget(Invocation call) {
        call.reply().array(call.argc() - 1);
        for (int i = 1; i < call.argc(); i++) {
            bulkOrNull(call.reply(), call.db().get(call.arg(i)) instanceof byte[] value ? value : null);
        }
    }

    static void strlen(Invocation call) {
        Object value = call.db().getString(call.arg(1));
        call.reply().integer(value == null ? 0 : GrowingString.length(value));
    }

    /**
     * The bytes from {@code start} to {@code end}, both inclusive; negative indexes count from the end.
     * Redis 7.0's clamping is kept as it is: an end that is still negative after counting from the end
     * becomes 0, so {@code GETRANGE "hello" 0 -100} is "h", not empty.
     */
    static void getrange(Invocation call) {
        long start = call.longArg(2);
        long end = call.longArg(3);
        Object value = call.db().getString(call.arg(1));
        int length = value == null ? 0 : GrowingString.length(value);
        if (length == 0 || (start < 0 && end < 0 && start > end)) {
            call.reply().bulk(EMPTY);
            return;
        }
        if (start < 0) {
            start = Math.max(length + start, 0);
        }
        if (end < 0) {
            end = Math.max(length + end, 0);
        }
        end = Math.min(end, length - 1);
        if (start > end) {
            call.reply().bulk(EMPTY);
            return;
        }
        call.reply().bulk(GrowingString.copyOfRange(value, (int) start, (int) end + 1));
    }

    static void bulkOrNull(Reply reply, byte[] value) {
        if (value == null) {
            reply.nullBulk();
        } else {
            reply.bulk(value);
        }
    }
}
