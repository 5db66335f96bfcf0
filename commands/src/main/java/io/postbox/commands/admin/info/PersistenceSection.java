package io.postbox.commands.admin.info;

import io.postbox.commands.Engine;
import io.postbox.commands.admin.PersistenceStatus;

/**
 * INFO persistence. Postbox does not save yet: nothing is loading, no save or rewrite is running or
 * has run, the append-only file is off, and the last save is the server's start.
 */
final class PersistenceSection implements InfoSection {

    @Override
    public String title() {
        return "Persistence";
    }

    private static long changes(Engine engine) {
        long changes = 0;
        for (int i = 0; i < engine.databaseCount(); i++) {
            changes += engine.database(i).changes();
        }
        return changes;
    }

    @Override
    public void write(InfoLines out, Engine engine) {
        PersistenceStatus status = engine.persistence();
        out.field("loading", 0)
                .field("async_loading", 0)
                .field("current_cow_peak", 0)
                .field("current_cow_size", 0)
                .field("current_cow_size_age", 0)
                .twoDecimals("current_fork_perc", 0)
                .field("current_save_keys_processed", 0)
                .field("current_save_keys_total", 0)
                .field("rdb_changes_since_last_save", changes(engine) - status.changesAtLastSave)
                .field("rdb_bgsave_in_progress", 0)
                .field("rdb_last_save_time", status.lastSaveSeconds)
                .field("rdb_last_bgsave_status", "ok")
                .field("rdb_last_bgsave_time_sec", -1)
                .field("rdb_current_bgsave_time_sec", -1)
                .field("rdb_saves", status.rdbSaves)
                .field("rdb_last_cow_size", 0)
                .field("rdb_last_load_keys_expired", 0)
                .field("rdb_last_load_keys_loaded", 0)
                .field("aof_enabled", 0)
                .field("aof_rewrite_in_progress", 0)
                .field("aof_rewrite_scheduled", 0)
                .field("aof_last_rewrite_time_sec", -1)
                .field("aof_current_rewrite_time_sec", -1)
                .field("aof_last_bgrewrite_status", "ok")
                .field("aof_rewrites", 0)
                .field("aof_rewrites_consecutive_failures", 0)
                .field("aof_last_write_status", "ok")
                .field("aof_last_cow_size", 0)
                .field("module_fork_in_progress", 0)
                .field("module_fork_last_cow_size", 0);
    }
}
