package io.postbox.commands.replication;

import io.postbox.commands.admin.DetachedProcess;

/**
 * The stream of writes this server sends its replicas, as INFO replication, ROLE, PSYNC and WAIT see
 * it: a master's own, or on a replica its master's, carried on. The persistence module keeps it; on a
 * master until a replica first asks for it (or a restart resumes one) there is no stream, no backlog,
 * and the offset stays 0, as in Redis.
 *
 * <p>Executor thread only.
 */
public interface ReplicationFeed {

    /** The ID Redis shows where there is none: the second ID of a server that took over no history. */
    String NO_ID = "0000000000000000000000000000000000000000";

    /**
     * The ID that names the history of writes this server carries: new each run of a master, and on a
     * replica its master's, whose stream it carries on.
     */
    String replicationId();

    /**
     * {@code master_replid2}: the ID of the history this server carried before its present one (a
     * replica promoted, a master restarted from its snapshot), which replicas may still continue up
     * to {@link #secondOffset()}; {@link #NO_ID} if none.
     */
    default String secondReplicationId() {
        return NO_ID;
    }

    /**
     * {@code second_repl_offset}: the first offset of the present history, up to which the second ID
     * holds; -1 if none.
     */
    default long secondOffset() {
        return -1;
    }

    /** {@code master_repl_offset}: how many bytes the stream has carried, every write made so far included. */
    long offset();

    /** Whether there is a backlog: once the first replica asked for the stream. */
    boolean backlogActive();

    /** The offset of the first byte the backlog holds (1 for the stream's first byte). */
    long backlogFirstByte();

    /** How many bytes of the stream the backlog holds, the latest ones, up to {@code repl-backlog-size}. */
    long backlogHistlen();

    /** The bytes the backlog takes in memory: its ring, allocated whole; 0 while there is none. */
    long backlogMemory();

    /** Asks every online replica to acknowledge its offset now ({@code REPLCONF GETACK *}), for a WAIT. */
    void requestAcks();

    /**
     * DEBUG REPLICATE: {@code command} goes to the replicas alone, not to the append-only file, in the
     * database the stream selected last, as Redis's test hook for data divergence sends it. Nothing
     * happens on a replica, whose replicas get its master's stream only.
     */
    void replicate(byte[][] command);

    /** A master that no replica has asked for its stream. */
    static ReplicationFeed none() {
        String id = DetachedProcess.randomHex40();
        return new ReplicationFeed() {
            @Override
            public String replicationId() {
                return id;
            }

            @Override
            public long offset() {
                return 0;
            }

            @Override
            public boolean backlogActive() {
                return false;
            }

            @Override
            public long backlogFirstByte() {
                return 0;
            }

            @Override
            public long backlogHistlen() {
                return 0;
            }

            @Override
            public long backlogMemory() {
                return 0;
            }

            @Override
            public void requestAcks() {
            }

            @Override
            public void replicate(byte[][] command) {
            }
        };
    }
}
