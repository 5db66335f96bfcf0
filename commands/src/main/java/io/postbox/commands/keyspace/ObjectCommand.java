package io.postbox.commands.keyspace;

import io.postbox.commands.Command;
import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.KeySpec;
import io.postbox.resp.ErrorReply;
import java.util.List;
import java.util.function.ToLongBiFunction;

/** OBJECT ENCODING | FREQ | IDLETIME | REFCOUNT | HELP: how a key's value is kept. */
final class ObjectCommand {

    private static final String POLICY_SWITCH_NOTE = " Please note that when switching between policies at"
            + " runtime LRU and LFU data will take some time to adjust.";
    private static final ErrorReply IDLE_NOT_TRACKED =
            Errors.err("An LFU maxmemory policy is selected, idle time not tracked." + POLICY_SWITCH_NOTE);
    private static final ErrorReply FREQ_NOT_TRACKED =
            Errors.err("An LFU maxmemory policy is not selected, access frequency not tracked." + POLICY_SWITCH_NOTE);

    /** The reply of OBJECT HELP, line by line (Redis's text, which clients may show to users). */
    private static final List<String> HELP = List.of(
            "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "ENCODING <key>",
            "    Return the kind of internal representation used in order to store the value",
            "    associated with a <key>.",
            "FREQ <key>",
            "    Return the access frequency index of the <key>. The returned integer is",
            "    proportional to the logarithm of the recent access frequency of the key.",
            "IDLETIME <key>",
            "    Return the idle time of the <key>, that is the approximated number of",
            "    seconds elapsed since the last access to the key.",
            "REFCOUNT <key>",
            "    Return the number of references of the value associated with the specified",
            "    <key>.",
            "HELP",
            "    Prints this help.");

    private ObjectCommand() {
    }

    static Command command() {
        return Command.builder("object").arity(-2).summary("Inspects how the value of a key is kept.")
                .since("2.2.3").complexity("Depends on subcommand.")
                .subcommand(keyed("freq", "4.0.0", "Returns the logarithmic access frequency counter of a key.")
                        .handler(call -> replyNumber(call, FREQ_NOT_TRACKED, false, Database::frequency)))
                .subcommand(keyed("encoding", "2.2.3", "Names the internal representation of a key's value.")
                        .handler(call -> {
                            if (lookup(call) != null) {
                                call.reply().bulk(call.db().encoding(call.arg(2)));
                            }
                        }))
                .subcommand(keyed("idletime", "2.2.3", "Returns the seconds since a key was last read or written.")
                        .handler(call -> replyNumber(call, IDLE_NOT_TRACKED, true, Database::idleSeconds)))
                .subcommand(Command.builder("help").arity(2).flags("loading stale").acl("@keyspace")
                        .summary("Describes the OBJECT subcommands.").since("6.2.0").complexity("O(1)").syntax("")
                        .handler(call -> {
                            call.reply().array(HELP.size());
                            HELP.forEach(call.reply()::simple);
                        }))
                .subcommand(keyed("refcount", "2.2.3", "Returns how many references share the value of a key.")
                        .handler(call -> {
                            if (lookup(call) != null) {
                                call.reply().integer(call.db().refcount(call.arg(2)));
                            }
                        }))
                .build();
    }

    private static Command.Builder keyed(String name, String since, String summary) {
        return Command.builder(name).arity(3).flags("readonly").acl("@keyspace")
                .keys(KeySpec.range("RO", 2, 0, 1)).tips("nondeterministic_output")
                .summary(summary).since(since).complexity("O(1)").syntax("key");
    }

    /** The value of the key (without marking it accessed), or null after replying null. */
    private static Object lookup(Invocation call) {
        Object value = call.db().getWithoutTouch(call.arg(2));
        if (value == null) {
            call.reply().nullBulk();
        }
        return value;
    }

    /** FREQ and IDLETIME: each is tracked only under its kind of policy (LFU, or not LFU). */
    private static void replyNumber(Invocation call, ErrorReply untracked, boolean needsLru,
                                    ToLongBiFunction<Database, byte[]> measure) {
        if (lookup(call) == null) {
            return;
        }
        if (call.db().tracksFrequency() == needsLru) {
            throw untracked;
        }
        call.reply().integer(measure.applyAsLong(call.db(), call.arg(2)));
    }
}
