package io.postbox.it;

import static io.postbox.it.support.BlockedClients.awaitBlocked;
import static io.postbox.it.support.BlockedClients.blockedClients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostboxExtension;
import io.postbox.it.support.RawConnection;
import io.postbox.it.support.SideBySideClients;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.UnblockType;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * WAIT on a server without replicas, against Postbox and against the reference Redis: a WAIT for one
 * replica or more blocks the client as a blocking pop does, until its timeout, CLIENT UNBLOCK or a
 * disconnect, and answers 0; a WAIT for none, or inside EXEC, answers 0 at once. And min-replicas-to-write,
 * which no write can meet.
 */
class WaitForReplicasTest {

    @RegisterExtension
    static final InJvmPostboxExtension postbox = new InJvmPostboxExtension();
    @RegisterExtension
    final SideBySideClients clients = new SideBySideClients(postbox);

    /** A connection for checks, once clients that earlier tests left blocked are gone: the tests count them. */
    private Jedis admin(String server) {
        Jedis admin = clients.jedis(server);
        awaitBlocked(admin, 0);
        admin.configResetStat();
        return admin;
    }

    @ParameterizedTest
    @MethodSource(SideBySideClients.SERVERS)
    void aWaitForAReplicaBlocksUntilItsTimeoutAndHoldsBackWhatFollows(String server) throws Exception {
        Jedis admin = admin(server);
        RawConnection pipeline = clients.raw(server);
        long started = System.nanoTime();
        pipeline.sendRaw("WAIT 1 400\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
        awaitBlocked(admin, 1);
        String client = admin.clientList().lines().filter(line -> line.contains(" cmd=wait ")).findFirst()
                .orElseThrow();
        assertTrue(client.contains(" flags=b "), client);
        assertTrue(admin.info("clients").contains("clients_in_timeout_table:1"), admin.info("clients"));

        assertEquals(":0\r\n", text(pipeline.readReply()));
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals("+PONG\r\n", text(pipeline.readReply()));
        assertTrue(waitedMillis >= 400, "answered after " + waitedMillis + " ms");
        awaitBlocked(admin, 0);
    }

    @ParameterizedTest
    @MethodSource(SideBySideClients.SERVERS)
    void clientUnblockEndsItWithZeroOrAnErrorAndBothCountAsFailedCalls(String server) throws Exception {
        Jedis admin = admin(server);
        Jedis waiting = clients.jedis(server);
        long id = waiting.clientId();
        Future<Long> timedOut = clients.inBackground(() -> waiting.waitReplicas(1, 0));
        awaitBlocked(admin, 1);
        assertTrue(admin.info("clients").contains("clients_in_timeout_table:0"), admin.info("clients"));
        assertEquals(1, admin.clientUnblock(id, UnblockType.TIMEOUT));
        assertEquals(0, result(timedOut));

        Future<Long> failed = clients.inBackground(() -> waiting.waitReplicas(2, 60_000));
        awaitBlocked(admin, 1);
        assertEquals(1, admin.clientUnblock(id, UnblockType.ERROR));
        ExecutionException error = assertThrows(ExecutionException.class, () -> result(failed));
        assertTrue(error.getCause() instanceof JedisDataException);
        assertEquals("UNBLOCKED client unblocked via CLIENT UNBLOCK", error.getCause().getMessage());
        assertEquals("PONG", waiting.ping());

        Map<String, String> stats = commandStats(admin);
        assertTrue(stats.get("wait").contains("calls=2,") && stats.get("wait").endsWith("failed_calls=2"),
                stats.get("wait"));
        // Redis counts a call failed when an error reply went out during it, even to the unblocked client.
        assertTrue(stats.get("client|unblock").endsWith("failed_calls=1"), stats.get("client|unblock"));
        assertTrue(admin.info("errorstats").contains("errorstat_UNBLOCKED:count=1"), admin.info("errorstats"));
    }

    @ParameterizedTest
    @MethodSource(SideBySideClients.SERVERS)
    void aClientThatLeavesWhileWaitingLeavesNoTrace(String server) throws Exception {
        Jedis admin = admin(server);
        RawConnection leaving = clients.raw(server);
        leaving.sendRaw("WAIT 3 0\r\n".getBytes(StandardCharsets.US_ASCII));
        awaitBlocked(admin, 1);
        leaving.close();
        awaitBlocked(admin, 0);
        assertEquals("PONG", admin.ping());
    }

    @ParameterizedTest
    @MethodSource(SideBySideClients.SERVERS)
    void aWaitForNoReplicaOrInsideExecAnswersAtOnce(String server) throws Exception {
        Jedis admin = admin(server);
        Jedis jedis = clients.jedis(server);
        // With timeout 0, a WAIT that blocked would never answer.
        assertEquals(0, result(clients.inBackground(() -> jedis.waitReplicas(0, 0))));
        assertEquals(0, result(clients.inBackground(() -> jedis.waitReplicas(-1, 0))));
        Transaction multi = jedis.multi();
        multi.waitReplicas(1, 0);
        assertEquals(List.of(0L), result(clients.inBackground(multi::exec)));
        assertEquals(0, blockedClients(admin));
    }

    @ParameterizedTest
    @MethodSource(SideBySideClients.SERVERS)
    void infoCountsTheGoodReplicasWhileMinReplicasToWriteIsOn(String server) {
        Jedis admin = admin(server);
        assertFalse(admin.info("replication").contains("min_slaves_good_slaves"));
        admin.configSet("min-replicas-to-write", "1");
        try {
            assertTrue(admin.info("replication").contains("\r\nmin_slaves_good_slaves:0\r\n"),
                    admin.info("replication"));
            JedisDataException refused = assertThrows(JedisDataException.class, () -> admin.set("k", "v"));
            assertEquals("NOREPLICAS Not enough good replicas to write.", refused.getMessage());
        } finally {
            admin.configSet("min-replicas-to-write", "0");
        }
    }

    private static <T> T result(Future<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    /** INFO commandstats, the part after "cmdstat_" of each line by its command. */
    private static Map<String, String> commandStats(Jedis admin) {
        Map<String, String> stats = new HashMap<>();
        admin.info("commandstats").lines().filter(line -> line.startsWith("cmdstat_")).forEach(line -> {
            int colon = line.indexOf(':');
            stats.put(line.substring("cmdstat_".length(), colon), line.substring(colon + 1));
        });
        return stats;
    }

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }
}
