package io.postbox.commands.admin.info;

import io.postbox.commands.Engine;
import io.postbox.commands.admin.DetachedProcess;

/** INFO replication: Postbox is always a master without replicas; its replication id is fixed per run. */
final class ReplicationSection implements InfoSection {

    private final String replicationId = DetachedProcess.randomHex40();

    @Override
    public String title() {
        return "Replication";
    }

    @Override
    public void write(InfoLines out, Engine engine) {
        out.field("role", "master")
                .field("connected_slaves", 0)
                .field("master_failover_state", "no-failover")
                .field("master_replid", replicationId)
                .field("master_replid2", "0000000000000000000000000000000000000000")
                .field("master_repl_offset", 0)
                .field("second_repl_offset", -1)
                .field("repl_backlog_active", 0)
                .field("repl_backlog_size", engine.config().getLong("repl-backlog-size"))
                .field("repl_backlog_first_byte_offset", 0)
                .field("repl_backlog_histlen", 0);
    }
}
