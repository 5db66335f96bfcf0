package io.postbox.commands.keyspace;

import io.postbox.commands.Command;
import io.postbox.commands.Engine;
import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.KeySpec;
import io.postbox.commands.Numbers;
import io.postbox.commands.connection.ClientPause;
import io.postbox.commands.connection.FrozenServerWork;
import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * MIGRATE: sends keys to another server (Redis or Postbox) as RESTOREs of their DUMP payloads, and
 * deletes each key here once the target has taken it, unless COPY, as Redis's MIGRATE does; the
 * deletions reach the append-only file and replicas as one DEL. Redis holds its only thread for the
 * transfer, so nothing touches the keys meanwhile: here every client is frozen for it instead
 * ({@link FrozenServerWork}), while the transfer blocks a thread of its own ({@link MigrationLinks}).
 * Inside MULTI or a script, whose replies must keep their order, that cannot be done without blocking
 * the executor, so it is refused there.
 */
final class MigrateCommand {

    private static final ErrorReply KEYS_WITH_A_KEY = Errors.err("When using MIGRATE KEYS option, the key argument"
            + " must be set to the empty string");
    private static final ErrorReply NOT_IN_TRANSACTION = Errors.err("MIGRATE is not allowed in transactions or"
            + " scripts: Postbox waits for the target with its clients frozen, not its executor blocked");
    /** What Redis takes for a timeout of 0 or less. */
    private static final long DEFAULT_TIMEOUT_MILLIS = 1000;
    private static final byte[] AUTH = ascii("AUTH");
    private static final byte[] RESTORE = ascii("RESTORE");
    private static final byte[] REPLACE = ascii("REPLACE");
    private static final byte[] DEL = ascii("DEL");

    private MigrateCommand() {
    }

    static Command command() {
        return Command.builder("migrate").arity(-6).flags("write").acl("@keyspace @dangerous")
                .keys(KeySpec.range("RW access delete", 3, 0, 1))
                .keys(KeySpec.keyword("RW access delete incomplete", "KEYS", -2, -1, 1, 0))
                .tips("nondeterministic_output")
                .summary("Moves keys to another server, atomically: each is deleted here once the target has it.")
                .since("2.6.0")
                .complexity("A DUMP and a DEL of each key here, a RESTORE of each on the target (see those"
                        + " commands), and the transfer of the payloads: O(N) in their size.")
                .syntax("host port <key | \"\"> destination-db:integer timeout:integer [COPY] [REPLACE]"
                        + " [[AUTH password] | [AUTH2 username password]] [KEYS key [key ...]]")
                .history("3.0.0", "Added the `COPY` and `REPLACE` options.")
                .history("3.0.6", "Added the `KEYS` option.")
                .history("4.0.7", "Added the `AUTH` option.")
                .history("6.0.0", "Added the `AUTH2` option.")
                .handler(MigrateCommand::migrate).build();
    }

    /** MIGRATE's options, and where its keys are among the arguments. */
    private record Options(boolean copy, boolean replace, List<byte[]> auth, int firstKey, int keyCount) {

        /** As Redis reads them: AUTH and AUTH2 redacted from the slow log, KEYS taking the rest. */
        static Options parse(Invocation call) {
            boolean copy = false;
            boolean replace = false;
            List<byte[]> auth = null;
            for (int j = 6; j < call.argc(); j++) {
                int more = call.argc() - 1 - j;
                if (call.argIs(j, "copy")) {
                    copy = true;
                } else if (call.argIs(j, "replace")) {
                    replace = true;
                } else if (call.argIs(j, "auth") && more >= 1) {
                    call.redact(++j);
                    auth = List.of(AUTH, call.arg(j));
                } else if (call.argIs(j, "auth2") && more >= 2) {
                    call.redact(j + 1);
                    call.redact(j + 2);
                    auth = List.of(AUTH, call.arg(j + 1), call.arg(j + 2));
                    j += 2;
                } else if (call.argIs(j, "keys")) {
                    if (call.arg(3).length != 0) {
                        throw KEYS_WITH_A_KEY;
                    }
                    return new Options(copy, replace, auth, j + 1, call.argc() - j - 1);
                } else {
                    throw Errors.SYNTAX;
                }
            }
            return new Options(copy, replace, auth, 3, 1);
        }
    }

    /** Checks in Redis's order: the options, the timeout, the database, then whether any key is here. */
    private static void migrate(Invocation call) {
        Options options = Options.parse(call);
        long timeout = Numbers.parseLong(call.arg(5));
        long db = Numbers.parseLong(call.arg(4));
        if (call.client().denyBlocking()) {
            throw NOT_IN_TRANSACTION;
        }
        Database source = call.db();
        List<byte[]> keys = new ArrayList<>();
        List<byte[][]> restores = new ArrayList<>();
        for (int i = options.firstKey(); i < options.firstKey() + options.keyCount(); i++) {
            byte[] key = call.arg(i);
            Object value = source.get(key);
            if (value != null) {
                keys.add(key);
                restores.add(restore(call, key, value, options.replace()));
            }
        }
        if (keys.isEmpty()) {
            call.reply().simple("NOKEY");
            return;
        }
        MigrationLinks.Transfer transfer = new MigrationLinks.Transfer(string(call.arg(1)), Numbers.atoi(call.arg(2)),
                timeout <= 0 ? DEFAULT_TIMEOUT_MILLIS : timeout, db, options.auth(), restores);
        Engine engine = call.engine();
        MigrationLinks links = engine.migrationLinks();
        FrozenServerWork.runOnThread(call, ClientPause.Purpose.MIGRATE, "postbox-migrate",
                () -> links.run(transfer, engine.scheduler()), outcome -> {
                    if (!options.copy()) {
                        deleteTaken(engine, source, keys, outcome.taken());
                    }
                    engine.scheduler().schedule(MigrationLinks.idleMillis(), links::closeIdle);
                    return outcome.error();
                });
    }

    /**
     * The RESTORE of {@code key}: its TTL in milliseconds from now (at least 1), or 0 for none, as
     * Redis's MIGRATE computes it.
     */
    private static byte[][] restore(Invocation call, byte[] key, Object value, boolean replace) {
        long expireAt = call.db().expireAt(key);
        long ttl = expireAt == -1 ? 0 : Math.max(1, expireAt - call.now());
        byte[] payload = call.engine().dumpPayloads().dump(value);
        byte[] ttlText = Numbers.toBytes(ttl);
        return replace ? new byte[][] {RESTORE, key, ttlText, payload, REPLACE}
                : new byte[][] {RESTORE, key, ttlText, payload};
    }

    /** Deletes the keys the target took, with the events DEL has, and logs them as one DEL. */
    private static void deleteTaken(Engine engine, Database db, List<byte[]> keys, boolean[] taken) {
        List<byte[]> logged = new ArrayList<>();
        logged.add(DEL);
        for (int i = 0; i < keys.size(); i++) {
            byte[] key = keys.get(i);
            if (taken[i] && db.delete(key)) {
                db.notify(Notify.GENERIC, "del", key);
                logged.add(key);
            }
        }
        if (logged.size() > 1) {
            engine.commandLog().written(db, logged.toArray(byte[][]::new));
        }
    }

    private static String string(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
