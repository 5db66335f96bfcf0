package io.postbox.commands.introspection;

import io.postbox.commands.AclCategory;
import io.postbox.commands.Command;
import io.postbox.commands.CommandFlag;
import io.postbox.commands.KeySpec;
import io.postbox.resp.Reply;
import java.util.EnumSet;
import java.util.Set;

/**
 * One command as COMMAND INFO describes it in Redis 7.0: name, arity, flags, first key, last key,
 * step, ACL categories, tips, key specs, subcommands (each described the same way). Flags,
 * categories, tips and the key specs are sets, each key spec a map; RESP2 sees arrays for all.
 */
final class CommandInfoReply {

    private CommandInfoReply() {
    }

    static void write(Reply reply, Command command) {
        LegacyKeyRange range = LegacyKeyRange.of(command);
        reply.array(10);
        reply.bulk(command.fullName());
        reply.integer(command.arity());
        writeFlags(reply, command, range.movable());
        reply.integer(range.first());
        reply.integer(range.last());
        reply.integer(range.step());
        reply.set(command.aclCategories().size());
        for (AclCategory category : command.aclCategories()) {
            reply.simple(category.wireName());
        }
        reply.set(command.tips().size());
        for (String tip : command.tips()) {
            reply.bulk(tip);
        }
        reply.set(command.keySpecs().size());
        for (KeySpec spec : command.keySpecs()) {
            writeKeySpec(reply, spec);
        }
        // Redis replies an empty set when there are no subcommands, an array when there are.
        if (command.isContainer()) {
            reply.array(command.subcommands().size());
        } else {
            reply.set(0);
        }
        for (Command subcommand : command.subcommands().values()) {
            write(reply, subcommand);
        }
    }

    /**
     * The declared flags, plus movablekeys when the key specs call for it; may_replicate (PUBLISH's,
     * which CLIENT PAUSE WRITE holds back) is internal, as Redis keeps it out of COMMAND INFO.
     */
    private static void writeFlags(Reply reply, Command command, boolean movable) {
        Set<CommandFlag> flags = command.flags().isEmpty()
                ? EnumSet.noneOf(CommandFlag.class) : EnumSet.copyOf(command.flags());
        flags.remove(CommandFlag.MAY_REPLICATE);
        if (movable) {
            flags.add(CommandFlag.MOVABLE_KEYS);
        }
        reply.set(flags.size());
        for (CommandFlag flag : flags) {
            reply.simple(flag.wireName());
        }
    }

    private static void writeKeySpec(Reply reply, KeySpec spec) {
        boolean hasNotes = !spec.notes().isEmpty();
        reply.map(hasNotes ? 4 : 3);
        if (hasNotes) {
            reply.bulk("notes");
            reply.bulk(spec.notes());
        }
        reply.bulk("flags");
        KeySpecFlags.write(reply, spec.flags());
        reply.bulk("begin_search");
        reply.map(2);
        reply.bulk("type");
        switch (spec.beginSearch()) {
            case INDEX -> {
                reply.bulk("index");
                reply.bulk("spec");
                reply.map(1);
                reply.bulk("index");
                reply.integer(spec.index());
            }
            case KEYWORD -> {
                reply.bulk("keyword");
                reply.bulk("spec");
                reply.map(2);
                reply.bulk("keyword");
                reply.bulk(spec.keyword());
                reply.bulk("startfrom");
                reply.integer(spec.index());
            }
            case UNKNOWN -> {
                reply.bulk("unknown");
                reply.bulk("spec");
                reply.map(0);
            }
        }
        reply.bulk("find_keys");
        reply.map(2);
        reply.bulk("type");
        switch (spec.findKeys()) {
            case RANGE -> {
                reply.bulk("range");
                reply.bulk("spec");
                reply.map(3);
                reply.bulk("lastkey");
                reply.integer(spec.lastKey());
                reply.bulk("keystep");
                reply.integer(spec.step());
                reply.bulk("limit");
                reply.integer(spec.limit());
            }
            case KEYNUM -> {
                reply.bulk("keynum");
                reply.bulk("spec");
                reply.map(3);
                reply.bulk("keynumidx");
                reply.integer(spec.keyNumIndex());
                reply.bulk("firstkey");
                reply.integer(spec.firstKey());
                reply.bulk("keystep");
                reply.integer(spec.step());
            }
            case UNKNOWN -> {
                reply.bulk("unknown");
                reply.bulk("spec");
                reply.map(0);
            }
        }
    }
}
