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

    /** The flags as a set of status strings, as COMMAND INFO and COMMAND GETKEYSANDFLAGS reply them. */
    static void write(Reply reply, List<String> flags) {
        List<String> ordered = ORDER.stream().filter(flags::contains).toList();
        reply.set(ordered.size());
        for (String flag : ordered) {
            reply.simple(flag);
        }
    }
}
