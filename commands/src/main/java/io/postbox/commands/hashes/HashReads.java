package io.postbox.commands.hashes;

import io.postbox.commands.Invocation;
import io.postbox.commands.keyspace.ScanCursor;
import io.postbox.commands.keyspace.ScanOptions;
import io.postbox.resp.Reply;
import java.util.ArrayList;
import java.util.List;

/** The hash commands that only read: HGET, HMGET, HGETALL, HKEYS, HVALS, HLEN, HEXISTS, HSTRLEN, HSCAN. */
final class HashReads {

    private HashReads() {
    }

    static void hget(Invocation call) {
        HashValue hash = call.db().get(call.arg(1), HashValue.class);
        bulkOrNull(call.reply(), hash == null ? null : hash.get(call.arg(2)));
    }

    /** One reply per field; a missing key reads as a hash without fields. */
    static void hmget(Invocation call) {
        HashValue hash = call.db().get(call.arg(1), HashValue.class);
        Reply reply = call.reply();
        reply.array(call.argc() - 2);
        for (int i = 2; i < call.argc(); i++) {
            bulkOrNull(reply, hash == null ? null : hash.get(call.arg(i)));
        }
    }

    /** A map in RESP3, a flat field, value, ... array in RESP2. */
    static void hgetall(Invocation call) {
        HashValue hash = call.db().get(call.arg(1), HashValue.class);
        Reply reply = call.reply();
        if (hash == null) {
            reply.map(0);
            return;
        }
        reply.map(hash.size());
        hash.forEach((field, value) -> {
            reply.bulk(field);
            reply.bulk(value);
        });
    }

    static void hkeys(Invocation call) {
        HashValue hash = call.db().get(call.arg(1), HashValue.class);
        Reply reply = call.reply();
        reply.array(hash == null ? 0 : hash.size());
        if (hash != null) {
            hash.forEach((field, value) -> reply.bulk(field));
        }
    }

    static void hvals(Invocation call) {
        HashValue hash = call.db().get(call.arg(1), HashValue.class);
        Reply reply = call.reply();
        reply.array(hash == null ? 0 : hash.size());
        if (hash != null) {
            hash.forEach((field, value) -> reply.bulk(value));
        }
    }

    static void hlen(Invocation call) {
        HashValue hash = call.db().get(call.arg(1), HashValue.class);
        call.reply().integer(hash == null ? 0 : hash.size());
    }

    static void hexists(Invocation call) {
        HashValue hash = call.db().get(call.arg(1), HashValue.class);
        call.reply().integer(hash != null && hash.contains(call.arg(2)) ? 1 : 0);
    }

    static void hstrlen(Invocation call) {
        HashValue hash = call.db().get(call.arg(1), HashValue.class);
        call.reply().integer(hash == null ? 0 : hash.valueLength(call.arg(2)));
    }

    /**
     * HSCAN key cursor [MATCH pattern] [COUNT count]. Redis's order of checks: the cursor, then the key
     * (a missing key is an empty, finished scan whatever the options say), then the options.
     */
    static void hscan(Invocation call) {
        long cursor = ScanCursor.parse(call.arg(2));
        HashValue hash = call.db().get(call.arg(1), HashValue.class);
        List<byte[]> items = new ArrayList<>();
        if (hash != null) {
            cursor = hash.scan(cursor, ScanOptions.parse(call, 3, false), items);
        } else {
            cursor = 0;
        }
        Reply reply = call.reply();
        reply.array(2);
        reply.bulk(ScanCursor.format(cursor));
        reply.bulks(items);
    }

    static void bulkOrNull(Reply reply, byte[] value) {
        if (value == null) {
            reply.nullBulk();
        } else {
            reply.bulk(value);
        }
    }
}
