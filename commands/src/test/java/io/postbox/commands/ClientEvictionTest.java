package io.postbox.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.config.Config;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientEvictionTest {

    private static final long MB = 1024 * 1024;

    private final Config config = new Config();
    private final Engine engine = new Engine(config, Commands.groups());
    private final ClientEviction eviction = engine.clientEviction();
    private final List<String> log = new ArrayList<>();

    ClientEvictionTest() {
        eviction.logTo((level, message) -> log.add(level + " " + message));
    }

    private TestClient client(long receiving) {
        TestClient client = new TestClient(engine);
        client.receiving(receiving);
        eviction.update(client);
        return client;
    }

    @Test
    void withoutALimitNothingIsCountedOrEvicted() {
        TestClient big = client(100 * MB);
        eviction.evictIfOver();
        assertEquals(0, eviction.limit());
        assertEquals(0, eviction.counted());
        assertEquals(0, eviction.offHeap());
        assertFalse(big.closed());
    }

    @Test
    void underMaxmemoryAloneClientsAreCountedForItButNotEvicted() {
        Config limited = new Config();
        limited.set("maxmemory", Long.toString(50 * MB));
        Engine engine = new Engine(limited, Commands.groups());
        ClientEviction eviction = engine.clientEviction();
        TestClient big = new TestClient(engine);
        big.receiving(100 * MB);
        assertEquals(100 * MB, eviction.offHeap(), "counted from the first look");
        TestClient other = new TestClient(engine);
        other.receiving(MB);
        eviction.update(other);
        assertEquals(101 * MB, eviction.offHeap());
        eviction.evictIfOver();
        assertFalse(big.closed() || other.closed(), "no client limit");
        eviction.forget(big);
        assertEquals(MB, eviction.offHeap());
        assertEquals(0, eviction.counted(), "the rest of what clients take is not counted");
    }

    @Test
    void theLargestClientsGoFirstAndOnlyUntilTheRestFit() {
        TestClient small = client(MB);
        TestClient large = client(8 * MB);
        TestClient middle = client(3 * MB);
        config.set("maxmemory-clients", Long.toString(6 * MB));
        eviction.evictIfOver();
        assertTrue(large.closed(), "the largest went");
        assertFalse(middle.closed() || small.closed(), "the rest take less than the limit");
        assertEquals(4 * MB + 2 * ClientMemory.CONNECTION_BYTES, eviction.counted());
        assertEquals(1, engine.stats().evictedClients);
        assertTrue(log.get(0).startsWith("NOTICE Evicting client: id=" + large.id() + " "), log.toString());
    }

    @Test
    void noEvictClientsCountButStayAndReplicasAreLeftOut() {
        config.set("maxmemory-clients", Long.toString(4 * MB));
        TestClient other = client(MB);
        TestClient kept = new TestClient(engine);
        kept.noEvict(true);
        kept.receiving(5 * MB);
        eviction.update(kept);
        TestClient replica = new TestClient(engine);
        replica.awaitSnapshot();
        replica.receiving(50 * MB);
        eviction.update(replica);
        eviction.evictIfOver();
        assertFalse(other.closed(), "a client with no-evict is counted only by the periodic count");
        eviction.recountAll();
        eviction.evictIfOver();
        assertFalse(kept.closed() || replica.closed());
        assertTrue(other.closed(), "the no-evict client's memory counts toward the limit");
        assertEquals(List.of("WARNING Over client maxmemory after evicting all evictable clients"),
                log.subList(1, log.size()));
        eviction.evictIfOver();
        assertEquals(2, log.size(), "warned once while it stays over");
        kept.noEvict(false);
        eviction.update(kept);
        eviction.evictIfOver();
        assertTrue(kept.closed(), "evicted once it may be");
    }

    @Test
    void aPercentageIsOfMaxmemoryWithAFloor() {
        config.set("maxmemory-clients", "10%");
        assertEquals(0, eviction.limit(), "no maxmemory, no limit");
        Config limited = new Config();
        limited.set("maxmemory", Long.toString(100 * MB));
        limited.set("maxmemory-clients", "10%");
        ClientEviction ofMaxmemory = new Engine(limited, Commands.groups()).clientEviction();
        assertEquals(10 * MB, ofMaxmemory.limit());
        config.set("maxmemory-clients", "1000");
        assertEquals(128 * 1024, eviction.limit(), "Redis's floor");
    }

    @Test
    void aClientIsCountedAgainWhenItChangesAndForgottenWhenItLeaves() {
        config.set("maxmemory-clients", Long.toString(64 * MB));
        TestClient client = client(MB);
        assertEquals(MB + ClientMemory.CONNECTION_BYTES, eviction.counted());
        client.receiving(3 * MB);
        eviction.update(client);
        assertEquals(3 * MB + ClientMemory.CONNECTION_BYTES, eviction.counted());
        eviction.forget(client);
        assertEquals(0, eviction.counted());
        config.set("maxmemory-clients", "0");
        client(MB);
        assertEquals(0, eviction.counted(), "nothing counted without a limit");
    }

    @Test
    void bucketsArePowersOfTwoWithinRedisRange() {
        assertEquals(0, ClientEviction.bucketOf(0));
        assertEquals(0, ClientEviction.bucketOf(32 * 1024 - 1));
        assertEquals(1, ClientEviction.bucketOf(32 * 1024));
        assertEquals(1, ClientEviction.bucketOf(64 * 1024 - 1));
        assertEquals(18, ClientEviction.bucketOf(8L * 1024 * MB));
        assertEquals(18, ClientEviction.bucketOf(Long.MAX_VALUE));
    }
}
