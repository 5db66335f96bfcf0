package io.postbox.commands;

import io.postbox.commands.pubsub.Subscriptions;
import io.postbox.commands.tracking.TrackingMode;
import io.postbox.commands.transactions.Transaction;
import java.util.function.ToLongFunction;

/**
 * What one client costs in memory, as Redis's getClientMemoryUsage counts it (CLIENT LIST's
 * {@code tot-mem}, what {@code maxmemory-clients} limits): the connection itself, its input (received,
 * held back, or parsed into the arguments of the request being received), its output not yet written,
 * its transaction, and an entry per subscription, watch and tracking prefix. Like Redis, it leaves
 * out what clients share (the channel names and keys those entries refer to).
 */
public final class ClientMemory {

    /**
     * The heap one idle connection takes: its channel, pipeline, decoder and client state. Measured as
     * the heap in use after a collection with 3,000 idle connections open, less before: 2,034-2,053
     * bytes each.
     */
    public static final long CONNECTION_BYTES = 2048;
    /**
     * An entry in a hash table or list that refers to shared data: a subscription, a watch, a tracking
     * prefix, a queued command. About a HashMap or TreeMap node and its slot, with compressed pointers.
     */
    public static final long ENTRY_BYTES = 40;

    private ClientMemory() {
    }

    /** The memory {@code client} takes in all. */
    public static long of(Client client) {
        long entries = 0;
        Subscriptions subscriptions = client.subscriptions();
        if (subscriptions != null) {
            entries += subscriptions.channelCount() + subscriptions.patternCount() + subscriptions.shardChannelCount();
        }
        TrackingMode tracking = client.tracking();
        if (tracking != null) {
            entries += tracking.prefixes().size();
        }
        return CONNECTION_BYTES + client.queryBufferBytes() + client.queryBufferFree() + client.argumentBytes()
                + transaction(client) + client.pendingOutputBytes() + entries * ENTRY_BYTES;
    }

    /** What the clients that are not replicas take together: INFO's {@code mem_clients_normal}. */
    public static long ofNormalClients(Clients clients) {
        return sum(clients, false, ClientMemory::of);
    }

    /** What the replicas take together: INFO's {@code mem_clients_slaves}. */
    public static long ofReplicas(Clients clients) {
        return sum(clients, true, ClientMemory::of);
    }

    /**
     * What the replicas were sent and have not taken: with the backlog, INFO's
     * {@code mem_total_replication_buffers}.
     */
    public static long outputOfReplicas(Clients clients) {
        return sum(clients, true, Client::pendingOutputBytes);
    }

    /**
     * What the clients that are not replicas hold outside the heap ({@link Client#offHeapBytes}): what
     * {@code used_memory} adds to the heap in use.
     */
    public static long offHeapOfNormalClients(Clients clients) {
        return sum(clients, false, Client::offHeapBytes);
    }

    /** {@code measure} summed over the replicas, or over the other clients. */
    private static long sum(Clients clients, boolean replicas, ToLongFunction<Client> measure) {
        long total = 0;
        for (Client client : clients.all()) {
            if (client.replica() == replicas) {
                total += measure.applyAsLong(client);
            }
        }
        return total;
    }

    /** What the client's transaction and watches take: CLIENT LIST's {@code multi-mem}. */
    public static long transaction(Client client) {
        Transaction transaction = client.transaction();
        return transaction == null ? 0 : transaction.memory();
    }
}
