package io.postbox.commands.replication;

import io.postbox.commands.BlockedOperation;
import io.postbox.commands.Client;
import io.postbox.commands.Clients;
import io.postbox.commands.Invocation;
import io.postbox.commands.blocking.BlockedClients;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What online replicas acknowledged ({@code REPLCONF ACK offset}, each second or when asked), and the
 * clients that WAIT for it: a WAIT for n replicas ends when n have acknowledged the stream up to the
 * client's last write ({@link Client#lastWriteOffset()}), or at its timeout, with the number that had.
 *
 * <p>Executor thread only.
 */
public final class ReplicaAcks {

    /** A blocked WAIT: its client's wait, the offset to reach, and how many replicas must reach it. */
    private record Wait(Client client, BlockedOperation operation, long offset, long replicas) {
    }

    private final Clients clients;
    private final BlockedClients blockedClients;
    private final Supplier<ReplicationFeed> feed;
    private final List<Wait> waits = new ArrayList<>();

    public ReplicaAcks(Clients clients, BlockedClients blockedClients, Supplier<ReplicationFeed> feed) {
        this.clients = clients;
        this.blockedClients = blockedClients;
        this.feed = feed;
    }

    /**
     * WAIT: answers at once if enough replicas acknowledged the client's writes or the client may not
     * block; else blocks it, asks the replicas for their offsets, and answers when enough do or at
     * {@code timeoutMillis} (0: never).
     */
    public void waitFor(Invocation call, long replicas, long timeoutMillis) {
        long offset = call.client().lastWriteOffset();
        int acknowledged = acknowledged(offset);
        if (acknowledged >= replicas || call.client().denyBlocking()) {
            call.reply().integer(acknowledged);
            return;
        }
        blockedClients.blockUntilTimeout(call, timeoutMillis, reply -> reply.integer(acknowledged(offset)));
        waits.add(new Wait(call.client(), call.client().blockedOn(), offset, replicas));
        feed.get().requestAcks();
    }

    /** A replica acknowledged: the WAITs it satisfies end, and those that ended otherwise are forgotten. */
    public void acked() {
        waits.removeIf(wait -> {
            if (wait.client.blockedOn() != wait.operation) {
                return true;
            }
            if (acknowledged(wait.offset) >= wait.replicas) {
                wait.operation.timeOut();
                return true;
            }
            return false;
        });
    }

    /** The replicas that are fed the stream, in the order they connected. */
    public List<Client> onlineReplicas() {
        List<Client> online = new ArrayList<>();
        for (Client client : clients.all()) {
            if (client.replicaOnline()) {
                online.add(client);
            }
        }
        return online;
    }

    public int online() {
        return onlineReplicas().size();
    }

    /** How many online replicas acknowledged the stream up to {@code offset} or further. */
    public int acknowledged(long offset) {
        int count = 0;
        for (Client client : clients.all()) {
            if (client.replicaOnline() && client.replicaAckOffset() >= offset) {
                count++;
            }
        }
        return count;
    }

    /**
     * How many online replicas acknowledged within {@code maxLagSeconds} ({@code min-replicas-max-lag}):
     * the good ones that {@code min-replicas-to-write} counts.
     */
    public int good(long nowMillis, long maxLagSeconds) {
        int count = 0;
        for (Client client : clients.all()) {
            if (client.replicaOnline() && (nowMillis - client.replicaAckMillis()) / 1000 <= maxLagSeconds) {
                count++;
            }
        }
        return count;
    }
}
