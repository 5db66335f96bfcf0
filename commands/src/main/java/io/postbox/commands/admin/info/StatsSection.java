package io.postbox.commands.admin.info;

import io.postbox.commands.Engine;
import io.postbox.commands.Stats;

/**
 * INFO stats. Counters of machinery Postbox does not have (partial resync, client eviction, defrag,
 * I/O threads) are 0. Forks are the background snapshots that stand for them.
 */
final class StatsSection implements InfoSection {

    @Override
    public String title() {
        return "Stats";
    }

    @Override
    public void write(InfoLines out, Engine engine) {
        Stats stats = engine.stats();
        out.field("total_connections_received", stats.connectionsReceived)
                .field("total_commands_processed", stats.commandsProcessed)
                .field("instantaneous_ops_per_sec", stats.commandsPerSecond.perSecond())
                .field("total_net_input_bytes", stats.netInputBytes)
                .field("total_net_output_bytes", stats.netOutputBytes)
                .field("total_net_repl_input_bytes", stats.netReplicationInputBytes)
                .field("total_net_repl_output_bytes", stats.netReplicationOutputBytes)
                .twoDecimals("instantaneous_input_kbps", (float) stats.inputBytesPerSecond.perSecond() / 1024)
                .twoDecimals("instantaneous_output_kbps", (float) stats.outputBytesPerSecond.perSecond() / 1024)
                .twoDecimals("instantaneous_input_repl_kbps", 0)
                .twoDecimals("instantaneous_output_repl_kbps", 0)
                .field("rejected_connections", stats.rejectedConnections)
                .field("sync_full", stats.fullSyncs)
                .field("sync_partial_ok", stats.partialSyncsAccepted)
                .field("sync_partial_err", stats.partialSyncsRefused)
                .field("expired_keys", stats.expiredKeys)
                .twoDecimals("expired_stale_perc", stats.expiredStaleShare * 100)
                .field("expired_time_cap_reached_count", stats.expireCyclesCut)
                .field("expire_cycle_cpu_milliseconds", stats.expireCycleMicros / 1000)
                .field("evicted_keys", stats.evictedKeys)
                .field("evicted_clients", stats.evictedClients)
                .field("total_eviction_exceeded_time", engine.memoryLimit().totalExceededMillis())
                .field("current_eviction_exceeded_time", engine.memoryLimit().currentExceededMillis())
                .field("keyspace_hits", stats.keyspaceHits)
                .field("keyspace_misses", stats.keyspaceMisses)
                .field("pubsub_channels", engine.pubsub().channelCount())
                .field("pubsub_patterns", engine.pubsub().patternCount())
                .field("pubsubshard_channels", engine.pubsub().shardChannelCount())
                .field("latest_fork_usec", engine.persistence().latestSnapshotStartMicros)
                .field("total_forks", engine.persistence().backgroundSnapshots)
                .field("migrate_cached_sockets", engine.migrationLinks().open())
                .field("slave_expires_tracked_keys", engine.replicaExpiries().size())
                .field("active_defrag_hits", 0)
                .field("active_defrag_misses", 0)
                .field("active_defrag_key_hits", 0)
                .field("active_defrag_key_misses", 0)
                .field("total_active_defrag_time", 0)
                .field("current_active_defrag_time", 0)
                .field("tracking_total_keys", engine.tracking().keyCount())
                .field("tracking_total_items", engine.tracking().itemCount())
                .field("tracking_total_prefixes", engine.tracking().prefixCount())
                .field("unexpected_error_replies", stats.unexpectedErrorReplies)
                .field("total_error_replies", stats.totalErrorReplies)
                .field("dump_payload_sanitizations", 0)
                .field("total_reads_processed", stats.readsProcessed)
                .field("total_writes_processed", stats.writesProcessed)
                .field("io_threaded_reads_processed", 0)
                .field("io_threaded_writes_processed", 0)
                .field("reply_buffer_shrinks", 0)
                .field("reply_buffer_expands", 0);
    }
}
