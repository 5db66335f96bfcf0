package io.postbox.commands.keyspace;

import io.postbox.commands.Client;
import io.postbox.commands.Command;
import io.postbox.commands.Glob;
import io.postbox.commands.Invocation;
import io.postbox.resp.Reply;
import java.util.ArrayList;
import java.util.List;

/** Listing keys: KEYS (all at once) and SCAN (a cursor, a few buckets per call). */
final class IterationCommands {

    private IterationCommands() {
    }

    static List<Command> commands() {
        return List.of(
                Command.builder("keys").arity(2).flags("readonly").acl("@keyspace @dangerous")
                        .tips("request_policy:all_shards", "nondeterministic_output_order")
                        .summary("Lists every key whose name matches a glob-style pattern.").since("1.0.0")
                        .complexity("O(N) with N being the number of keys in the database, under the assumption"
                                + " that the key names in the database and the given pattern have limited length.")
                        .syntax("pattern").handler(IterationCommands::keys).build(),
                Command.builder("scan").arity(-2).flags("readonly").acl("@keyspace").touchesArbitraryKeys()
                        .tips("nondeterministic_output", "request_policy:special")
                        .summary("Walks the keys of the database a few at a time with a cursor.").since("2.8.0")
                        .complexity("O(1) for every call. O(N) for a complete iteration, including enough command"
                                + " calls for the cursor to return back to 0. N is the number of elements inside the"
                                + " collection.")
                        .history("6.0.0", "Added the `TYPE` subcommand.")
                        .syntax("cursor [MATCH pattern] [COUNT count] [TYPE type]")
                        .handler(IterationCommands::scan).build());
    }

    /**
     * The matching keys. Once the reply passes the client's hard output limit the rest is not written:
     * the client is closed without it, and a keyspace of millions is not copied into its buffer first.
     */
    static void keys(Invocation call) {
        byte[] pattern = call.arg(1);
        boolean all = pattern.length == 1 && pattern[0] == '*';
        List<byte[]> found = new ArrayList<>();
        call.db().forEachLiveKey(key -> {
            if (all || Glob.matches(pattern, key, false)) {
                found.add(key);
            }
        });
        Reply reply = call.reply();
        reply.array(found.size());
        for (int i = 0; i < found.size(); i++) {
            if (i % Client.ITEMS_PER_OUTPUT_CHECK == 0 && call.client().outputPastHardLimit()) {
                return;
            }
            reply.bulk(found.get(i));
        }
    }

    /**
     * Collects the keys of buckets until COUNT keys are found, the iteration ends, or ten buckets
     * per wanted key were visited; then drops those not matching, of another type, or expired.
     */
    static void scan(Invocation call) {
        long cursor = ScanCursor.parse(call.arg(1));
        ScanOptions options = ScanOptions.parse(call, 2, true);
        Database db = call.db();
        List<byte[]> keys = new ArrayList<>();
        long steps = options.maxSteps();
        do {
            cursor = db.scan(cursor, keys::add);
        } while (cursor != 0 && steps-- > 0 && keys.size() < options.count());
        keys.removeIf(key -> !options.matches(key) || !typeMatches(db, options, key) || !db.exists(key));
        Reply reply = call.reply();
        reply.array(2);
        reply.bulk(ScanCursor.format(cursor));
        reply.bulks(keys);
    }

    private static boolean typeMatches(Database db, ScanOptions options, byte[] key) {
        if (options.type() == null) {
            return true;
        }
        Object value = db.getWithoutTouch(key);
        return options.typeMatches(value == null ? "none" : TypedValue.typeName(value));
    }
}
