package io.postbox.commands.sets;

import io.postbox.commands.Invocation;
import io.postbox.commands.keyspace.ScanCursor;
import io.postbox.commands.keyspace.ScanOptions;
import io.postbox.resp.Reply;
import java.util.ArrayList;
import java.util.List;

/** The set commands that read single sets: SISMEMBER, SMISMEMBER, SCARD, SSCAN. */
final class SetReads {

    private SetReads() {
    }

    static void sismember(Invocation call) {
        SetValue set = call.db().get(call.arg(1), SetValue.class);
        call.reply().integer(set != null && set.contains(call.arg(2)) ? 1 : 0);
    }

    /** One 1 or 0 per value; a missing key is a set without members. */
    static void smismember(Invocation call) {
        SetValue set = call.db().get(call.arg(1), SetValue.class);
        Reply reply = call.reply();
        reply.array(call.argc() - 2);
        for (int i = 2; i < call.argc(); i++) {
            reply.integer(set != null && set.contains(call.arg(i)) ? 1 : 0);
        }
    }

    static void scard(Invocation call) {
        SetValue set = call.db().get(call.arg(1), SetValue.class);
        call.reply().integer(set == null ? 0 : set.size());
    }

    /**
     * SSCAN key cursor [MATCH pattern] [COUNT count]. Redis's order of checks: the cursor, then the key
     * (a missing key is an empty, finished scan whatever the options say), then the options.
     */
    static void sscan(Invocation call) {
        long cursor = ScanCursor.parse(call.arg(2));
        SetValue set = call.db().get(call.arg(1), SetValue.class);
        List<byte[]> members = new ArrayList<>();
        if (set != null) {
            cursor = set.scan(cursor, ScanOptions.parse(call, 3, false), members);
        } else {
            cursor = 0;
        }
        Reply reply = call.reply();
        reply.array(2);
        reply.bulk(ScanCursor.format(cursor));
        reply.bulks(members);
    }
}
