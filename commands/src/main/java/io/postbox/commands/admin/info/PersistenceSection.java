package io.postbox.commands.admin.info;

import io.postbox.commands.Engine;
import io.postbox.commands.admin.PersistenceStatus;

/**
 * INFO persistence: what the persistence module recorded in the engine's {@link PersistenceStatus}.
 * Postbox never forks, so the copy-on-write and fork fields stay 0; current_fork_perc reports the
 * progress of the running snapshot, as Redis reports its child's.
 */
final class PersistenceSection implements InfoSection {

    @Override
    public String title() {
        return "Persistence";
    }

    @Override
    public void write(InfoLines out, Engine engine) {
        PersistenceStatus status = engine.persistence();
        long now = System.currentTimeMillis();
        boolean saving = status.bgsaveInProgress();
        boolean rewriting = status.aofRewriteInProgress();
        double progress = status.saveKeysTotal == 0 ? 0 : 100.0 * status.saveKeysProcessed / status.saveKeysTotal;
        out.field("loading", status.loading ? 1 : 0)
                .field("async_loading", 0)
                .field("current_cow_peak", 0)
                .field("current_cow_size", 0)
                .field("current_cow_size_age", 0)
                .twoDecimals("current_fork_perc", saving || rewriting ? progress : 0)
                .field("current_save_keys_processed", saving || rewriting ? status.saveKeysProcessed : 0)
                .field("current_save_keys_total", saving || rewriting ? status.saveKeysTotal : 0)
                .field("rdb_changes_since_last_save", engine.changes() - status.changesAtLastSave)
                .field("rdb_bgsave_in_progress", saving ? 1 : 0)
                .field("rdb_last_save_time", status.lastSaveSeconds)
                .field("rdb_last_bgsave_status", status.lastBgsaveOk ? "ok" : "err")
                .field("rdb_last_bgsave_time_sec", status.lastBgsaveSeconds)
                .field("rdb_current_bgsave_time_sec", saving ? (now - status.bgsaveStartMillis) / 1000 : -1)
                .field("rdb_saves", status.rdbSaves)
                .field("rdb_last_cow_size", 0)
                .field("rdb_last_load_keys_expired", status.lastLoadKeysExpired)
                .field("rdb_last_load_keys_loaded", status.lastLoadKeysLoaded)
                .field("aof_enabled", status.aofEnabled ? 1 : 0)
                .field("aof_rewrite_in_progress", rewriting ? 1 : 0)
                .field("aof_rewrite_scheduled", status.aofRewriteScheduled ? 1 : 0)
                .field("aof_last_rewrite_time_sec", status.lastAofRewriteSeconds)
                .field("aof_current_rewrite_time_sec", rewriting ? (now - status.aofRewriteStartMillis) / 1000 : -1)
                .field("aof_last_bgrewrite_status", status.lastAofRewriteOk ? "ok" : "err")
                .field("aof_rewrites", status.aofRewrites)
                .field("aof_rewrites_consecutive_failures", status.aofRewritesConsecutiveFailures)
                .field("aof_last_write_status", status.aofWriteError == null ? "ok" : "err")
                .field("aof_last_cow_size", 0)
                .field("module_fork_in_progress", 0)
                .field("module_fork_last_cow_size", 0);
        if (status.aofEnabled) {
            out.field("aof_current_size", status.aofCurrentSize)
                    .field("aof_base_size", status.aofBaseSize)
                    .field("aof_pending_rewrite", status.aofRewriteScheduled ? 1 : 0)
                    .field("aof_buffer_length", status.aofBufferLength)
                    .field("aof_pending_bio_fsync", 0)
                    .field("aof_delayed_fsync", 0);
        }
        if (status.loading) {
            writeLoading(out, status, now / 1000);
        }
    }

    /** The load's progress, with Redis's estimate of the time left. */
    private static void writeLoading(InfoLines out, PersistenceStatus status, long nowSeconds) {
        long elapsed = nowSeconds - status.loadingStartSeconds;
        long remaining = status.loadingTotalBytes - status.loadingLoadedBytes;
        out.field("loading_start_time", status.loadingStartSeconds)
                .field("loading_total_bytes", status.loadingTotalBytes)
                .field("loading_rdb_used_mem", status.loadingRdbUsedMemory)
                .field("loading_loaded_bytes", status.loadingLoadedBytes)
                .twoDecimals("loading_loaded_perc", 100.0 * status.loadingLoadedBytes / (status.loadingTotalBytes + 1))
                .field("loading_eta_seconds", elapsed == 0 ? 1 : elapsed * remaining / (status.loadingLoadedBytes + 1));
    }
}
