package io.postbox.commands;

import io.postbox.commands.admin.LogLevel;
import io.postbox.commands.config.ConfigOption;
import io.postbox.commands.connection.ClientInfo;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * {@code maxmemory-clients}: once the clients together take that much memory ({@link ClientMemory}),
 * the largest are disconnected until they take less, as Redis's client eviction does.
 *
 * <p>As in Redis, each client's memory is counted again when something it holds changed (after a
 * read, a command, a write to it; the server calls {@link #update}), and periodically for all
 * ({@link #recountAll}: output drains without a call). The total is kept as it changes, so the check
 * before each command ({@link #evictIfOver}) is a comparison. Clients that may be evicted wait in
 * buckets by power of two of their memory, so the largest are found without a search; within a
 * bucket the order is that of entry. Replicas are neither counted nor evicted; clients with CLIENT
 * NO-EVICT are counted (periodically) but not evicted.
 *
 * <p>The same count gives {@link MemoryLimit} what clients hold outside the heap ({@link #offHeap}),
 * which maxmemory adds to the heap in use, as Redis counts client buffers with its data. While
 * {@code maxmemory-clients} is set clients are counted whole; while only {@code maxmemory} is, only
 * that part of them, which is cheaper; else not at all.
 * Executor thread only.
 */
public final class ClientEviction {

    /** Redis's CLIENT_MEM_USAGE_BUCKET_MIN_LOG: the first bucket holds every client up to 32 KiB. */
    private static final int MIN_LOG = 15;
    /** Redis's CLIENT_MEM_USAGE_BUCKET_MAX_LOG: the last bucket holds every client from 8 GiB up. */
    private static final int MAX_LOG = 33;
    /** Redis's floor for the limit: a lower one would leave no room to talk to the server at all. */
    static final long MIN_LIMIT = 128 * 1024;

    private final Engine engine;
    private final ConfigOption<Long> maxmemoryClients;
    private final ConfigOption<Long> maxmemory;
    private final List<LinkedHashSet<Client>> buckets = new ArrayList<>();
    private BiConsumer<LogLevel, String> log = (level, message) -> { };
    /** What the counted clients take together, and what they hold outside the heap. */
    private long counted;
    private long countedOffHeap;
    /** What is counted, as the limits were at the last look. */
    private Counting counting = Counting.NONE;
    /** Whether the last eviction ran out of clients it may evict (warned once until under the limit again). */
    private boolean overWithoutVictims;

    ClientEviction(Engine engine) {
        this.engine = engine;
        this.maxmemoryClients = engine.config().option("maxmemory-clients");
        this.maxmemory = engine.config().option("maxmemory");
        for (int log = MIN_LOG; log <= MAX_LOG; log++) {
            buckets.add(new LinkedHashSet<>());
        }
    }

    /** Where evictions are logged; set by the server that owns the engine. */
    public void logTo(BiConsumer<LogLevel, String> log) {
        this.log = log;
    }

    /**
     * The limit in bytes, 0 for none: {@code maxmemory-clients}, or its percentage of {@code maxmemory}
     * (none while maxmemory is 0), and never under 128 KiB, as Redis's getClientEvictionLimit.
     */
    public long limit() {
        long setting = maxmemoryClients.value();
        long limit;
        if (setting < 0) {
            long memory = maxmemory.value();
            if (memory == 0) {
                return 0;
            }
            limit = (long) ((double) memory * -setting / 100);
        } else if (setting > 0) {
            limit = setting;
        } else {
            return 0;
        }
        return Math.max(limit, MIN_LIMIT);
    }

    /** What the counted clients take together, 0 while maxmemory-clients is not set. */
    public long counted() {
        return counted;
    }

    /**
     * What the clients other than replicas hold outside the heap ({@link Client#offHeapBytes}) as last counted,
     * 0 while neither limit is set.
     */
    public long offHeap() {
        counting(limit());
        return countedOffHeap;
    }

    /**
     * Counts {@code client} again after something it holds changed. A client with CLIENT NO-EVICT only
     * leaves its bucket: like Redis, this counts it once a second ({@link #recountAll}), so a reply it
     * is being sent (CLIENT LIST's own) does not evict others the moment it is written.
     */
    public void update(Client client) {
        if (counting(limit()) == Counting.NONE) {
            return;
        }
        if (client.noEvict()) {
            leaveBucket(client);
        } else {
            recount(client);
        }
    }

    /** Counts every client again, as Redis's clientsCron does. */
    public void recountAll() {
        if (counting(limit()) != Counting.NONE) {
            engine.clients().all().forEach(this::recount);
        }
    }

    /** Stops counting a client that left. */
    public void forget(Client client) {
        uncount(client);
        leaveBucket(client);
    }

    /**
     * Disconnects clients, the largest first, while the counted clients take at least the limit; the
     * caller checks whether its own client is still open. Each eviction is logged and counted in INFO's
     * {@code evicted_clients}.
     */
    public void evictIfOver() {
        long limit = limit();
        if (counting(limit) != Counting.ALL || counted < limit) {
            overWithoutVictims = false;
            return;
        }
        for (int bucket = buckets.size() - 1; bucket >= 0 && counted >= limit; bucket--) {
            Iterator<Client> clients = buckets.get(bucket).iterator();
            while (counted >= limit && clients.hasNext()) {
                Client victim = clients.next();
                log.accept(LogLevel.NOTICE, "Evicting client: " + ClientInfo.line(victim, engine));
                clients.remove();
                victim.memoryBucket = -1;
                forget(victim);
                victim.close();
                engine.stats().evictedClients++;
            }
        }
        if (counted >= limit && !overWithoutVictims) {
            overWithoutVictims = true;
            log.accept(LogLevel.WARNING, "Over client maxmemory after evicting all evictable clients");
        }
    }

    /**
     * What is counted under the client limit {@code limit} and maxmemory; a limit set or removed since
     * the last look starts, changes or ends the counting.
     */
    private Counting counting(long limit) {
        Counting wanted = limit != 0 ? Counting.ALL : maxmemory.value() != 0 ? Counting.OFF_HEAP : Counting.NONE;
        if (wanted != counting) {
            counting = wanted;
            for (Client client : engine.clients().all()) {
                uncount(client);
                leaveBucket(client);
            }
            counted = 0;
            countedOffHeap = 0;
            if (wanted != Counting.NONE) {
                engine.clients().all().forEach(this::recount);
            }
        }
        return wanted;
    }

    private void recount(Client client) {
        uncount(client);
        // As Redis evicts only normal and pub/sub clients.
        if (client.replica() || client.master()) {
            leaveBucket(client);
            return;
        }
        client.countedOffHeap = client.offHeapBytes();
        countedOffHeap += client.countedOffHeap;
        if (counting != Counting.ALL) {
            return;
        }
        long memory = ClientMemory.of(client);
        client.countedMemory = memory;
        counted += memory;
        int bucket = client.noEvict() ? -1 : bucketOf(memory);
        if (bucket != client.memoryBucket) {
            leaveBucket(client);
            if (bucket >= 0) {
                buckets.get(bucket).add(client);
                client.memoryBucket = bucket;
            }
        }
    }

    private void uncount(Client client) {
        counted -= client.countedMemory;
        countedOffHeap -= client.countedOffHeap;
        client.countedMemory = 0;
        client.countedOffHeap = 0;
    }

    private void leaveBucket(Client client) {
        if (client.memoryBucket >= 0) {
            buckets.get(client.memoryBucket).remove(client);
            client.memoryBucket = -1;
        }
    }

    /** What is counted of each client: nothing, what it holds outside the heap (for maxmemory), or all. */
    private enum Counting { NONE, OFF_HEAP, ALL }

    /** The bucket of a client taking {@code memory} bytes: by its bit length, within Redis's range. */
    static int bucketOf(long memory) {
        int bits = Long.SIZE - Long.numberOfLeadingZeros(memory);
        return Math.min(Math.max(bits, MIN_LOG), MAX_LOG) - MIN_LOG;
    }
}
