package io.postbox.commands.admin.info;

import io.postbox.commands.Client;
import io.postbox.commands.Engine;
import io.postbox.commands.replication.MasterLink;
import io.postbox.commands.replication.ReplicationFeed;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * INFO replication: the master followed and the link to it, if this server is a replica; its own
 * replicas, the stream it feeds them and its backlog. A replica's lag is the seconds since its last
 * acknowledgement, as Redis counts it.
 */
final class ReplicationSection implements InfoSection {

    @Override
    public String title() {
        return "Replication";
    }

    @Override
    public void write(InfoLines out, Engine engine) {
        List<Client> replicas = new ArrayList<>();
        for (Client client : engine.clients().all()) {
            if (client.replica()) {
                replicas.add(client);
            }
        }
        MasterLink link = engine.masterLink();
        if (link.following()) {
            writeLink(out, engine, link);
        } else {
            out.field("role", "master");
        }
        out.field("connected_slaves", replicas.size());
        // While min-replicas-to-write is on, Redis shows how many replicas are good.
        long minReplicasMaxLag = engine.config().getLong("min-replicas-max-lag");
        if (engine.config().getLong("min-replicas-to-write") > 0 && minReplicasMaxLag > 0) {
            out.field("min_slaves_good_slaves", engine.replicaAcks().good(engine.now(), minReplicasMaxLag));
        }
        for (int i = 0; i < replicas.size(); i++) {
            Client replica = replicas.get(i);
            out.field("slave" + i, "ip=" + replica.replicaHost() + ",port=" + replica.replicaListeningPort()
                    + ",state=" + replica.replicaState() + ",offset=" + replica.replicaAckOffset()
                    + ",lag=" + (engine.now() - replica.replicaAckMillis()) / 1000);
        }
        // A replica's stream is its master's, carried on.
        ReplicationFeed feed = engine.replicationFeed();
        out.field("master_failover_state", engine.failover().state().infoName())
                .field("master_replid", feed.replicationId())
                .field("master_replid2", feed.secondReplicationId())
                .field("master_repl_offset", feed.offset())
                .field("second_repl_offset", feed.secondOffset())
                .field("repl_backlog_active", feed.backlogActive() ? 1 : 0)
                .field("repl_backlog_size", engine.config().getLong("repl-backlog-size"))
                .field("repl_backlog_first_byte_offset", feed.backlogFirstByte())
                .field("repl_backlog_histlen", feed.backlogHistlen());
    }

    /** Redis's fields for a replica: where its master is, whether the link is up, how far it has applied. */
    private static void writeLink(InfoLines out, Engine engine, MasterLink link) {
        long now = engine.now();
        boolean linkUp = link.state() == MasterLink.State.CONNECTED;
        out.field("role", "slave").field("master_host", link.host()).field("master_port", link.port())
                .field("master_link_status", linkUp ? "up" : "down")
                .field("master_last_io_seconds_ago", linkUp ? (now - link.lastIoMillis()) / 1000 : -1)
                .field("master_sync_in_progress", link.state() == MasterLink.State.TRANSFER ? 1 : 0)
                // With no master and no history to continue, Redis shows its initial offsets: 1.
                .field("slave_read_repl_offset", link.appliedOffset() < 0 ? 1 : link.readOffset())
                .field("slave_repl_offset", link.appliedOffset() < 0 ? 1 : link.appliedOffset());
        if (link.state() == MasterLink.State.TRANSFER) {
            long size = link.transferSize();
            long read = link.transferRead();
            out.field("master_sync_total_bytes", size).field("master_sync_read_bytes", read)
                    .field("master_sync_left_bytes", size - read)
                    .field("master_sync_perc",
                            String.format(Locale.ROOT, "%.2f", size == 0 ? 0.0 : (double) read / size * 100))
                    .field("master_sync_last_io_seconds_ago", (now - link.lastIoMillis()) / 1000);
        }
        if (!linkUp) {
            out.field("master_link_down_since_seconds",
                    link.downSinceMillis() == 0 ? -1 : (now - link.downSinceMillis()) / 1000);
        }
        out.field("slave_priority", engine.config().getLong("replica-priority"))
                .field("slave_read_only", engine.config().getBool("replica-read-only") ? 1 : 0)
                .field("replica_announced", engine.config().getBool("replica-announced") ? 1 : 0);
    }
}
