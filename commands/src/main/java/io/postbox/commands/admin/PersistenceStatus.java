package io.postbox.commands.admin;

/**
 * What the server knows about saving the dataset, as LASTSAVE and INFO persistence report it. Postbox
 * writes no snapshot or append-only file yet, so until persistence records its work here the last save
 * is the server's start, as for a Redis that has not saved since it started.
 *
 * <p>Executor thread only.
 */
public final class PersistenceStatus {

    /** Unix time of the last successful save (LASTSAVE, rdb_last_save_time). */
    public long lastSaveSeconds;
    /** Changes to the dataset since that save (rdb_changes_since_last_save). */
    public long changesSinceLastSave;
    /** Successful snapshots since the start (rdb_saves). */
    public long rdbSaves;

    public PersistenceStatus(long startSeconds) {
        this.lastSaveSeconds = startSeconds;
    }
}
