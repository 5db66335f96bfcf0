package io.postbox.commands.keyspace;

import io.postbox.commands.Command;
import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.connection.ClientPause;
import io.postbox.commands.connection.FrozenServerWork;
import io.postbox.resp.ErrorReply;
import java.util.List;

/** Whole databases: DBSIZE, FLUSHDB, FLUSHALL, SELECT, SWAPDB. */
final class DatabaseCommands {

    private static final ErrorReply INVALID_FIRST = Errors.err("invalid first DB index");
    private static final ErrorReply INVALID_SECOND = Errors.err("invalid second DB index");

    private DatabaseCommands() {
    }

    static List<Command> commands() {
        return List.of(
                Command.builder("dbsize").arity(1).flags("readonly fast").acl("@keyspace").group("server")
                        .tips("request_policy:all_shards", "response_policy:agg_sum")
                        .summary("Counts the keys of the selected database.").since("1.0.0").complexity("O(1)")
                        .syntax("").handler(call -> call.reply().integer(call.db().size())).build(),
                flush("flushdb", "Deletes every key of the selected database.",
                        "O(N) where N is the number of keys in the selected database")
                        .handler(call -> {
                            checkFlushMode(call);
                            call.engine().clearDatabase(call.db());
                            call.forcePropagation();
                            call.reply().ok();
                        }).build(),
                flush("flushall", "Deletes every key of every database.",
                        "O(N) where N is the total number of keys in all databases")
                        .handler(call -> {
                            checkFlushMode(call);
                            call.engine().clearDatabases();
                            call.forcePropagation();
                            FrozenServerWork.runInfallible(call, ClientPause.Purpose.SAVE,
                                    done -> call.engine().durability().datasetFlushed(done));
                        }).build(),
                Command.builder("select").arity(2).flags("loading stale fast").acl("@connection")
                        .group("connection")
                        .summary("Switches this connection to another database.").since("1.0.0").complexity("O(1)")
                        .syntax("index").handler(call -> {
                            call.client().database(DatabaseArgument.database(call, 1));
                            call.reply().ok();
                        }).build(),
                Command.builder("swapdb").arity(3).flags("write fast").acl("@keyspace @dangerous").group("server")
                        .summary("Exchanges the contents of two databases; connections keep their index.")
                        .since("4.0.0")
                        .complexity("O(N) where N is the count of clients watching or blocking on keys from both"
                                + " databases.")
                        .syntax("index1 index2").handler(DatabaseCommands::swapdb).build());
    }

    private static Command.Builder flush(String name, String summary, String complexity) {
        return Command.builder(name).arity(-1).flags("write").acl("@keyspace @dangerous").group("server")
                .tips("request_policy:all_shards", "response_policy:all_succeeded")
                .summary(summary).since("1.0.0").complexity(complexity)
                .history("4.0.0", "Added the `ASYNC` flushing mode modifier.")
                .history("6.2.0", "Added the `SYNC` flushing mode modifier.")
                .syntax("[ASYNC | SYNC]");
    }

    /**
     * ASYNC or SYNC, or nothing. Both modes flush at once: the old tables are handed to the garbage
     * collector either way, which is what ASYNC buys in Redis.
     */
    private static void checkFlushMode(Invocation call) {
        if (call.argc() > 2 || (call.argc() == 2 && !call.argIs(1, "async") && !call.argIs(1, "sync"))) {
            throw Errors.SYNTAX;
        }
    }

    static void swapdb(Invocation call) {
        int first = DatabaseArgument.index(call, 1, INVALID_FIRST);
        int second = DatabaseArgument.index(call, 2, INVALID_SECOND);
        int count = call.engine().databaseCount();
        if (first < 0 || first >= count || second < 0 || second >= count) {
            throw Errors.DB_INDEX_OUT_OF_RANGE;
        }
        if (first != second) {
            call.engine().swapDatabases(first, second);
        }
        call.reply().ok();
    }
}
