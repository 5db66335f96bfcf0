package io.postbox.it;

import static io.postbox.it.support.BlockedClients.awaitBlocked;
import static io.postbox.it.support.BlockedClients.blockedClients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostboxExtension;
import io.postbox.it.support.SideBySideClients;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Streams as a reliable queue with real clients, each test run against Postbox and the reference Redis:
 * several consumers of one group, one of which dies holding entries that XAUTOCLAIM hands to a survivor
 * so every entry is acknowledged exactly once; blocked readers served first come, first served; BLOCK
 * timeouts; {@code $} taken when the reader blocks; WATCH sees appends but not group bookkeeping.
 */
class StreamConsumerGroupsTest {

    private static final int QUIET_MILLIS = 300;
    private static final int ENTRIES = 300;

    @RegisterExtension
    static final InJvmPostboxExtension postbox = new InJvmPostboxExtension();
    @RegisterExtension
    final SideBySideClients clients = new SideBySideClients(postbox);

    @ParameterizedTest
    @MethodSource(SideBySideClients.SERVERS)
    void everyEntryIsAcknowledgedExactlyOnceWhenAConsumerDies(String server) throws Exception {
        Jedis admin = clients.jedis(server);
        admin.flushAll();
        admin.xgroupCreate("jobs", "workers", new StreamEntryID(0, 0), true);
        Set<StreamEntryID> produced = new HashSet<>();
        for (int i = 0; i < ENTRIES; i++) {
            produced.add(admin.xadd("jobs", StreamEntryID.NEW_ENTRY, Map.of("job", "n" + i)));
        }
        Map<StreamEntryID, String> acknowledgedBy = new ConcurrentHashMap<>();
        List<String> doubleAcks = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();

        // The doomed consumer takes a batch and dies without acknowledging it.
        Jedis doomed = clients.jedis(server);
        List<StreamEntry> taken = read(doomed, "doomed", 25);
        assertEquals(25, taken.size());
        doomed.close();

        List<Future<?>> workers = new ArrayList<>();
        for (String name : List.of("alice", "bob")) {
            Jedis worker = clients.jedis(server);
            workers.add(clients.inBackground(() -> {
                while (!stop.get()) {
                    for (StreamEntry entry : read(worker, name, 10)) {
                        acknowledge(worker, name, entry.getID(), acknowledgedBy, doubleAcks);
                    }
                }
                return null;
            }));
        }
        long deadline = System.currentTimeMillis() + 20_000;
        while (acknowledgedBy.size() < ENTRIES - taken.size() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        stop.set(true);
        for (Future<?> worker : workers) {
            worker.get(10, TimeUnit.SECONDS);
        }
        assertEquals(taken.size(), admin.xpending("jobs", "workers").getTotal());

        // A survivor claims what the dead consumer held, page by page, and acknowledges it.
        Jedis survivor = clients.jedis(server);
        StreamEntryID cursor = new StreamEntryID(0, 0);
        do {
            Map.Entry<StreamEntryID, List<StreamEntry>> page = survivor.xautoclaim("jobs", "workers", "alice", 0,
                    cursor, new XAutoClaimParams().count(10));
            for (StreamEntry entry : page.getValue()) {
                acknowledge(survivor, "alice", entry.getID(), acknowledgedBy, doubleAcks);
            }
            cursor = page.getKey();
        } while (!cursor.equals(new StreamEntryID(0, 0)));

        assertEquals(List.of(), doubleAcks);
        assertEquals(produced, acknowledgedBy.keySet());
        assertEquals(0, admin.xpending("jobs", "workers").getTotal());
        for (StreamEntry entry : taken) {
            assertEquals("alice", acknowledgedBy.get(entry.getID()));
        }
    }

    private static List<StreamEntry> read(Jedis jedis, String consumer, int count) {
        List<Map.Entry<String, List<StreamEntry>>> reply = jedis.xreadGroup("workers", consumer,
                XReadGroupParams.xReadGroupParams().count(count).block(50),
                Map.of("jobs", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        return reply == null || reply.isEmpty() ? List.of() : reply.get(0).getValue();
    }

    private static void acknowledge(Jedis jedis, String consumer, StreamEntryID id,
                                    Map<StreamEntryID, String> acknowledgedBy, List<String> doubleAcks) {
        long acked = jedis.xack("jobs", "workers", id);
        if (acked != 1 || acknowledgedBy.putIfAbsent(id, consumer) != null) {
            synchronized (doubleAcks) {
                doubleAcks.add(consumer + " " + id + " " + acked);
            }
        }
    }

    @ParameterizedTest
    @MethodSource(SideBySideClients.SERVERS)
    void blockedGroupReadersAreServedLongestWaitingFirst(String server) throws Exception {
        Jedis admin = clients.jedis(server);
        admin.flushAll();
        admin.xgroupCreate("s", "g", StreamEntryID.XGROUP_LAST_ENTRY, true);
        // Each reader is blocked before the next command is sent: the order they block in is the test.
        int before = blockedClients(admin);
        Future<List<Map.Entry<String, List<StreamEntry>>>> first = blockingGroupRead(clients.jedis(server), "first");
        awaitBlocked(admin, before + 1);
        Future<List<Map.Entry<String, List<StreamEntry>>>> second = blockingGroupRead(clients.jedis(server), "second");
        awaitBlocked(admin, before + 2);

        admin.xadd("s", new StreamEntryID(1, 1), Map.of("n", "1"));
        assertEquals(new StreamEntryID(1, 1), first.get(5, TimeUnit.SECONDS).get(0).getValue().get(0).getID());
        assertStillBlocked(second);
        admin.xadd("s", new StreamEntryID(1, 2), Map.of("n", "2"));
        assertEquals(new StreamEntryID(1, 2), second.get(5, TimeUnit.SECONDS).get(0).getValue().get(0).getID());
        assertEquals(2, admin.xpending("s", "g").getTotal());
    }

    @ParameterizedTest
    @MethodSource(SideBySideClients.SERVERS)
    void aFlushTellsBlockedGroupReadersThatTheirStreamIsGoneAndLeavesXreadWaiting(String server) throws Exception {
        Jedis admin = clients.jedis(server);
        for (Runnable flush : List.<Runnable>of(admin::flushAll, admin::flushDB)) {
            admin.flushAll();
            admin.xgroupCreate("s", "g", StreamEntryID.XGROUP_LAST_ENTRY, true);
            int before = blockedClients(admin);
            Jedis plainReader = clients.jedis(server);
            Future<?> plain = clients.inBackground(() -> plainReader.xread(
                    XReadParams.xReadParams().block(0), Map.of("s", StreamEntryID.XREAD_NEW_ENTRY)));
            awaitBlocked(admin, before + 1);
            Future<?> group = blockingGroupRead(clients.jedis(server), "reader");
            awaitBlocked(admin, before + 2);

            admin.configSet("slowlog-log-slower-than", "0");
            try {
                admin.slowlogReset();
                flush.run();
                ExecutionException error = assertThrows(ExecutionException.class,
                        () -> group.get(5, TimeUnit.SECONDS));
                assertEquals("UNBLOCKED the stream key no longer exists", error.getCause().getMessage());
                // Ended, the call reaches the slow log after the flush that ended it.
                assertEquals("XREADGROUP", admin.slowlogGet().get(0).getArgs().get(0));
            } finally {
                admin.configSet("slowlog-log-slower-than", "10000");
            }
            assertStillBlocked(plain);
            admin.xadd("s", new StreamEntryID(1, 1), Map.of("n", "1"));
            plain.get(5, TimeUnit.SECONDS);
        }
    }

    private Future<List<Map.Entry<String, List<StreamEntry>>>> blockingGroupRead(Jedis jedis, String consumer) {
        return clients.inBackground(() -> jedis.xreadGroup("g", consumer,
                XReadGroupParams.xReadGroupParams().block(0), Map.of("s", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY)));
    }

    private static void assertStillBlocked(Future<?> reader) throws Exception {
        try {
            reader.get(QUIET_MILLIS, TimeUnit.MILLISECONDS);
            throw new AssertionError("the reader was served");
        } catch (TimeoutException expected) {
            // Still waiting.
        }
    }

    @ParameterizedTest
    @MethodSource(SideBySideClients.SERVERS)
    void xreadWaitsForEntriesAfterTheLastIdWhenItBlocked(String server) throws Exception {
        Jedis admin = clients.jedis(server);
        admin.flushAll();
        admin.xadd("s", new StreamEntryID(1, 1), Map.of("old", "1"));
        Jedis reader = clients.jedis(server);
        int before = blockedClients(admin);
        Future<List<Map.Entry<String, List<StreamEntry>>>> read = clients.inBackground(() -> reader.xread(
                XReadParams.xReadParams().block(0), Map.of("s", StreamEntryID.XREAD_NEW_ENTRY)));
        // Blocked, so $ was taken before the append below.
        awaitBlocked(admin, before + 1);
        assertStillBlocked(read);
        admin.xadd("s", new StreamEntryID(2, 1), Map.of("new", "2"));
        List<StreamEntry> entries = read.get(5, TimeUnit.SECONDS).get(0).getValue();
        assertEquals(1, entries.size());
        assertEquals(new StreamEntryID(2, 1), entries.get(0).getID());
    }

    @ParameterizedTest
    @MethodSource(SideBySideClients.SERVERS)
    void xreadBlockTimesOutInMilliseconds(String server) {
        Jedis reader = clients.jedis(server);
        reader.flushAll();
        long started = System.nanoTime();
        assertNull(reader.xread(XReadParams.xReadParams().block(100), Map.of("s", StreamEntryID.XREAD_NEW_ENTRY)));
        assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(100));
    }

    @ParameterizedTest
    @MethodSource(SideBySideClients.SERVERS)
    void groupBookkeepingLeavesAWatchedStreamUntouchedButAnAppendDoesNot(String server) {
        Jedis admin = clients.jedis(server);
        admin.flushAll();
        admin.xadd("s", new StreamEntryID(1, 1), Map.of("f", "v"));
        admin.xgroupCreate("s", "g", new StreamEntryID(0, 0), false);
        Jedis watcher = clients.jedis(server);
        watcher.watch("s");
        read(admin, "s", "c");
        admin.xack("s", "g", new StreamEntryID(1, 1));
        redis.clients.jedis.Transaction transaction = watcher.multi();
        transaction.incr("counter");
        assertEquals(List.of(1L), transaction.exec(), "XREADGROUP and XACK do not touch a watched stream");

        watcher.watch("s");
        admin.xadd("s", new StreamEntryID(1, 2), Map.of("f", "v"));
        transaction = watcher.multi();
        transaction.incr("counter");
        assertNull(transaction.exec(), "XADD does");
    }

    private static void read(Jedis jedis, String key, String consumer) {
        jedis.xreadGroup("g", consumer, XReadGroupParams.xReadGroupParams(),
                Map.of(key, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
    }
}
