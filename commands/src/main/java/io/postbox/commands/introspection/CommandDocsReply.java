package io.postbox.commands.introspection;

import io.postbox.commands.Command;
import io.postbox.commands.CommandDocs;
import io.postbox.resp.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * One command as COMMAND DOCS describes it: a map with, in Redis 7.0's order, summary, since, group,
 * complexity, doc_flags, deprecated_since, replaced_by, history, arguments (the tree its usage line
 * parses to) and subcommands (a map from full name to their docs). Empty fields are left out; group
 * is always there.
 */
final class CommandDocsReply {

    private CommandDocsReply() {
    }

    static void write(Reply reply, Command command) {
        CommandDocs docs = command.docs();
        List<Argument> arguments = UsageSyntax.parse(docs.syntax(), command.keySpecs().size());
        List<Runnable> fields = new ArrayList<>();
        addText(fields, reply, "summary", docs.summary());
        addText(fields, reply, "since", docs.since());
        fields.add(() -> {
            reply.bulk("group");
            reply.bulk(docs.group());
        });
        addText(fields, reply, "complexity", docs.complexity());
        if (!docs.docFlags().isEmpty()) {
            fields.add(() -> {
                reply.bulk("doc_flags");
                reply.set(docs.docFlags().size());
                docs.docFlags().forEach(reply::simple);
            });
        }
        addText(fields, reply, "deprecated_since", docs.deprecatedSince());
        addText(fields, reply, "replaced_by", docs.replacedBy());
        if (!docs.history().isEmpty()) {
            fields.add(() -> {
                reply.bulk("history");
                reply.set(docs.history().size());
                for (String[] entry : docs.history()) {
                    reply.array(2);
                    reply.bulk(entry[0]);
                    reply.bulk(entry[1]);
                }
            });
        }
        if (!arguments.isEmpty()) {
            fields.add(() -> {
                reply.bulk("arguments");
                writeArguments(reply, arguments);
            });
        }
        if (command.isContainer()) {
            fields.add(() -> {
                reply.bulk("subcommands");
                reply.map(command.subcommands().size());
                for (Command subcommand : command.subcommands().values()) {
                    reply.bulk(subcommand.fullName());
                    write(reply, subcommand);
                }
            });
        }
        reply.map(fields.size());
        fields.forEach(Runnable::run);
    }

    private static void addText(List<Runnable> fields, Reply reply, String name, String value) {
        if (value != null && !value.isEmpty()) {
            fields.add(() -> {
                reply.bulk(name);
                reply.bulk(value);
            });
        }
    }

    private static void writeArguments(Reply reply, List<Argument> arguments) {
        reply.array(arguments.size());
        for (Argument argument : arguments) {
            List<String> flags = new ArrayList<>();
            if (argument.optional()) {
                flags.add("optional");
            }
            if (argument.multiple()) {
                flags.add("multiple");
            }
            if (argument.multipleToken()) {
                flags.add("multiple_token");
            }
            boolean hasMembers = !argument.arguments().isEmpty();
            int pairs = 2 + (argument.keySpecIndex() >= 0 ? 1 : 0) + (argument.token() != null ? 1 : 0)
                    + (flags.isEmpty() ? 0 : 1) + (hasMembers ? 1 : 0);
            reply.map(pairs);
            reply.bulk("name");
            reply.bulk(argument.name());
            reply.bulk("type");
            reply.bulk(argument.type().wireName());
            if (argument.keySpecIndex() >= 0) {
                reply.bulk("key_spec_index");
                reply.integer(argument.keySpecIndex());
            }
            if (argument.token() != null) {
                reply.bulk("token");
                reply.bulk(argument.token());
            }
            if (!flags.isEmpty()) {
                reply.bulk("flags");
                reply.set(flags.size());
                flags.forEach(reply::simple);
            }
            if (hasMembers) {
                reply.bulk("arguments");
                writeArguments(reply, argument.arguments());
            }
        }
    }
}
