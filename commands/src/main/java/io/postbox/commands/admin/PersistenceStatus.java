package io.postbox.commands.admin;

import io.postbox.resp.ErrorReply;

/**
 * What the server knows about saving the dataset, as LASTSAVE, INFO persistence and the MISCONF
 * refusal of writes report it. The persistence module records its work here; until it has saved,
 * the last save is the server's start, as for a Redis that has not saved since it started.
 *
 * <p>Executor thread only.
 */
public final class PersistenceStatus {

    /** Redis's text when a failed background save stops writes (stop-writes-on-bgsave-error). */
    public static final ErrorReply RDB_WRITE_ERROR = new ErrorReply("MISCONF Redis is configured to save RDB "
            + "snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are "
            + "disabled, because this instance is configured to report errors during writes if RDB snapshotting "
            + "fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB "
            + "error.");

    /** Unix time of the last successful save (LASTSAVE, rdb_last_save_time). */
    public long lastSaveSeconds;
    /**
     * The databases' change count ({@code Engine.changes()}) at the cut of that save;
     * rdb_changes_since_last_save is the count now minus this.
     */
    public long changesAtLastSave;
    /** Saves started since the start, failed ones too (rdb_saves): SAVE and background saves, as Redis counts. */
    public long rdbSaves;
    /** The background snapshot in progress started then (Unix ms), 0 when none runs. */
    public long bgsaveStartMillis;
    /** A BGSAVE SCHEDULE waits for the running rewrite (or a retry is due). */
    public boolean bgsaveScheduled;
    public boolean lastBgsaveOk = true;
    /** Unix time of the last background save attempt, for the retry delay of save points. */
    public long lastBgsaveTrySeconds;
    /** Seconds the last background save took, -1 before the first. */
    public long lastBgsaveSeconds = -1;
    /** Keys the running save has written, of how many (current_save_keys_processed, _total). */
    public long saveKeysProcessed;
    public long saveKeysTotal;
    /**
     * Whether the dataset is being loaded at startup (INFO's loading): the server already serves, but
     * refuses every command not flagged {@code loading}. When it began (Unix seconds), the bytes of
     * the files it reads, and how many of them it has read.
     */
    public boolean loading;
    public long loadingStartSeconds;
    public long loadingTotalBytes;
    public long loadingLoadedBytes;
    /** The memory the file's writer said it used (its used-mem field; loading_rdb_used_mem), 0 until read. */
    public long loadingRdbUsedMemory;
    /**
     * Keys the last load stored, and keys it left out as expired: counted as it goes, as Redis counts
     * them (rdb_last_load_keys_loaded, rdb_last_load_keys_expired).
     */
    public long lastLoadKeysLoaded;
    public long lastLoadKeysExpired;

    /**
     * Background snapshots started (total_forks): saves, rewrites, full syncs, each of which Redis
     * forks for. The executor's part of the latest start, in microseconds (latest_fork_usec): what the
     * fork costs Redis's clients, a cut of the keyspace here.
     */
    public long backgroundSnapshots;
    public long latestSnapshotStartMicros;

    /** Whether the append-only file is on (aof_enabled). */
    public boolean aofEnabled;
    /** The rewrite in progress started then (Unix ms), 0 when none runs. */
    public long aofRewriteStartMillis;
    public boolean aofRewriteScheduled;
    public boolean lastAofRewriteOk = true;
    public long lastAofRewriteSeconds = -1;
    public long aofRewrites;
    public long aofRewritesConsecutiveFailures;
    /** Why the last write or fsync of the append-only file failed (strerror-like), null while all is well. */
    public String aofWriteError;
    /** Sizes of the append-only files (aof_current_size, aof_base_size), and bytes not yet written. */
    public long aofCurrentSize;
    public long aofBaseSize;
    public long aofBufferLength;

    public PersistenceStatus(long startSeconds) {
        this.lastSaveSeconds = startSeconds;
    }

    public boolean bgsaveInProgress() {
        return bgsaveStartMillis != 0;
    }

    public boolean aofRewriteInProgress() {
        return aofRewriteStartMillis != 0;
    }

    /**
     * Why writes are refused now (Redis's writeCommandsDeniedByDiskError), or null: a failed background
     * save while save points are set and {@code stop-writes-on-bgsave-error} is on, or a failed write
     * to the append-only file.
     */
    public ErrorReply writeRefusal(boolean stopWritesOnBgsaveError, boolean savePointsSet) {
        if (stopWritesOnBgsaveError && savePointsSet && !lastBgsaveOk) {
            return RDB_WRITE_ERROR;
        }
        if (aofEnabled && aofWriteError != null) {
            return new ErrorReply("MISCONF Errors writing to the AOF file: " + aofWriteError);
        }
        return null;
    }

    /** Whether anything could make {@link #writeRefusal} refuse: the cheap check for every command. */
    public boolean anyDiskError() {
        return !lastBgsaveOk || aofWriteError != null;
    }
}
