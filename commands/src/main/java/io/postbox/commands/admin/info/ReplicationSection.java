package io.postbox.commands.admin.info;

import io.postbox.commands.Client;
import io.postbox.commands.Engine;
import io.postbox.commands.admin.DetachedProcess;
import java.util.ArrayList;
import java.util.List;

/**
 * INFO replication: Postbox is always a master, whose only replicas are those a snapshot is sent to
 * (SYNC with rdb-only), at offset 0; its replication id is fixed per run.
 */
final class ReplicationSection implements InfoSection {

    private final String replicationId = DetachedProcess.randomHex40();

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
        // While min-replicas-to-write is on, Redis shows how many replicas are good: here none ever is.
        if (engine.dispatcher().replicasRefusal() != null) {
            out.field("min_slaves_good_slaves", 0);
        }
        for (int i = 0; i < replicas.size(); i++) {
            Client replica = replicas.get(i);
            out.field("slave" + i, "ip=" + host(replica.address()) + ",port=" + replica.replicaListeningPort()
                    + ",state=" + replica.replicaState() + ",offset=0,lag=0");
        }
        out.field("master_failover_state", "no-failover")
                .field("master_replid", replicationId)
                .field("master_replid2", "0000000000000000000000000000000000000000")
                .field("master_repl_offset", 0)
                .field("second_repl_offset", -1)
                .field("repl_backlog_active", 0)
                .field("repl_backlog_size", engine.config().getLong("repl-backlog-size"))
                .field("repl_backlog_first_byte_offset", 0)
                .field("repl_backlog_histlen", 0);
    }

    /** The IP of an {@code ip:port} or {@code [ipv6]:port} address, as Redis shows a replica's. */
    private static String host(String address) {
        String host = address.substring(0, address.lastIndexOf(':'));
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }
}
