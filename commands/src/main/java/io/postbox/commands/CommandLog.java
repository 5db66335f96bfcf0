package io.postbox.commands;

import io.postbox.commands.keyspace.Database;

/**
 * Where the dispatcher reports every write that changed the dataset, after it ran: the append-only
 * file, and the stream replicas are fed. The persistence module implements it; an engine without one
 * logs nothing.
 *
 * <p>What one top-level command writes, through the commands it runs inside it too (EXEC's queue, a
 * script's calls), is one unit between {@link #unitStarted()} and {@link #unitEnded()}: recorded as it
 * is when it is a single command, wrapped in MULTI ... EXEC when there are several (never nested), as
 * Redis 7.0 propagates. Writes outside a unit (a pop served to a blocked client) stand alone.
 *
 * <p>Executor thread only.
 */
public interface CommandLog {

    /** Where a write goes, as Redis's PROPAGATE_AOF and PROPAGATE_REPL (and a script's REPL_* flags) say. */
    int TO_AOF = 1;
    int TO_REPLICAS = 2;

    /**
     * {@code DEL key}: how a deletion whose cause the log cannot replay is recorded (an eviction, an
     * SPOP that took the whole set, a key born expired, an expiry time in the past). New arrays each
     * time: an interface's constant would be public, and an array constant anyone's to change.
     */
    static byte[][] deletion(byte[] key) {
        return deletion(key, false);
    }

    /** {@link #deletion(byte[])}, or {@code UNLINK key} if {@code lazy}, as Redis's lazyfree-lazy-* options make it. */
    static byte[][] deletion(byte[] key, boolean lazy) {
        return new byte[][] {lazy ? new byte[] {'U', 'N', 'L', 'I', 'N', 'K'} : new byte[] {'D', 'E', 'L'}, key};
    }

    /**
     * {@code call} (a command flagged write or may_replicate) finished without an error and changed keys,
     * or asked to be recorded anyway. What to log is {@link Invocation#propagation()} if the handler set
     * one, else the call's own arguments; a log skips it if it is not among the call's
     * {@link Invocation#propagationTargets()} (its client's {@code redis.set_repl}, PUBLISH's replicas).
     */
    void written(Invocation call);

    /**
     * A change made outside any command of the client it concerns, recorded as {@code command} run on
     * {@code db}: a pop served to a client that was blocked, when another client's write gave the key data.
     */
    void written(Database db, byte[][] command);

    /**
     * A command starts running: what is written until the matching {@link #unitEnded()} is one unit.
     * Units nest (EXEC's queued commands, a script's calls, whichever dispatcher runs them); only the
     * outermost counts.
     */
    default void unitStarted() {
    }

    /**
     * The command ended: if it was the outermost, its unit is recorded, wrapped in MULTI ... EXEC if it
     * holds several commands.
     */
    default void unitEnded() {
    }

    /** Reports everything to {@code first}, then to {@code second}: the append-only file, then the replicas' stream. */
    static CommandLog both(CommandLog first, CommandLog second) {
        return new CommandLog() {
            @Override
            public void written(Invocation call) {
                first.written(call);
                second.written(call);
            }

            @Override
            public void written(Database db, byte[][] command) {
                first.written(db, command);
                second.written(db, command);
            }

            @Override
            public void unitStarted() {
                first.unitStarted();
                second.unitStarted();
            }

            @Override
            public void unitEnded() {
                first.unitEnded();
                second.unitEnded();
            }
        };
    }

    CommandLog NONE = new CommandLog() {
        @Override
        public void written(Invocation call) {
        }

        @Override
        public void written(Database db, byte[][] command) {
        }
    };
}
