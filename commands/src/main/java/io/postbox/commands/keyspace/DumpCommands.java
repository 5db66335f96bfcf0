package io.postbox.commands.keyspace;

import io.postbox.commands.Command;
import io.postbox.commands.CommandLog;
import io.postbox.commands.DumpPayloads;
import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.KeySpec;
import io.postbox.commands.Numbers;
import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * DUMP and RESTORE: a key's value as a payload in Redis's format ({@link DumpPayloads}), and a key made
 * from one, as tools that copy keys between servers use them.
 */
final class DumpCommands {

    private static final ErrorReply BUSY_KEY = new ErrorReply("BUSYKEY Target key name already exists.");
    private static final byte[] ABSTTL = bytes("ABSTTL");

    private DumpCommands() {
    }

    static List<Command> commands() {
        return List.of(
                Command.builder("dump").arity(2).flags("readonly").acl("@keyspace")
                        .keys(KeySpec.range("RO access", 1, 0, 1)).tips("nondeterministic_output")
                        .summary("Returns a serialized representation of the value stored at a key.")
                        .since("2.6.0").complexity("O(1) to access the key and additional O(N*M) to serialize it,"
                                + " where N is the number of Redis objects composing the value and M their average"
                                + " size.")
                        .syntax("key").handler(DumpCommands::dump).build(),
                restore("restore", "write denyoom")
                        .summary("Creates a key from the serialized representation of a value.").since("2.6.0")
                        .build(),
                // What a cluster's MIGRATE sends to a node that is importing the key's slot: without a
                // cluster, RESTORE under another name, as in Redis.
                restore("restore-asking", "write denyoom asking").group("server").docFlags("syscmd")
                        .summary("Creates a key from the serialized representation of a value, for MIGRATE in a"
                                + " cluster.").since("3.0.0")
                        .build());
    }

    private static Command.Builder restore(String name, String flags) {
        return Command.builder(name).arity(-4).flags(flags).acl("@keyspace @dangerous")
                .keys(KeySpec.range("OW update", 1, 0, 1))
                .complexity("O(1) to create the new key and additional O(N*M) to reconstruct the serialized value,"
                        + " where N is the number of Redis objects composing the value and M their average size;"
                        + " O(N*M*log(N)) for sorted sets.")
                .syntax("key ttl:integer serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds:integer]"
                        + " [FREQ frequency:integer]")
                .history("3.0.0", "Added the `REPLACE` modifier.")
                .history("5.0.0", "Added the `ABSTTL` modifier.")
                .history("5.0.0", "Added the `IDLETIME` and `FREQ` options.")
                .handler(DumpCommands::restore);
    }

    static void dump(Invocation call) {
        Object value = call.db().get(call.arg(1));
        if (value == null) {
            call.reply().nullBulk();
        } else {
            call.reply().bulk(call.engine().dumpPayloads().dump(value));
        }
    }

    /**
     * RESTORE's options: REPLACE, ABSTTL, and IDLETIME or FREQ (-1 when not given), which exclude each
     * other.
     */
    private record RestoreOptions(boolean replace, boolean absoluteTtl, long idleSeconds, int frequency) {

        static RestoreOptions parse(Invocation call) {
            boolean replace = false;
            boolean absoluteTtl = false;
            long idleSeconds = -1;
            int frequency = -1;
            for (int i = 4; i < call.argc(); i++) {
                boolean hasValue = i + 1 < call.argc();
                if (call.argIs(i, "replace")) {
                    replace = true;
                } else if (call.argIs(i, "absttl")) {
                    absoluteTtl = true;
                } else if (call.argIs(i, "idletime") && hasValue && frequency == -1) {
                    idleSeconds = Numbers.parseLong(call.arg(++i));
                    if (idleSeconds < 0) {
                        throw Errors.err("Invalid IDLETIME value, must be >= 0");
                    }
                } else if (call.argIs(i, "freq") && hasValue && idleSeconds == -1) {
                    long value = Numbers.parseLong(call.arg(++i));
                    if (value < 0 || value > 255) {
                        throw Errors.err("Invalid FREQ value, must be >= 0 and <= 255");
                    }
                    frequency = (int) value;
                } else {
                    throw Errors.SYNTAX;
                }
            }
            return new RestoreOptions(replace, absoluteTtl, idleSeconds, frequency);
        }
    }

    /** Checks in Redis's order: the options, an existing key, the TTL, then the payload. */
    static void restore(Invocation call) {
        RestoreOptions options = RestoreOptions.parse(call);
        Database db = call.db();
        byte[] key = call.arg(1);
        if (!options.replace() && db.getForWrite(key) != null) {
            throw BUSY_KEY;
        }
        long ttl = Numbers.parseLong(call.arg(2));
        if (ttl < 0) {
            throw Errors.err("Invalid TTL value, must be >= 0");
        }
        Object value = call.engine().dumpPayloads().restore(call.arg(3));
        // Redis counts a restore as one change, whatever it replaced: the set's below, or the deletion's.
        boolean deleted = options.replace() && db.delete(key, 0);
        // A sum past the largest time wraps negative, so the key is born expired, as in Redis.
        long expiresAt = ttl == 0 || options.absoluteTtl() ? ttl : ttl + call.now();
        if (ttl != 0 && call.engine().alreadyExpired(expiresAt)) {
            // Born expired: the key is not created, and one it replaced is gone.
            if (deleted) {
                db.countChanges(1);
                db.notify(Notify.GENERIC, "del", key);
                call.propagateAs(CommandLog.deletion(key));
            }
            call.reply().ok();
            return;
        }
        db.set(key, value);
        if (ttl != 0) {
            db.expireAt(key, expiresAt, 0);
            if (!options.absoluteTtl()) {
                call.propagateAs(withAbsoluteTtl(call.args(), expiresAt));
            }
        }
        db.restoreAccess(key, options.idleSeconds(), options.frequency());
        db.notify(Notify.GENERIC, "restore", key);
        call.reply().ok();
    }

    /** The command as the append-only file records it: the TTL a time, so a replay expires it then. */
    private static byte[][] withAbsoluteTtl(byte[][] args, long expiresAt) {
        byte[][] logged = Arrays.copyOf(args, args.length + 1);
        logged[2] = Numbers.toBytes(expiresAt);
        logged[args.length] = ABSTTL;
        return logged;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
