package io.postbox.commands.admin;

import io.postbox.commands.Client;
import io.postbox.commands.Errors;
import io.postbox.resp.ErrorReply;
import java.util.function.Consumer;

/**
 * How the engine's data reaches disk, as commands drive it: SAVE, BGSAVE, BGREWRITEAOF, and the
 * snapshot a replica asks for with SYNC. The persistence module implements it and the server attaches
 * it; what it has done shows in the engine's {@link PersistenceStatus}. Without a server, {@link #NONE}
 * refuses everything.
 *
 * <p>Executor thread only. Each method throws {@link ErrorReply}, having started nothing, when the
 * work cannot start.
 */
public interface Durability {

    /**
     * Starts SAVE's snapshot; {@code done} runs on the executor when it ends, with null or the error to
     * reply. The caller keeps every client waiting meanwhile, as Redis's SAVE blocks the server.
     */
    void save(Consumer<ErrorReply> done);

    /** BGSAVE [SCHEDULE]: starts a background snapshot, or schedules one; returns the status reply. */
    String backgroundSave(boolean schedule);

    /** BGREWRITEAOF: starts rewriting the append-only file, or schedules it; returns the status reply. */
    String rewriteAppendOnlyFile();

    /**
     * SYNC or PSYNC from {@code replica}: PSYNC with this master's replication ID and an offset its
     * backlog still holds continues from there; otherwise the replica gets the file of a background
     * save, as Redis serves replicas from disk, then, unless it asked for the snapshot only ({@code
     * REPLCONF rdb-only 1}), the stream of writes from that save's point in time on. {@code
     * replicationId} is null for SYNC, which gets no +FULLRESYNC line.
     */
    void syncReplica(Client replica, String replicationId, long offset);

    /**
     * DEBUG RELOAD: saves the RDB file as SAVE does (unless {@code save} is false), empties the
     * databases and function libraries (unless {@code flush} is false) and loads the file back, its
     * keys and libraries replacing those kept if {@code merge} (else one kept stops the load);
     * {@code done} runs on the executor with null or the error to reply. The caller keeps every
     * client waiting meanwhile.
     */
    void reload(boolean save, boolean flush, boolean merge, Consumer<ErrorReply> done);

    /**
     * DEBUG LOADAOF: once everything logged so far is written to the append-only file, empties the
     * databases and loads them from the file (with the AOF off, from what BGREWRITEAOF last wrote);
     * {@code done} as for {@link #reload}.
     */
    void reloadAppendOnlyFile(Consumer<ErrorReply> done);

    /**
     * FLUSHALL has emptied every database, as Redis's flushAllDataAndResetRDB goes on: a background save
     * in progress is stopped (it was writing what is now deleted), and with save points set the empty
     * dataset is saved, so a restart from the RDB file does not bring the keys back; {@code done} runs
     * on the executor once it is on disk (or at once). The caller keeps every client waiting meanwhile,
     * as Redis saves it on its only thread. Never refuses, and a failed save is only logged, as Redis's.
     */
    void datasetFlushed(Runnable done);

    /**
     * DEBUG AOF-FLUSH-SLEEP, Redis's test hook: the append-only file's writer sleeps {@code micros}
     * before each write of what was logged (not at all if zero or less), now and in files started later.
     * With {@code appendfsync always}, replies wait that much longer for their write.
     */
    void aofFlushSleep(long micros);

    /** An engine without a server: nothing can be saved. */
    Durability NONE = new Durability() {
        @Override
        public void save(Consumer<ErrorReply> done) {
            throw Errors.err("This engine has no data directory");
        }

        @Override
        public String backgroundSave(boolean schedule) {
            throw Errors.err("This engine has no data directory");
        }

        @Override
        public String rewriteAppendOnlyFile() {
            throw Errors.err("This engine has no data directory");
        }

        @Override
        public void syncReplica(Client replica, String replicationId, long offset) {
            throw Errors.err("This engine has no data directory");
        }

        @Override
        public void reload(boolean save, boolean flush, boolean merge, Consumer<ErrorReply> done) {
            throw Errors.err("This engine has no data directory");
        }

        @Override
        public void reloadAppendOnlyFile(Consumer<ErrorReply> done) {
            throw Errors.err("This engine has no data directory");
        }

        @Override
        public void datasetFlushed(Runnable done) {
            done.run();
        }

        @Override
        public void aofFlushSleep(long micros) {
            // Nothing is logged without a server.
        }
    };
}
