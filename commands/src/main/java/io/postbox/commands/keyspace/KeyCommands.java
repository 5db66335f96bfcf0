package io.postbox.commands.keyspace;

import io.postbox.commands.Command;
import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.KeySpec;
import io.postbox.resp.ErrorReply;
import java.util.Arrays;
import java.util.List;

/** Commands on whole keys: DEL, UNLINK, EXISTS, TOUCH, TYPE, RENAME, RENAMENX, MOVE, COPY, RANDOMKEY. */
final class KeyCommands {

    private static final ErrorReply SAME_OBJECT = Errors.err("source and destination objects are the same");

    private KeyCommands() {
    }

    static List<Command> commands() {
        return List.of(
                Command.builder("del").arity(-2).flags("write").acl("@keyspace")
                        .keys(KeySpec.range("RM delete", 1, -1, 1))
                        .tips("request_policy:multi_shard", "response_policy:agg_sum")
                        .summary("Removes one or more keys and their values.").since("1.0.0")
                        .complexity("O(N) where N is the number of keys that will be removed. When a key to remove"
                                + " holds a value other than a string, the individual complexity for this key is O(M)"
                                + " where M is the number of elements in the list, set, sorted set or hash. Removing a"
                                + " single key that holds a string value is O(1).")
                        .syntax("key [key ...]").handler(KeyCommands::delete).build(),
                Command.builder("unlink").arity(-2).flags("write fast").acl("@keyspace")
                        .keys(KeySpec.range("RM delete", 1, -1, 1))
                        .tips("request_policy:multi_shard", "response_policy:agg_sum")
                        .summary("Removes one or more keys like DEL, without making the caller wait for large"
                                + " values to be freed.").since("4.0.0")
                        .complexity("O(1) for each key removed regardless of its size. Then the command does O(N)"
                                + " work in a different thread in order to reclaim memory, where N is the number of"
                                + " allocations the deleted objects where composed of.")
                        .syntax("key [key ...]").handler(KeyCommands::delete).build(),
                Command.builder("exists").arity(-2).flags("readonly fast").acl("@keyspace")
                        .keys(KeySpec.range("RO", 1, -1, 1))
                        .tips("request_policy:multi_shard", "response_policy:agg_sum")
                        .summary("Counts how many of the given keys exist; a key named twice counts twice.")
                        .since("1.0.0").complexity("O(N) where N is the number of keys to check.")
                        .history("3.0.3", "Accepts multiple `key` arguments.")
                        .syntax("key [key ...]").handler(KeyCommands::exists).build(),
                Command.builder("touch").arity(-2).flags("readonly fast").acl("@keyspace")
                        .keys(KeySpec.range("RO", 1, -1, 1))
                        .tips("request_policy:multi_shard", "response_policy:agg_sum")
                        .summary("Marks keys as just accessed and counts those that exist.").since("3.2.1")
                        .complexity("O(N) where N is the number of keys that will be touched.")
                        .syntax("key [key ...]").handler(KeyCommands::touch).build(),
                Command.builder("type").arity(2).flags("readonly fast").acl("@keyspace")
                        .keys(KeySpec.range("RO", 1, 0, 1))
                        .summary("Names the type of the value at a key, or none.").since("1.0.0").complexity("O(1)")
                        .syntax("key").handler(KeyCommands::type).build(),
                Command.builder("rename").arity(3).flags("write").acl("@keyspace")
                        .keys(KeySpec.range("RW access delete", 1, 0, 1))
                        .keys(KeySpec.range("OW update", 2, 0, 1))
                        .summary("Gives a key a new name, replacing any key of that name.").since("1.0.0")
                        .complexity("O(1)").syntax("key newkey")
                        .handler(call -> rename(call, false)).build(),
                Command.builder("renamenx").arity(3).flags("write fast").acl("@keyspace")
                        .keys(KeySpec.range("RW access delete", 1, 0, 1))
                        .keys(KeySpec.range("OW insert", 2, 0, 1))
                        .summary("Gives a key a new name, only if no key has that name yet.").since("1.0.0")
                        .complexity("O(1)")
                        .history("3.2.0", "The command no longer returns an error when source and destination names"
                                + " are the same.")
                        .syntax("key newkey").handler(call -> rename(call, true)).build(),
                Command.builder("move").arity(3).flags("write fast").acl("@keyspace")
                        .keys(KeySpec.range("RW access update", 1, 0, 1))
                        .summary("Moves a key to another database, unless that database already has it.")
                        .since("1.0.0").complexity("O(1)").syntax("key db")
                        .handler(KeyCommands::move).build(),
                Command.builder("copy").arity(-3).flags("write denyoom").acl("@keyspace")
                        .keys(KeySpec.range("RO access", 1, 0, 1))
                        .keys(KeySpec.range("OW update", 2, 0, 1))
                        .summary("Copies the value and expiry of a key to another key, in this or another database.")
                        .since("6.2.0")
                        .complexity("O(N) worst case for collections, where N is the number of nested items. O(1)"
                                + " for string values.")
                        .syntax("source destination [DB destination-db] [REPLACE]")
                        .handler(KeyCommands::copy).build(),
                Command.builder("randomkey").arity(1).flags("readonly").acl("@keyspace").touchesArbitraryKeys()
                        .tips("request_policy:all_shards", "nondeterministic_output")
                        .summary("Returns a key picked at random from the database.").since("1.0.0")
                        .complexity("O(1)").syntax("").handler(KeyCommands::randomKey).build());
    }

    /** DEL and UNLINK: values are freed by the collector either way, so both delete at once. */
    static void delete(Invocation call) {
        Database db = call.db();
        long deleted = 0;
        for (int i = 1; i < call.argc(); i++) {
            if (db.delete(call.arg(i))) {
                db.notify(Notify.GENERIC, "del", call.arg(i));
                deleted++;
            }
        }
        call.reply().integer(deleted);
    }

    static void exists(Invocation call) {
        Database db = call.db();
        long found = 0;
        for (int i = 1; i < call.argc(); i++) {
            if (db.getWithoutTouch(call.arg(i)) != null) {
                found++;
            }
        }
        call.reply().integer(found);
    }

    static void touch(Invocation call) {
        Database db = call.db();
        long found = 0;
        for (int i = 1; i < call.argc(); i++) {
            if (db.get(call.arg(i)) != null) {
                found++;
            }
        }
        call.reply().integer(found);
    }

    static void type(Invocation call) {
        Object value = call.db().getWithoutTouch(call.arg(1));
        call.reply().simple(value == null ? "none" : TypedValue.typeName(value));
    }

    /** RENAME and RENAMENX: the value keeps its expiry and access clock under the new name. */
    static void rename(Invocation call, boolean onlyIfNew) {
        Database db = call.db();
        byte[] key = call.arg(1);
        byte[] newKey = call.arg(2);
        if (db.getForWrite(key) == null) {
            throw Errors.NO_SUCH_KEY;
        }
        if (Arrays.equals(key, newKey) || (onlyIfNew && db.getForWrite(newKey) != null)) {
            replyRenamed(call, onlyIfNew, false);
            return;
        }
        if (!onlyIfNew) {
            // Looked up as Redis does, so an expired destination is reclaimed (and counted) as expired.
            db.getForWrite(newKey);
        }
        db.move(key, db, newKey);
        db.notify(Notify.GENERIC, "rename_from", key);
        db.notify(Notify.GENERIC, "rename_to", newKey);
        replyRenamed(call, onlyIfNew, true);
    }

    /** RENAME says OK whenever it gets this far; RENAMENX says whether it renamed. */
    private static void replyRenamed(Invocation call, boolean onlyIfNew, boolean renamed) {
        if (onlyIfNew) {
            call.reply().integer(renamed ? 1 : 0);
        } else {
            call.reply().ok();
        }
    }

    static void move(Invocation call) {
        Database target = DatabaseArgument.database(call, 2);
        Database db = call.db();
        if (target == db) {
            throw SAME_OBJECT;
        }
        byte[] key = call.arg(1);
        if (db.getForWrite(key) == null || target.getForWrite(key) != null) {
            call.reply().integer(0);
            return;
        }
        db.move(key, target, key);
        db.notify(Notify.GENERIC, "move_from", key);
        target.notify(Notify.GENERIC, "move_to", key);
        call.reply().integer(1);
    }

    static void copy(Invocation call) {
        Database db = call.db();
        Database target = db;
        boolean replace = false;
        for (int i = 3; i < call.argc(); i++) {
            if (call.argIs(i, "replace")) {
                replace = true;
            } else if (call.argIs(i, "db") && i + 1 < call.argc()) {
                target = DatabaseArgument.database(call, ++i);
            } else {
                throw Errors.SYNTAX;
            }
        }
        byte[] key = call.arg(1);
        byte[] newKey = call.arg(2);
        if (target == db && Arrays.equals(key, newKey)) {
            throw SAME_OBJECT;
        }
        Object value = db.get(key);
        if (value == null) {
            call.reply().integer(0);
            return;
        }
        if (target.getForWrite(newKey) != null) {
            if (!replace) {
                call.reply().integer(0);
                return;
            }
            // Redis counts a copy as one change, whatever it replaced: the set's, below.
            target.delete(newKey, 0);
        }
        long expiry = db.expireAt(key);
        target.set(newKey, TypedValue.copy(value), db.stringForm(key));
        if (expiry != -1) {
            target.expireAt(newKey, expiry, 0);
        }
        target.notify(Notify.GENERIC, "copy_to", newKey);
        call.reply().integer(1);
    }

    static void randomKey(Invocation call) {
        byte[] key = call.db().randomKey();
        if (key == null) {
            call.reply().nullBulk();
        } else {
            call.reply().bulk(key);
        }
    }
}
