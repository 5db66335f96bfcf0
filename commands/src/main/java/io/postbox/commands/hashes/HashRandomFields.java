package io.postbox.commands.hashes;

import io.postbox.commands.Client;
import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.Numbers;
import io.postbox.resp.Reply;
import java.util.function.BiConsumer;

/**
 * HRANDFIELD key [count [WITHVALUES]]: without a count, one field or nil. With a count, an array: a
 * positive count asks for that many distinct fields (the whole hash if it has no more), a negative
 * one for that many independent draws, which may repeat. With WITHVALUES each field comes with its
 * value: flat in RESP2, as a two-element array per field in RESP3.
 */
final class HashRandomFields {

    /**
     * The most draws one reply may hold. Redis has no such limit and would build the reply until
     * memory runs out; here a larger negative count is refused as out of range.
     */
    private static final long MAX_DRAWS = Integer.MAX_VALUE / 2;

    private HashRandomFields() {
    }

    static void hrandfield(Invocation call) {
        if (call.argc() == 2) {
            HashValue hash = call.db().get(call.arg(1), HashValue.class);
            if (hash == null) {
                call.reply().nullBulk();
            } else {
                hash.randomPairs(1, (field, value) -> call.reply().bulk(field));
            }
            return;
        }
        long count = Numbers.parseLongInRange(call.arg(2), -Long.MAX_VALUE, Long.MAX_VALUE);
        if (call.argc() > 4 || (call.argc() == 4 && !call.argIs(3, "withvalues"))) {
            throw Errors.SYNTAX;
        }
        boolean withValues = call.argc() == 4;
        if (withValues && (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2)) {
            throw Errors.err("value is out of range");
        }
        boolean repeats = count < 0 || count == 1;
        if (repeats && Math.abs(count) > MAX_DRAWS) {
            throw Errors.err("value is out of range");
        }
        HashValue hash = call.db().get(call.arg(1), HashValue.class);
        Reply reply = call.reply();
        if (hash == null || count == 0) {
            reply.array(0);
            return;
        }
        boolean nested = withValues && reply.protocol() > 2;
        int perField = withValues && !nested ? 2 : 1;
        BiConsumer<byte[], byte[]> out = (field, value) -> {
            if (nested) {
                reply.array(2);
            }
            reply.bulk(field);
            if (withValues) {
                reply.bulk(value);
            }
        };
        if (repeats) {
            int draws = (int) Math.abs(count);
            reply.array(draws * perField);
            int step = Client.ITEMS_PER_OUTPUT_CHECK;
            for (int left = draws; left > 0 && !call.client().outputPastHardLimit(); left -= step) {
                hash.randomPairs(Math.min(left, step), out);
            }
            return;
        }
        int size = hash.size();
        int replied = (int) Math.min(count, size);
        reply.array(replied * perField);
        if (count >= size) {
            hash.forEach(out);
        } else {
            hash.distinctRandomPairs(replied, out);
        }
    }
}
