package io.postbox.it;

import static io.postbox.it.support.Await.awaitTrue;
import static io.postbox.it.support.ReplicationState.awaitLinkUp;
import static io.postbox.it.support.ReplicationState.info;
import static io.postbox.it.support.ReplicationState.syncsServed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.KeyspaceContents;
import io.postbox.it.support.RedisServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.params.ClientKillParams;

/**
 * Partial resyncs as Redis's PSYNC2 makes them possible, with redis-server masters and replicas around
 * Postbox: a Postbox replica carries its master's stream under the master's ID and offsets, so that
 * after a failover the promoted Postbox continues the master's other replicas and the old master
 * itself, a replica of a Postbox replica continues with the master at the top, and a restart from a
 * snapshot continues where the snapshot stands. Every link also applies the stream to the database the
 * stream had selected. Skipped without redis-server.
 */
class PartialResyncTest {

    private static final int DATABASES = 16;

    @TempDir
    Path dir;

    private static void awaitSameKeys(Jedis master, Jedis replica) throws InterruptedException {
        awaitTrue(() -> KeyspaceContents.of(master, DATABASES).equals(KeyspaceContents.of(replica, DATABASES)),
                "the replica holds what its master holds");
    }

    private static void assertSyncs(Jedis master, int full, int partial) {
        assertEquals(full + "/" + partial, syncsServed(master), "full/partial syncs served");
    }

    private RedisServerProcess startRedis(String name, String... args) throws Exception {
        return RedisServerProcess.startSyncingFromDisk(Files.createDirectories(dir.resolve(name)), args);
    }

    private static String[] replicaOf(int port, String... options) {
        String[] args = new String[options.length + 3];
        System.arraycopy(options, 0, args, 0, options.length);
        args[options.length] = "--replicaof";
        args[options.length + 1] = "127.0.0.1";
        args[options.length + 2] = Integer.toString(port);
        return args;
    }

    /** A Redis master does not select the database again when its stream continues: Postbox's link keeps it. */
    @Test
    void aContinuedLinkAppliesTheStreamToTheDatabaseItHadSelected() throws Exception {
        try (RedisServerProcess redis = startRedis("master");
             InJvmPostbox postbox = InJvmPostbox.start(replicaOf(redis.port()));
             Jedis master = new Jedis("127.0.0.1", redis.port());
             Jedis replica = new Jedis("127.0.0.1", postbox.port())) {
            awaitLinkUp(replica);
            master.select(3);
            master.rpush("queue", "m1");
            assertEquals(1, master.waitReplicas(1, 10_000));
            replica.clientKill(ClientKillParams.clientKillParams().type(ClientType.MASTER));
            awaitTrue(() -> info(master, "stats").get("sync_partial_ok").equals("1"), "continued");
            master.rpush("queue", "m2");
            assertEquals(1, master.waitReplicas(1, 10_000));
            assertEquals(KeyspaceContents.of(master, DATABASES), KeyspaceContents.of(replica, DATABASES));
        }
    }

    /**
     * A Redis replica names its stream's database in the snapshot it sends (repl-stream-db), and selects
     * none after.
     */
    @Test
    void aFullSyncFromARedisReplicaStartsInTheDatabaseItsSnapshotNames() throws Exception {
        try (RedisServerProcess redis = startRedis("master");
             RedisServerProcess middle = startRedis("middle", "--replicaof", "127.0.0.1",
                     Integer.toString(redis.port()));
             Jedis master = new Jedis("127.0.0.1", redis.port());
             Jedis onMiddle = new Jedis("127.0.0.1", middle.port())) {
            awaitLinkUp(onMiddle);
            master.select(5);
            master.rpush("queue", "m1");
            assertEquals(1, master.waitReplicas(1, 10_000));
            try (InJvmPostbox postbox = InJvmPostbox.start(replicaOf(middle.port()));
                 Jedis replica = new Jedis("127.0.0.1", postbox.port())) {
                awaitLinkUp(replica);
                master.rpush("queue", "m2");
                awaitSameKeys(master, replica);
            }
        }
    }

    /**
     * Sentinel's failover by hand: Postbox promoted, then the master's other replicas (a redis-server and
     * a Postbox) and the old master itself follow it. Each continues where it was, none syncs in full.
     */
    @Test
    void afterAFailoverTheOtherReplicasAndTheOldMasterContinueWithThePromotedPostbox() throws Exception {
        // No PING from the master between the promotion and the others' switch, which would put them past it.
        try (RedisServerProcess redis = startRedis("master", "--repl-ping-replica-period", "3600");
             InJvmPostbox promoted = InJvmPostbox.start(replicaOf(redis.port()));
             RedisServerProcess redisReplica = startRedis("replica", "--replicaof", "127.0.0.1",
                     Integer.toString(redis.port()));
             InJvmPostbox postboxReplica = InJvmPostbox.start(replicaOf(redis.port()));
             Jedis master = new Jedis("127.0.0.1", redis.port());
             Jedis onPromoted = new Jedis("127.0.0.1", promoted.port());
             Jedis onRedisReplica = new Jedis("127.0.0.1", redisReplica.port());
             Jedis onPostboxReplica = new Jedis("127.0.0.1", postboxReplica.port())) {
            awaitLinkUp(onPromoted);
            awaitLinkUp(onPostboxReplica);
            master.rpush("queue", "m1", "m2");
            master.select(2);
            master.zadd("delayed", 10, "j1");
            assertEquals(3, master.waitReplicas(3, 10_000));
            String oldId = info(master, "replication").get("master_replid");
            long promotedAt = Long.parseLong(info(master, "replication").get("master_repl_offset"));

            assertEquals("OK", onPromoted.replicaofNoOne());
            Map<String, String> replication = info(onPromoted, "replication");
            assertEquals(oldId, replication.get("master_replid2"));
            assertEquals(Long.toString(promotedAt + 1), replication.get("second_repl_offset"));
            onRedisReplica.replicaof("127.0.0.1", promoted.port());
            onPostboxReplica.replicaof("127.0.0.1", promoted.port());
            master.replicaof("127.0.0.1", promoted.port());
            onPromoted.select(2);
            onPromoted.zadd("delayed", 20, "j2");
            assertEquals(3, onPromoted.waitReplicas(3, 10_000));
            assertSyncs(onPromoted, 0, 3);
            for (Jedis replica : new Jedis[] {onRedisReplica, onPostboxReplica, master}) {
                assertEquals(KeyspaceContents.of(onPromoted, DATABASES), KeyspaceContents.of(replica, DATABASES));
                assertEquals(info(onPromoted, "replication").get("master_replid"),
                        info(replica, "replication").get("master_replid"));
            }
        }
    }

    /**
     * The reverse: a Postbox master fails over to its redis-server replica. The old master and a Postbox
     * replica continue with the promoted Redis, which names a new ID in its +CONTINUE.
     */
    @Test
    void aDemotedPostboxMasterAndItsPostboxReplicaContinueWithAPromotedRedis() throws Exception {
        try (InJvmPostbox oldMaster = InJvmPostbox.start("--repl-ping-replica-period", "3600");
             Jedis onOldMaster = new Jedis("127.0.0.1", oldMaster.port());
             RedisServerProcess redis = startRedis("replica", "--replicaof", "127.0.0.1",
                     Integer.toString(oldMaster.port()));
             InJvmPostbox postboxReplica = InJvmPostbox.start(replicaOf(oldMaster.port()));
             Jedis onRedis = new Jedis("127.0.0.1", redis.port());
             Jedis onPostboxReplica = new Jedis("127.0.0.1", postboxReplica.port())) {
            awaitLinkUp(onPostboxReplica);
            onOldMaster.select(4);
            onOldMaster.rpush("queue", "m1");
            assertEquals(2, onOldMaster.waitReplicas(2, 10_000));

            assertEquals("OK", onRedis.replicaofNoOne());
            onPostboxReplica.replicaof("127.0.0.1", redis.port());
            onOldMaster.replicaof("127.0.0.1", redis.port());
            awaitLinkUp(onOldMaster);
            onRedis.select(4);
            onRedis.rpush("queue", "m2");
            assertEquals(2, onRedis.waitReplicas(2, 10_000));
            assertSyncs(onRedis, 0, 2);
            String newId = info(onRedis, "replication").get("master_replid");
            for (Jedis replica : new Jedis[] {onOldMaster, onPostboxReplica}) {
                assertEquals(KeyspaceContents.of(onRedis, DATABASES), KeyspaceContents.of(replica, DATABASES));
                assertEquals(newId, info(replica, "replication").get("master_replid"));
            }
        }
    }

    /**
     * Redis Sentinel's failover of a Postbox master with two Postbox replicas: whichever it promotes, the
     * other follows it with its own commands (REPLICAOF in a MULTI with CONFIG REWRITE) and continues.
     */
    @Test
    void afterSentinelsFailoverTheOtherPostboxReplicaContinuesWithTheNewMaster() throws Exception {
        InJvmPostbox master = InJvmPostbox.start();
        String masterPort = Integer.toString(master.port());
        try (Jedis onMaster = new Jedis("127.0.0.1", master.port());
             InJvmPostbox first = InJvmPostbox.start(replicaOf(master.port()));
             InJvmPostbox second = InJvmPostbox.start(replicaOf(master.port()));
             RedisServerProcess sentinel = RedisServerProcess.startSentinel(dir.resolve("sentinel"), master.port());
             Jedis onSentinel = new Jedis("127.0.0.1", sentinel.port())) {
            awaitTrue(() -> onSentinel.sentinelReplicas("queues").stream()
                    .filter(found -> "ok".equals(found.get("master-link-status"))).count() == 2,
                    "the sentinel sees both replicas", 20);
            onMaster.rpush("queue", "m1", "m2");
            assertEquals(2, onMaster.waitReplicas(2, 10_000));
            master.close();
            awaitTrue(() -> !onSentinel.sentinelGetMasterAddrByName("queues").get(1).equals(masterPort),
                    "a replica promoted", 30);
            // Sentinel kills the normal clients of the servers it reconfigures: new connections from here.
            int promotedPort = Integer.parseInt(onSentinel.sentinelGetMasterAddrByName("queues").get(1));
            int otherPort = promotedPort == first.port() ? second.port() : first.port();
            awaitTrue(() -> {
                try (Jedis other = new Jedis("127.0.0.1", otherPort)) {
                    Map<String, String> replication = info(other, "replication");
                    return "up".equals(replication.get("master_link_status"))
                            && replication.get("master_port").equals(Integer.toString(promotedPort));
                } catch (JedisConnectionException killed) {
                    return false;
                }
            }, "the other replica follows the new master", 30);
            try (Jedis promoted = new Jedis("127.0.0.1", promotedPort);
                 Jedis other = new Jedis("127.0.0.1", otherPort)) {
                promoted.rpush("queue", "m3");
                assertEquals(1, promoted.waitReplicas(1, 10_000));
                assertEquals(List.of("m1", "m2", "m3"), other.lrange("queue", 0, -1));
                assertSyncs(promoted, 0, 1);
            }
        } finally {
            master.close();
        }
    }

    /** A chain shares one history: the bottom continues with the middle, and with the top directly. */
    @Test
    void aReplicaOfAPostboxReplicaContinuesWithTheMasterAtTheTop() throws Exception {
        try (RedisServerProcess top = startRedis("top");
             InJvmPostbox middle = InJvmPostbox.start(replicaOf(top.port()));
             Jedis master = new Jedis("127.0.0.1", top.port());
             Jedis onMiddle = new Jedis("127.0.0.1", middle.port())) {
            awaitLinkUp(onMiddle);
            try (RedisServerProcess bottom = startRedis("bottom", "--replicaof", "127.0.0.1",
                    Integer.toString(middle.port()));
                 Jedis onBottom = new Jedis("127.0.0.1", bottom.port())) {
                awaitLinkUp(onBottom);
                master.select(6);
                master.rpush("queue", "m1");
                awaitSameKeys(master, onBottom);
                Map<String, String> atTop = info(master, "replication");
                awaitTrue(() -> info(onBottom, "replication").get("master_repl_offset")
                        .equals(atTop.get("master_repl_offset")), "the bottom at the top's offset");
                assertEquals(atTop.get("master_replid"), info(onBottom, "replication").get("master_replid"));

                onMiddle.clientKill(ClientKillParams.clientKillParams().type(ClientType.REPLICA));
                master.rpush("queue", "m2");
                awaitSameKeys(master, onBottom);
                assertSyncs(onMiddle, 1, 1);

                onBottom.replicaof("127.0.0.1", top.port());
                master.rpush("queue", "m3");
                awaitTrue(() -> info(master, "stats").get("sync_partial_ok").equals("1"),
                        "the bottom continues with the top");
                awaitSameKeys(master, onBottom);
                assertSyncs(master, 1, 1);
            }
        }
    }

    /** A replica restarted from its snapshot asks its master to continue from there, as Redis's does. */
    @Test
    void aRestartedPostboxReplicaContinuesFromItsSnapshot() throws Exception {
        Path replicaDir = Files.createDirectories(dir.resolve("postbox"));
        try (RedisServerProcess redis = startRedis("master");
             Jedis master = new Jedis("127.0.0.1", redis.port())) {
            try (InJvmPostbox postbox = InJvmPostbox.start(replicaOf(redis.port(), "--dir", replicaDir.toString()));
                 Jedis replica = new Jedis("127.0.0.1", postbox.port())) {
                awaitLinkUp(replica);
                master.select(7);
                master.rpush("queue", "m1");
                assertEquals(1, master.waitReplicas(1, 10_000));
                assertEquals("OK", replica.save());
                master.rpush("queue", "m2");
                assertEquals(1, master.waitReplicas(1, 10_000));
            }
            master.rpush("queue", "m3");
            try (InJvmPostbox restarted = InJvmPostbox.start(replicaOf(redis.port(), "--dir", replicaDir.toString()));
                 Jedis replica = new Jedis("127.0.0.1", restarted.port())) {
                awaitLinkUp(replica);
                master.rpush("queue", "m4");
                awaitSameKeys(master, replica);
                assertSyncs(master, 1, 1);
            }
        }
    }

    /**
     * A Postbox master in {@code masterDir}, {@code onRedis} its replica: {@code writes} run on it, the
     * replica acknowledges them, and the master saves and stops. Returns the master's replication ID.
     */
    private static String savedMasterWithReplica(Path masterDir, Jedis onRedis, Consumer<Jedis> writes)
            throws Exception {
        try (InJvmPostbox postbox = InJvmPostbox.start("--dir", masterDir.toString());
             Jedis master = new Jedis("127.0.0.1", postbox.port())) {
            onRedis.replicaof("127.0.0.1", postbox.port());
            awaitLinkUp(onRedis);
            writes.accept(master);
            assertEquals(1, master.waitReplicas(1, 10_000));
            assertEquals("OK", master.save());
            return info(master, "replication").get("master_replid");
        }
    }

    /**
     * A master restarted from its snapshot keeps the snapshot's history as its second ID: its redis-server
     * replica continues. Redis's own tools read the replication fields of the file.
     */
    @Test
    void aRestartedPostboxMasterContinuesWithItsRedisReplica() throws Exception {
        Path masterDir = Files.createDirectories(dir.resolve("postbox"));
        try (RedisServerProcess redis = startRedis("replica");
             Jedis onRedis = new Jedis("127.0.0.1", redis.port())) {
            String oldId = savedMasterWithReplica(masterDir, onRedis, master -> {
                master.select(2);
                master.rpush("queue", "m1");
            });
            String check = RedisServerProcess.tool("redis-check-rdb", masterDir.resolve("dump.rdb").toString())
                    .output();
            assertTrue(check.contains("AUX FIELD repl-id = '" + oldId + "'"), check);
            assertTrue(check.contains("AUX FIELD repl-stream-db = '2'"), check);
            try (InJvmPostbox restarted = InJvmPostbox.start("--dir", masterDir.toString());
                 Jedis master = new Jedis("127.0.0.1", restarted.port())) {
                assertEquals(oldId, info(master, "replication").get("master_replid2"));
                onRedis.replicaof("127.0.0.1", restarted.port());
                master.select(2);
                master.rpush("queue", "m2");
                assertEquals(1, master.waitReplicas(1, 10_000));
                assertSyncs(master, 0, 1);
                assertEquals(KeyspaceContents.of(master, DATABASES), KeyspaceContents.of(onRedis, DATABASES));
            }
        }
    }

    /**
     * Keys the restart's load found expired are still on the replica: the master continues with a DEL
     * for each, as Redis's puts them in its backlog.
     */
    @Test
    void aRestartedMasterContinuesWithADeletionOfEachKeyItsLoadFoundExpired() throws Exception {
        Path masterDir = Files.createDirectories(dir.resolve("postbox"));
        try (RedisServerProcess redis = startRedis("replica");
             Jedis onRedis = new Jedis("127.0.0.1", redis.port())) {
            savedMasterWithReplica(masterDir, onRedis, master -> {
                master.rpush("queue", "m1");
                master.select(3);
                master.psetex("lock", 300, "worker-1");
            });
            Thread.sleep(400);
            try (InJvmPostbox restarted = InJvmPostbox.start("--dir", masterDir.toString());
                 Jedis master = new Jedis("127.0.0.1", restarted.port())) {
                assertEquals("1", info(master, "persistence").get("rdb_last_load_keys_expired"));
                onRedis.replicaof("127.0.0.1", restarted.port());
                awaitTrue(() -> info(master, "stats").get("sync_partial_ok").equals("1"), "continued");
                awaitTrue(() -> onRedis.dbSize() == 1, "the lock deleted on the replica");
                assertSyncs(master, 0, 1);
                assertEquals(KeyspaceContents.of(master, DATABASES), KeyspaceContents.of(onRedis, DATABASES));
            }
        }
    }
}
