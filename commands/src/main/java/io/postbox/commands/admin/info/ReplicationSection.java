package io.postbox.commands.admin.info;

import io.postbox.commands.Client;
import io.postbox.commands.Engine;
import io.postbox.commands.replication.ReplicationFeed;
import java.util.ArrayList;
import java.util.List;

/**
 * INFO replication: Postbox is always a master; its replicas, the stream it feeds them and its backlog.
 * A replica's lag is the seconds since its last acknowledgement, as Redis counts it.
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
        out.field("role", "master").field("connected_slaves", replicas.size());
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
        ReplicationFeed feed = engine.replicationFeed();
        out.field("master_failover_state", "no-failover")
                .field("master_replid", feed.replicationId())
                .field("master_replid2", ReplicationFeed.NO_ID)
                .field("master_repl_offset", feed.offset())
                .field("second_repl_offset", -1)
                .field("repl_backlog_active", feed.backlogActive() ? 1 : 0)
                .field("repl_backlog_size", engine.config().getLong("repl-backlog-size"))
                .field("repl_backlog_first_byte_offset", feed.backlogFirstByte())
                .field("repl_backlog_histlen", feed.backlogHistlen());
    }
}
