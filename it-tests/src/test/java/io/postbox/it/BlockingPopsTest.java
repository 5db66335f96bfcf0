package io.postbox.it;

import static io.postbox.it.support.BlockedClients.awaitBlocked;
import static io.postbox.it.support.BlockedClients.blockedClients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostboxExtension;
import io.postbox.it.support.RawConnection;
import io.postbox.it.support.SideBySideClients;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.args.SortedSetOption;
import redis.clients.jedis.args.UnblockType;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.resps.Tuple;
import redis.clients.jedis.util.KeyValue;

/**
 * Blocking pops with several real clients, each test run against Postbox and against the reference
 * Redis: who is served and in what order, wake-ups on several keys, timeouts, disconnects, BLMOVE
 * chains, CLIENT UNBLOCK, pipelines behind a blocked command, INFO blocked_clients, and list and
 * sorted-set waiters on one key.
 */
class BlockingPopsTest {

    /** Long enough that a reply that should not come would have come. */
    private static final int QUIET_MILLIS = 300;

    @RegisterExtension
    static final InJvmPostboxExtension postbox = new InJvmPostboxExtension();
    @RegisterExtension
    final SideBySideClients clients = new SideBySideClients(postbox);

    private Jedis admin(String server) {
        Jedis admin = clients.jedis(server);
        admin.flushAll();
        return admin;
    }

    /** Starts {@code call} on its own connection and returns once the server counts it as blocked. */
    private <T> Future<T> blocked(String server, Jedis admin, java.util.function.Function<Jedis, T> call) {
        int before = blockedClients(admin);
        Jedis jedis = clients.jedis(server);
        Future<T> result = clients.inBackground(() -> call.apply(jedis));
        awaitBlocked(admin, before + 1);
        return result;
    }

    private static <T> T result(Future<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    private static void assertStillWaiting(Future<?> future) throws Exception {
        assertThrows(TimeoutException.class, () -> future.get(QUIET_MILLIS, TimeUnit.MILLISECONDS));
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @MethodSource(SideBySideClients.SERVERS)
    void brpopServesLongestWaitingClientFirst(String server) throws Exception {
        Jedis admin = admin(server);
        Future<List<String>> first = blocked(server, admin, c -> c.brpop(0, "queue"));
        Future<List<String>> second = blocked(server, admin, c -> c.brpop(0, "queue"));
        Future<List<String>> third = blocked(server, admin, c -> c.brpop(0, "queue"));
        assertEquals(2, admin.lpush("queue", "m1", "m2"));
        assertEquals(List.of("queue", "m1"), result(first));
        assertEquals(List.of("queue", "m2"), result(second));
        assertStillWaiting(third);
        admin.lpush("queue", "m3");
        assertEquals(List.of("queue", "m3"), result(third));
        assertFalse(admin.exists("queue"));
    }

    @ParameterizedTest
    @MethodSource(SideBySideClients.SERVERS)
    void clientBlockedOnSeveralKeysIsWokenByTheFirstToGetDataAndLeavesTheOthers(String server) throws Exception {
        Jedis admin = admin(server);
        Future<List<String>> onThree = blocked(server, admin, c -> c.blpop(0, "k1", "k2", "k3"));
        Future<List<String>> onK1 = blocked(server, admin, c -> c.blpop(0, "k1"));
        admin.rpush("k3", "third");
        assertEquals(List.of("k3", "third"), result(onThree));
        // The first client no longer waits on k1: the element goes to the next in line there.
        admin.rpush("k1", "first");
        assertEquals(List.of("k1", "first"), result(onK1));
        awaitBlocked(admin, 0);
        assertFalse(admin.exists("k1"));
        assertFalse(admin.exists("k3"));
    }

    @ParameterizedTest
    @MethodSource(SideBySideClients.SERVERS)
    void timeoutsTakeFractionsOfASecond(String server) throws Exception {
        Jedis admin = admin(server);
        Jedis jedis = clients.jedis(server);
        long started = System.nanoTime();
        assertNull(jedis.blpop(0.25, "nothing"));
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(elapsedMillis >= 240, "replied after " + elapsedMillis + " ms, before the 250 ms timeout");
        assertNull(jedis.blmove("nothing", "dest", ListDirection.LEFT, ListDirection.RIGHT, 0.05));
        assertNull(jedis.blmpop(0.05, ListDirection.LEFT, "nothing", "either"));
        assertEquals(0, blockedClients(admin));
        // A push after the timeout stays in the list: nobody waits any more.
        admin.rpush("nothing", "kept");
        assertEquals(List.of("kept"), admin.lrange("nothing", 0, -1));
    }

    @ParameterizedTest
    @MethodSource(SideBySideClients.SERVERS)
    void disconnectWhileBlockedLeavesNoTrace(String server) throws Exception {
        Jedis admin = admin(server);
        RawConnection doomed = clients.raw(server);
        doomed.send(args("BLPOP", "jobs", "0"));
        awaitBlocked(admin, 1);
        Future<List<String>> survivor = blocked(server, admin, c -> c.blpop(0, "jobs"));
        doomed.close();
        awaitBlocked(admin, 1);
        admin.rpush("jobs", "j1");
        assertEquals(List.of("jobs", "j1"), result(survivor));
        // With nobody left waiting, a push stays: nothing was handed to the dead connection.
        admin.rpush("jobs", "j2");
        assertEquals(List.of("j2"), admin.lrange("jobs", 0, -1));
        assertEquals(0, blockedClients(admin));
    }

    @ParameterizedTest
    @MethodSource(SideBySideClients.SERVERS)
    void servedBlmoveServesTheClientWaitingOnItsDestination(String server) throws Exception {
        Jedis admin = admin(server);
        Future<String> mover = blocked(server, admin,
                c -> c.blmove("stage1", "stage2", ListDirection.RIGHT, ListDirection.LEFT, 0));
        Future<String> secondMover = blocked(server, admin, c -> c.brpoplpush("stage2", "stage3", 0));
        Future<List<String>> end = blocked(server, admin, c -> c.blpop(0, "stage3"));
        admin.lpush("stage1", "parcel");
        assertEquals("parcel", result(mover));
        assertEquals("parcel", result(secondMover));
        assertEquals(List.of("stage3", "parcel"), result(end));
        assertEquals(0, admin.exists("stage1", "stage2", "stage3"));
    }

    @ParameterizedTest
    @MethodSource(SideBySideClients.SERVERS)
    void blmoveOntoAKeyOfAnotherTypeFailsAndTheNextWaiterGetsTheElement(String server) throws Exception {
        Jedis admin = admin(server);
        admin.set("not-a-list", "x");
        Future<String> mover = blocked(server, admin,
                c -> c.blmove("source", "not-a-list", ListDirection.LEFT, ListDirection.LEFT, 0));
        Future<List<String>> popper = blocked(server, admin, c -> c.blpop(0, "source"));
        admin.rpush("source", "e1");
        ExecutionException failure = assertThrows(ExecutionException.class, () -> result(mover));
        assertTrue(failure.getCause().getMessage().startsWith("WRONGTYPE"), failure.getCause().getMessage());
        assertEquals(List.of("source", "e1"), result(popper));
    }

    @ParameterizedTest
    @MethodSource(SideBySideClients.SERVERS)
    void aKeyThatChangesTypeLeavesItsWaitersWaiting(String server) throws Exception {
        Jedis admin = admin(server);
        Future<List<String>> waiter = blocked(server, admin, c -> c.blpop(0, "shifty"));
        admin.set("shifty", "a string now");
        assertStillWaiting(waiter);
        assertEquals(1, blockedClients(admin));
        admin.del("shifty");
        admin.rpush("shifty", "a list again");
        assertEquals(List.of("shifty", "a list again"), result(waiter));
    }

    @ParameterizedTest
    @MethodSource(SideBySideClients.SERVERS)
    void clientUnblockEndsTheWaitWithTheTimeoutReplyOrAnError(String server) throws Exception {
        Jedis admin = admin(server);
        Jedis waiting = clients.jedis(server);
        long id = waiting.clientId();
        Future<KeyValue<String, String>> timedOut = clients.inBackground(() -> waiting.blpop(0.0, "k"));
        awaitBlocked(admin, 1);
        assertEquals(1, admin.clientUnblock(id, UnblockType.TIMEOUT));
        assertNull(result(timedOut));

        Future<String> failed = clients.inBackground(
                () -> waiting.blmove("k", "d", ListDirection.LEFT, ListDirection.LEFT, 0));
        awaitBlocked(admin, 1);
        assertEquals(1, admin.clientUnblock(id, UnblockType.ERROR));
        ExecutionException error = assertThrows(ExecutionException.class, () -> result(failed));
        assertTrue(error.getCause() instanceof JedisDataException);
        assertEquals("UNBLOCKED client unblocked via CLIENT UNBLOCK", error.getCause().getMessage());

        assertEquals(0, admin.clientUnblock(id, UnblockType.ERROR));
        assertEquals("PONG", waiting.ping());
        admin.rpush("k", "kept");
        assertEquals(1, admin.llen("k"));
    }

    @ParameterizedTest
    @MethodSource(SideBySideClients.SERVERS)
    void commandsPipelinedBehindABlockedPopWaitForIt(String server) throws Exception {
        Jedis admin = admin(server);
        RawConnection pipeline = clients.raw(server);
        pipeline.sendRaw(("BLPOP inbox 0\r\nSET after 1\r\nBLPOP inbox 0\r\nPING\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        awaitBlocked(admin, 1);
        pause(QUIET_MILLIS);
        assertNull(admin.get("after"), "the SET behind the blocked BLPOP has not run");
        admin.rpush("inbox", "one", "two");
        assertEquals("*2\r\n$5\r\ninbox\r\n$3\r\none\r\n", text(pipeline.readReply()));
        assertEquals("+OK\r\n", text(pipeline.readReply()));
        assertEquals("*2\r\n$5\r\ninbox\r\n$3\r\ntwo\r\n", text(pipeline.readReply()));
        assertEquals("+PONG\r\n", text(pipeline.readReply()));
        assertEquals("1", admin.get("after"));
    }

    /** A blocking call reaches the slow log when it is served, after the write that served it; a timeout never. */
    @ParameterizedTest
    @MethodSource(SideBySideClients.SERVERS)
    void aBlockedPopIsLoggedAsSlowWhenServedAndNotWhenItTimesOut(String server) throws Exception {
        Jedis admin = admin(server);
        admin.configSet("slowlog-log-slower-than", "0");
        try {
            Future<List<String>> served = blocked(server, admin, c -> c.brpop(0, "jobs"));
            Future<KeyValue<String, String>> timedOut = blocked(server, admin, c -> c.blpop(0.2, "idle"));
            admin.slowlogReset();
            admin.lpush("jobs", "job-1");
            assertEquals(List.of("jobs", "job-1"), result(served));
            assertNull(result(timedOut));
            List<String> logged = admin.slowlogGet().stream().map(entry -> String.join(" ", entry.getArgs())).toList();
            assertEquals(List.of("BRPOP jobs 0", "LPUSH jobs job-1", "SLOWLOG RESET"), logged);
        } finally {
            admin.configSet("slowlog-log-slower-than", "10000");
        }
    }

    @ParameterizedTest
    @MethodSource(SideBySideClients.SERVERS)
    void infoCountsBlockedClientsAndClientListFlagsThem(String server) throws Exception {
        Jedis admin = admin(server);
        Future<List<String>> onQ1 = blocked(server, admin, c -> c.brpop(0, "q1"));
        Future<List<String>> onQ1AndQ2 = blocked(server, admin, c -> c.brpop(0, "q1", "q2"));
        Future<KeyValue<String, String>> withTimeout = blocked(server, admin, c -> c.brpop(30.0, "q3"));
        assertEquals(3, blockedClients(admin));
        assertTrue(admin.info("clients").contains("clients_in_timeout_table:1"), admin.info("clients"));
        long flagged = admin.clientList().lines().filter(line -> line.contains(" flags=b ")).count();
        assertEquals(3, flagged);
        admin.rpush("q2", "x");
        assertEquals(List.of("q2", "x"), result(onQ1AndQ2));
        admin.rpush("q1", "y");
        admin.rpush("q3", "z");
        assertEquals(List.of("q1", "y"), result(onQ1));
        assertEquals("z", result(withTimeout).getValue());
        awaitBlocked(admin, 0);
        assertTrue(admin.info("clients").contains("clients_in_timeout_table:0"));
    }

    @ParameterizedTest
    @MethodSource(SideBySideClients.SERVERS)
    void sortedSetPopsServeTheirWaitersAndLeaveListWaitersWaiting(String server) throws Exception {
        Jedis admin = admin(server);
        Future<List<String>> listWaiter = blocked(server, admin, c -> c.blpop(0, "mixed"));
        Future<KeyValue<String, Tuple>> lowest = blocked(server, admin, c -> c.bzpopmin(0, "mixed"));
        Future<KeyValue<String, Tuple>> highest = blocked(server, admin, c -> c.bzpopmax(0, "other", "mixed"));
        Future<KeyValue<String, List<Tuple>>> rest = blocked(server, admin,
                c -> c.bzmpop(0, SortedSetOption.MIN, 5, "mixed"));
        admin.zadd("mixed", Map.of("a", 1.0, "b", 2.0, "c", 3.0, "d", 4.0));
        assertEquals(new Tuple("a", 1.0), result(lowest).getValue());
        KeyValue<String, Tuple> max = result(highest);
        assertEquals("mixed", max.getKey());
        assertEquals(new Tuple("d", 4.0), max.getValue());
        assertEquals(List.of(new Tuple("b", 2.0), new Tuple("c", 3.0)), result(rest).getValue());
        assertFalse(admin.exists("mixed"));
        assertStillWaiting(listWaiter);
        admin.rpush("mixed", "for the list waiter");
        assertEquals(List.of("mixed", "for the list waiter"), result(listWaiter));
    }

    private static List<byte[]> args(String... words) {
        return Stream.of(words).map(w -> w.getBytes(StandardCharsets.ISO_8859_1)).toList();
    }

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }
}
