package io.postbox.commands.streams;

import io.postbox.commands.Errors;
import io.postbox.commands.Help;
import io.postbox.commands.Invocation;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.keyspace.Notify;
import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;

/**
 * XGROUP's subcommands (CREATE, CREATECONSUMER, DELCONSUMER, DESTROY, SETID, HELP) and XACK. The XGROUP
 * subcommands share Redis's checks, in its order: options, the key's type, the key's existence (unless
 * MKSTREAM), then the group's for the subcommands that need one.
 */
final class GroupCommands {

    private static final ErrorReply NO_KEY = Errors.err("The XGROUP subcommand requires the key to exist. Note that"
            + " for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.");
    private static final ErrorReply BUSYGROUP = new ErrorReply("BUSYGROUP Consumer Group name already exists");

    private GroupCommands() {
    }

    /** What every XGROUP subcommand with a key starts from. */
    private record Target(Database db, byte[] key, StreamValue stream, String groupName, StreamGroup group,
                          long entriesRead) {
    }

    private static Target target(Invocation call, boolean groupRequired) {
        boolean create = call.argIs(1, "create");
        boolean setid = call.argIs(1, "setid");
        boolean mkstream = false;
        long entriesRead = StreamGroup.UNKNOWN_READS;
        for (int i = 5; i < call.argc(); ) {
            if (create && call.argIs(i, "mkstream")) {
                mkstream = true;
                i++;
            } else if ((create || setid) && call.argIs(i, "entriesread") && i + 1 < call.argc()) {
                entriesRead = call.longArg(i + 1);
                if (entriesRead < 0 && entriesRead != StreamGroup.UNKNOWN_READS) {
                    throw Errors.err("value for ENTRIESREAD must be positive or -1");
                }
                i += 2;
            } else {
                throw Help.subcommandSyntaxError(call);
            }
        }
        Database db = call.db();
        byte[] key = call.arg(2);
        StreamValue stream = db.getForWrite(key, StreamValue.class);
        String groupName = name(call.arg(3));
        StreamGroup group = stream == null ? null : stream.group(groupName);
        if (!mkstream) {
            if (stream == null) {
                throw NO_KEY;
            }
            if (group == null && groupRequired) {
                throw new ErrorReply("NOGROUP No such consumer group '" + groupName + "' for key name '"
                        + name(key) + "'");
            }
        }
        return new Target(db, key, stream, groupName, group, entriesRead);
    }

    static String name(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD entries-read]. */
    static void create(Invocation call) {
        Target target = target(call, false);
        if (call.argc() > 8) {
            throw Help.subcommandSyntaxError(call);
        }
        StreamValue stream = target.stream;
        StreamId id;
        if (isDollar(call.arg(4))) {
            id = stream == null ? StreamId.MIN : stream.lastId;
        } else {
            id = StreamId.parseStrict(call.arg(4));
        }
        boolean created = stream == null;
        if (created) {
            stream = new StreamValue();
            target.db.set(target.key, stream);
        }
        if (stream.group(target.groupName) != null) {
            throw BUSYGROUP;
        }
        stream.groups.put(target.groupName, new StreamGroup(target.groupName, id, target.entriesRead));
        call.reply().ok();
        // One change, as Redis counts it: the group's, or with MKSTREAM the new stream's.
        if (!created) {
            target.db.countChanges(1);
        }
        target.db.notify(Notify.STREAM, "xgroup-create", target.key);
    }

    /** XGROUP SETID key group id|$ [ENTRIESREAD entries-read]. */
    static void setid(Invocation call) {
        Target target = target(call, true);
        if (call.argc() != 5 && call.argc() != 7) {
            throw Help.subcommandSyntaxError(call);
        }
        StreamId id = isDollar(call.arg(4)) ? target.stream.lastId : StreamId.parse(call.arg(4), 0, false);
        target.group.lastId = id;
        target.group.entriesRead = target.entriesRead;
        call.reply().ok();
        target.db.countChanges(1);
        target.db.notify(Notify.STREAM, "xgroup-setid", target.key);
    }

    /** XGROUP DESTROY key group: clients blocked reading the group are woken, to learn it is gone. */
    static void destroy(Invocation call) {
        Target target = target(call, false);
        if (target.group == null) {
            call.reply().integer(0);
            return;
        }
        target.stream.groups.remove(target.groupName);
        call.reply().integer(1);
        target.db.countChanges(1);
        target.db.blockedKeys().signal(target.key);
        target.db.notify(Notify.STREAM, "xgroup-destroy", target.key);
    }

    /** XGROUP CREATECONSUMER key group consumer: 1 if created, 0 if it existed. */
    static void createConsumer(Invocation call) {
        Target target = target(call, true);
        String consumer = name(call.arg(4));
        if (target.group.consumer(consumer) != null) {
            call.reply().integer(0);
            return;
        }
        addConsumer(call, target.group, consumer, target.key);
        call.reply().integer(1);
    }

    /** A new consumer, announced as Redis's streamCreateConsumer does it. */
    static StreamConsumer addConsumer(Invocation call, StreamGroup group, String name, byte[] key) {
        return addConsumer(call.db(), call.now(), group, name, key);
    }

    static StreamConsumer addConsumer(Database db, long now, StreamGroup group, String name, byte[] key) {
        StreamConsumer consumer = group.addConsumer(name, now);
        db.countChanges(1);
        db.notify(Notify.STREAM, "xgroup-createconsumer", key);
        return consumer;
    }

    /** The consumer named {@code name}, seen now; created (and announced) when missing. */
    static StreamConsumer consumerOf(Invocation call, StreamGroup group, String name, byte[] key) {
        StreamConsumer consumer = group.consumer(name);
        if (consumer == null) {
            return addConsumer(call, group, name, key);
        }
        consumer.seenTime = call.now();
        return consumer;
    }

    /** XGROUP DELCONSUMER key group consumer: replies how many entries were pending with it. */
    static void delConsumer(Invocation call) {
        Target target = target(call, true);
        StreamConsumer consumer = target.group.consumer(name(call.arg(4)));
        long pending = 0;
        if (consumer != null) {
            pending = target.group.removeConsumer(consumer);
            target.db.countChanges(1);
            target.db.notify(Notify.STREAM, "xgroup-delconsumer", target.key);
        }
        call.reply().integer(pending);
    }

    static void help(Invocation call) {
        Help.reply(call,
                "CREATE <key> <groupname> <id|$> [option]",
                "    Create a new consumer group. Options are:",
                "    * MKSTREAM",
                "      Create the empty stream if it does not exist.",
                "    * ENTRIESREAD entries_read",
                "      Set the group's entries_read counter (internal use).",
                "CREATECONSUMER <key> <groupname> <consumer>",
                "    Create a new consumer in the specified group.",
                "DELCONSUMER <key> <groupname> <consumer>",
                "    Remove the specified consumer.",
                "DESTROY <key> <groupname>",
                "    Remove the specified group.",
                "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
                "    Set the current group ID and entries_read counter.");
    }

    /** XACK key group id [id ...]: all IDs are checked first; a missing key or group acknowledges nothing. */
    static void xack(Invocation call) {
        Database db = call.db();
        byte[] key = call.arg(1);
        StreamValue stream = db.getForWrite(key, StreamValue.class);
        StreamGroup group = stream == null ? null : stream.group(name(call.arg(2)));
        if (group == null) {
            call.reply().integer(0);
            return;
        }
        StreamId[] ids = new StreamId[call.argc() - 3];
        for (int i = 3; i < call.argc(); i++) {
            ids[i - 3] = StreamId.parseStrict(call.arg(i));
        }
        int acknowledged = 0;
        for (StreamId id : ids) {
            if (group.acknowledge(id)) {
                acknowledged++;
            }
        }
        db.countChanges(acknowledged);
        call.reply().integer(acknowledged);
    }

    static boolean isDollar(byte[] arg) {
        return arg.length == 1 && arg[0] == '$';
    }
}
