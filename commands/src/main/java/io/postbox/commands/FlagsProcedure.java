package io.postbox.commands;

/**
 * Works out the flags of one call of a command whose flags depend on its arguments, as Redis's
 * {@code get_command_flags} does: EVAL and FCALL take theirs from the script they run. The dispatcher
 * decides on them whether the call may run now (a pause, MISCONF, a monitor) and EXEC on those of the
 * commands it queued.
 */
@FunctionalInterface
public interface FlagsProcedure {

    /** The flags of this call, as bits ({@link CommandFlag#bit}); {@code declared} are the command's own. */
    long flags(byte[][] args, long declared);
}
