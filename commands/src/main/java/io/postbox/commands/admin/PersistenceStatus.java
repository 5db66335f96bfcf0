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
    /**
     * The databases' change count ({@code Database.changes()} summed) at that save;
     * rdb_changes_since_last_save is the count now minus this.
     */
    public long changesAtLastSave;
    /** Successful snapshots since the start (rdb_saves). */
    public long rdbSaves;

    public PersistenceStatus(long startSeconds) {
        this.lastSaveSeconds = startSeconds;
    }
}
