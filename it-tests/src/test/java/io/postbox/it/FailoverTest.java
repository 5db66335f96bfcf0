package io.postbox.it;

import static io.postbox.it.support.Await.awaitTrue;
import static io.postbox.it.support.ReplicationState.awaitLinkUp;
import static io.postbox.it.support.ReplicationState.info;
import static io.postbox.it.support.ReplicationState.syncsServed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static redis.clients.jedis.Protocol.Command.FAILOVER;

import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.KeyspaceContents;
import io.postbox.it.support.RawConnection;
import io.postbox.it.support.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.FailoverParams;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * FAILOVER, Redis 6.2's coordinated failover, between Postbox and redis-server in both roles: the master
 * pauses writes until a replica has the whole stream, then follows it, and the replica takes over
 * when the master's PSYNC says FAILOVER. Nothing is synced in full, and writes sent to the old master
 * meanwhile get -READONLY once it follows. Its errors, and a failover that times out, side by side
 * with a redis-server master. Skipped without redis-server.
 */
class FailoverTest {

    private static final int DATABASES = 16;

    @TempDir
    Path dir;

    private RedisServerProcess startRedis(String name, String... args) throws Exception {
        return RedisServerProcess.startSyncingFromDisk(Files.createDirectories(dir.resolve(name)), args);
    }

    private static void signal(RedisServerProcess process, String signal) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor());
    }

    @Test
    void postboxHandsItsRoleToItsRedisReplica() throws Exception {
        try (InJvmPostbox postbox = InJvmPostbox.start();
             Jedis onPostbox = new Jedis("127.0.0.1", postbox.port());
             RedisServerProcess redis = startRedis("replica", "--replicaof", "127.0.0.1",
                     Integer.toString(postbox.port()));
             Jedis onRedis = new Jedis("127.0.0.1", redis.port())) {
            awaitLinkUp(onRedis);
            onPostbox.select(2);
            onPostbox.rpush("queue", "m1", "m2");
            assertEquals(1, onPostbox.waitReplicas(1, 10_000));

            assertEquals("OK", onPostbox.failover());
            awaitTrue(() -> "master".equals(onRedis.role().get(0)), "the replica took over");
            awaitLinkUp(onPostbox);
            assertEquals("no-failover", info(onPostbox, "replication").get("master_failover_state"));
            JedisDataException refused = assertThrows(JedisDataException.class, () -> onPostbox.rpush("queue", "x"));
            assertEquals("READONLY You can't write against a read only replica.", refused.getMessage());
            onRedis.select(2);
            onRedis.rpush("queue", "m3");
            assertEquals(1, onRedis.waitReplicas(1, 10_000));
            assertEquals(KeyspaceContents.of(onRedis, DATABASES), KeyspaceContents.of(onPostbox, DATABASES));
            assertEquals("0/1", syncsServed(onRedis), "the old master continued");
        }
    }

    @Test
    void aRedisMasterHandsItsRoleToPostbox() throws Exception {
        try (RedisServerProcess redis = startRedis("master");
             Jedis onRedis = new Jedis("127.0.0.1", redis.port());
             InJvmPostbox postbox = InJvmPostbox.start("--replicaof", "127.0.0.1", Integer.toString(redis.port()));
             Jedis onPostbox = new Jedis("127.0.0.1", postbox.port())) {
            awaitLinkUp(onPostbox);
            onRedis.zadd("delayed", 10, "j1");
            assertEquals(1, onRedis.waitReplicas(1, 10_000));

            assertEquals("OK", onRedis.failover(FailoverParams.failoverParams()
                    .to("127.0.0.1", postbox.port())));
            awaitTrue(() -> "master".equals(onPostbox.role().get(0)), "Postbox took over");
            awaitLinkUp(onRedis);
            onPostbox.zadd("delayed", 20, "j2");
            assertEquals(1, onPostbox.waitReplicas(1, 10_000));
            assertEquals(KeyspaceContents.of(onPostbox, DATABASES), KeyspaceContents.of(onRedis, DATABASES));
            assertEquals("0/1", syncsServed(onPostbox), "the old master continued");
        }
    }

    /** A PSYNC FAILOVER that names another history than the replica's is refused, and the replica stays one. */
    @Test
    void aReplicaRefusesAFailoverPsyncForAnotherHistory() throws Exception {
        try (RedisServerProcess redis = startRedis("master");
             RedisServerProcess redisReplica = startRedis("replica", "--replicaof", "127.0.0.1",
                     Integer.toString(redis.port()));
             InJvmPostbox postbox = InJvmPostbox.start("--replicaof", "127.0.0.1", Integer.toString(redis.port()))) {
            List<String> seen = new ArrayList<>();
            for (int port : List.of(redisReplica.port(), postbox.port())) {
                try (Jedis replica = new Jedis("127.0.0.1", port);
                     RawConnection wouldBeMaster = new RawConnection(port)) {
                    awaitLinkUp(replica);
                    seen.add(new String(wouldBeMaster.call("PSYNC", "0123456789012345678901234567890123456789", "1",
                            "FAILOVER"), StandardCharsets.US_ASCII));
                    seen.add(replica.role().get(0).toString());
                }
            }
            assertEquals(List.of("-ERR PSYNC FAILOVER replid must match my replid.\r\n", "slave"), seen.subList(0, 2),
                    "on the Redis replica");
            assertEquals(seen.subList(0, 2), seen.subList(2, 4), "on Postbox");
        }
    }

    /** No redis-server needed: Postbox hands its role to a Postbox replica. */
    @Test
    void postboxHandsItsRoleToAPostboxReplica() throws Exception {
        try (InJvmPostbox master = InJvmPostbox.start();
             Jedis onMaster = new Jedis("127.0.0.1", master.port());
             InJvmPostbox replica = InJvmPostbox.start("--replicaof", "127.0.0.1", Integer.toString(master.port()));
             Jedis onReplica = new Jedis("127.0.0.1", replica.port())) {
            awaitLinkUp(onReplica);
            onMaster.rpush("queue", "m1");
            assertEquals("OK", onMaster.failover());
            awaitTrue(() -> "master".equals(onReplica.role().get(0)), "the replica took over");
            awaitLinkUp(onMaster);
            onReplica.rpush("queue", "m2");
            assertEquals(1, onReplica.waitReplicas(1, 10_000));
            assertEquals(List.of("m1", "m2"), onMaster.lrange("queue", 0, -1));
            assertEquals("0", info(onReplica, "stats").get("sync_full"));
        }
    }

    /**
     * Under a producer's load, every push the old master acknowledged is on the new master, once: the
     * producer's pushes after the hand-over get -READONLY. With a redis-server replica, then a Postbox one.
     */
    @Test
    void noAcknowledgedPushIsLostWhenAFailoverHappensUnderLoad() throws Exception {
        try (InJvmPostbox master = InJvmPostbox.start();
             RedisServerProcess redis = startRedis("replica", "--replicaof", "127.0.0.1",
                     Integer.toString(master.port()))) {
            assertEveryAcknowledgedPushSurvives(master.port(), redis.port());
        }
        try (InJvmPostbox master = InJvmPostbox.start();
             InJvmPostbox replica = InJvmPostbox.start("--replicaof", "127.0.0.1", Integer.toString(master.port()))) {
            assertEveryAcknowledgedPushSurvives(master.port(), replica.port());
        }
    }

    private static void assertEveryAcknowledgedPushSurvives(int masterPort, int replicaPort) throws Exception {
        try (Jedis producer = new Jedis("127.0.0.1", masterPort);
             Jedis onMaster = new Jedis("127.0.0.1", masterPort);
             Jedis onReplica = new Jedis("127.0.0.1", replicaPort)) {
            awaitLinkUp(onReplica);
            Thread failover = new Thread(() -> {
                try {
                    Thread.sleep(200);
                    onMaster.failover();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            failover.start();
            long acknowledged = 0;
            String refusal = null;
            while (refusal == null) {
                try {
                    producer.rpush("queue", Long.toString(acknowledged));
                    acknowledged++;
                } catch (JedisDataException e) {
                    refusal = e.getMessage();
                }
            }
            failover.join();
            assertEquals("READONLY You can't write against a read only replica.", refusal);
            long pushed = acknowledged;
            awaitTrue(() -> "master".equals(onReplica.role().get(0)), "the replica took over");
            List<String> queue = onReplica.lrange("queue", 0, -1);
            assertEquals(pushed, queue.size(), "every acknowledged push, once");
            for (int i = 0; i < queue.size(); i++) {
                assertEquals(Integer.toString(i), queue.get(i));
            }
        }
    }

    /**
     * A failover whose replica cannot catch up (it is stopped): its errors while it waits, a write held
     * until it ends, and its end by timeout or by ABORT, on a redis-server master and on Postbox.
     */
    @Test
    void aFailoverWaitingForItsReplicaAnswersAsRedisDoes() throws Exception {
        try (RedisServerProcess redis = startRedis("master");
             InJvmPostbox postbox = InJvmPostbox.start()) {
            List<List<String>> seen = new ArrayList<>();
            for (int port : List.of(redis.port(), postbox.port())) {
                seen.add(waitingFailover(port));
            }
            assertEquals(seen.get(0), seen.get(1));
        }
    }

    private List<String> waitingFailover(int masterPort) throws Exception {
        List<String> seen = new ArrayList<>();
        try (Jedis master = new Jedis("127.0.0.1", masterPort);
             RedisServerProcess replica = startRedis("replica-" + masterPort, "--replicaof", "127.0.0.1",
                     Integer.toString(masterPort));
             Jedis onReplica = new Jedis("127.0.0.1", replica.port());
             RawConnection writer = new RawConnection(masterPort)) {
            awaitLinkUp(onReplica);
            for (Function<Jedis, Object> command : List.<Function<Jedis, Object>>of(
                    jedis -> jedis.sendCommand(FAILOVER, "ABORT"),
                    jedis -> jedis.sendCommand(FAILOVER, "FORCE"),
                    jedis -> jedis.sendCommand(FAILOVER, "TIMEOUT", "0"),
                    jedis -> jedis.sendCommand(FAILOVER, "TO", "127.0.0.1",
                            "1"))) {
                seen.add(outcome(master, command));
            }
            signal(replica, "STOP");
            try {
                master.rpush("queue", "behind");
                seen.add(outcome(master, jedis -> jedis.sendCommand(FAILOVER,
                        "TIMEOUT", "100000")));
                seen.add(info(master, "replication").get("master_failover_state"));
                seen.add(outcome(master, jedis -> jedis.sendCommand(FAILOVER)));
                seen.add(outcome(master, jedis -> jedis.replicaofNoOne()));
                try (RawConnection wouldBeReplica = new RawConnection(masterPort)) {
                    seen.add(new String(wouldBeReplica.call("PSYNC", "?", "-1"), StandardCharsets.US_ASCII));
                }
                writer.send(RawConnection.command("RPUSH", "queue", "held"));
                seen.add(Boolean.toString(writer.closedByPeer(200)));
                seen.add(outcome(master, jedis -> jedis.sendCommand(FAILOVER,
                        "ABORT")));
                seen.add(new String(writer.readReply(), StandardCharsets.US_ASCII));
                seen.add(info(master, "replication").get("master_failover_state"));

                seen.add(outcome(master, jedis -> jedis.sendCommand(FAILOVER,
                        "TIMEOUT", "300")));
                awaitTrue(() -> "no-failover".equals(info(master, "replication").get("master_failover_state")),
                        "the failover timed out");
                seen.add(master.role().get(0).toString());
            } finally {
                signal(replica, "CONT");
            }
            master.del("queue");
        }
        return seen;
    }

    /**
     * A replica still waiting for its snapshot (the master's save slowed by rdb-key-save-delay) is no
     * target: FAILOVER TO it is refused, and a FAILOVER to any replica waits for one to catch up, until
     * aborted, as in Redis. On a redis-server master and on Postbox.
     */
    @Test
    void aReplicaWaitingForItsSnapshotIsNoFailoverTarget() throws Exception {
        try (RedisServerProcess redis = startRedis("master");
             InJvmPostbox postbox = InJvmPostbox.start()) {
            List<List<String>> seen = new ArrayList<>();
            for (int port : List.of(redis.port(), postbox.port())) {
                seen.add(failoverToASyncingReplica(port));
            }
            assertEquals(List.of("ERR FAILOVER target replica is not online.", "OK", "waiting-for-sync", "OK",
                    "no-failover"), seen.get(0), "the reference itself");
            assertEquals(seen.get(0), seen.get(1));
        }
    }

    private List<String> failoverToASyncingReplica(int masterPort) throws Exception {
        try (Jedis master = new Jedis("127.0.0.1", masterPort)) {
            for (int i = 0; i < 100; i++) {
                master.rpush("queue:" + i, "message");
            }
            master.configSet("rdb-key-save-delay", "100000");
            try (RedisServerProcess replica = startRedis("syncing-" + masterPort, "--replicaof", "127.0.0.1",
                    Integer.toString(masterPort))) {
                awaitTrue(() -> info(master, "replication").getOrDefault("slave0", "").contains("state=wait_bgsave"),
                        "the replica waiting for its snapshot");
                // Past the offset the replica was attached at: it is behind, whatever that offset was.
                master.rpush("queue:0", "behind");
                return List.of(outcome(master, jedis -> jedis.sendCommand(FAILOVER, "TO", "127.0.0.1",
                                Integer.toString(replica.port()))),
                        outcome(master, jedis -> jedis.sendCommand(FAILOVER)),
                        info(master, "replication").get("master_failover_state"),
                        outcome(master, jedis -> jedis.sendCommand(FAILOVER, "ABORT")),
                        info(master, "replication").get("master_failover_state"));
            } finally {
                master.configSet("rdb-key-save-delay", "0");
                master.flushAll();
            }
        }
    }

    private static String outcome(Jedis jedis, Function<Jedis, Object> command) {
        try {
            Object reply = command.apply(jedis);
            return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply);
        } catch (JedisDataException e) {
            return e.getMessage();
        }
    }
}
