package io.postbox.commands.introspection;

import io.postbox.commands.Command;
import java.util.List;

/**
 * Finds a command's keys where its key specs cannot, as Redis's {@code getkeys_proc} does: SORT's
 * STORE destination may be anywhere among its options. {@link CommandKeys} turns to it when a spec
 * is of unknown shape or incomplete.
 */
@FunctionalInterface
public interface KeyProcedure {

    /** The keys of {@code args} (args[0] is the command name), each with the spec whose flags it has. */
    List<CommandKeys.Key> keys(Command command, byte[][] args);
}
