package io.postbox.commands.introspection;

import io.postbox.resp.Reply;
import java.util.List;

/** Key-spec flags in the order Redis lists them, whatever order a spec declares them in. */
public final class KeySpecFlags {

    /** Every key-spec flag Redis 7.0 knows. */
    public static final List<String> ORDER = List.of("RO", "RW", "OW", "RM", "access", "update", "insert",
            "delete", "not_key", "incomplete", "variable_flags");

    private KeySpecFlags() {
    }

    /** The flags as a set of status strings, as COMMAND INFO replies them. */
    static void write(Reply reply, List<String> flags) {
        writeOrdered(reply, ORDER.stream().filter(flags::contains).toList());
    }

    /**
     * The flags of one key as COMMAND GETKEYSANDFLAGS replies them. {@code variable_flags} says the
     * spec's flags are an upper bound that depends on the arguments ({@link VariableKeyFlags}); it
     * describes the spec, not a key, so Redis never reports it for a key.
     */
    static void writeForKey(Reply reply, List<String> flags) {
        writeOrdered(reply, ORDER.stream()
                .filter(flag -> flags.contains(flag) && !flag.equals("variable_flags")).toList());
    }

    private static void writeOrdered(Reply reply, List<String> ordered) {
        reply.set(ordered.size());
        for (String flag : ordered) {
            reply.simple(flag);
        }
    }
}
