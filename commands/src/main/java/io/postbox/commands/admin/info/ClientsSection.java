package io.postbox.commands.admin.info;

import io.postbox.commands.Client;
import io.postbox.commands.Engine;

/**
 * INFO clients: connections (replicas are counted in INFO replication) and clients waiting in blocking
 * commands. The largest input and output buffers are those of now, where Redis's are the largest seen
 * in the last few seconds.
 */
final class ClientsSection implements InfoSection {

    @Override
    public String title() {
        return "Clients";
    }

    @Override
    public void write(InfoLines out, Engine engine) {
        long maxInput = 0;
        long maxOutput = 0;
        int replicas = 0;
        for (Client client : engine.clients().all()) {
            maxInput = Math.max(maxInput, client.queryBufferBytes() + client.argumentBytes());
            maxOutput = Math.max(maxOutput, client.pendingOutputBytes());
            if (client.replica()) {
                replicas++;
            }
        }
        out.field("connected_clients", engine.clients().size() - replicas)
                .field("cluster_connections", 0)
                .field("maxclients", engine.config().getLong("maxclients"))
                .field("client_recent_max_input_buffer", maxInput)
                .field("client_recent_max_output_buffer", maxOutput)
                .field("blocked_clients", engine.clients().blockedCount())
                .field("tracking_clients", engine.tracking().clientCount())
                .field("clients_in_timeout_table", engine.blockedClients().withTimeout());
    }
}
