package io.postbox.it;

import static io.postbox.it.support.Await.awaitTrue;
import static io.postbox.it.support.ReplicationState.awaitLinkUp;
import static io.postbox.it.support.ReplicationState.info;
import static io.postbox.it.support.ReplicationState.syncsServed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.InfoFields;
import io.postbox.it.support.KeyspaceContents;
import io.postbox.it.support.PackagedPostbox;
import io.postbox.it.support.QueueWrites;
import io.postbox.it.support.RawConnection;
import io.postbox.it.support.RedisServerProcess;
import io.postbox.it.support.ReferenceRedis;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ClientKillParams;
import redis.clients.jedis.params.SetParams;

/**
 * Postbox as a replica ({@code REPLICAOF host port}, {@code --replicaof}): it takes a full sync from a
 * redis-server master, or from another Postbox, then applies the master's stream, acknowledges it (the
 * master's WAIT counts it), refuses other clients' writes as a Redis replica does, continues from the
 * master's backlog after a lost link, and becomes a master with its data on {@code REPLICAOF NO ONE}
 * or when Redis Sentinel promotes it. The tests with a redis-server are skipped without one.
 */
class FollowingMasterTest {

    private static final int DATABASES = 16;

    @TempDir
    Path dir;

    private RedisServerProcess startRedis(String name, String... args) throws Exception {
        return RedisServerProcess.start(Files.createDirectories(dir.resolve(name)), args);
    }

    @Test
    void postboxAppliesEveryKindOfQueueWriteOfARedisMaster() throws Exception {
        try (RedisServerProcess redis = startRedis("master");
             Jedis master = new Jedis("127.0.0.1", redis.port())) {
            QueueWrites.fill(master);
            try (InJvmPostbox postbox = InJvmPostbox.start("--replicaof", "127.0.0.1",
                    Integer.toString(redis.port()));
                 Jedis replica = new Jedis("127.0.0.1", postbox.port())) {
                awaitLinkUp(replica);
                QueueWrites.everyKind(master, redis.port());
                Thread.sleep(100);
                master.get("brief");

                assertEquals(1, master.waitReplicas(1, 10_000), "the master counts Postbox's acknowledgement");
                assertEquals(KeyspaceContents.of(master, DATABASES), KeyspaceContents.of(replica, DATABASES));
                String offset = info(master, "replication").get("master_repl_offset");
                awaitTrue(() -> offset.equals(info(replica, "replication").get("slave_repl_offset")),
                        "the replica's offset is the master's");
                assertEquals(List.of("slave", "127.0.0.1", (long) redis.port(), "connected", Long.parseLong(offset)),
                        replica.role());
                Map<String, String> info = info(replica, "replication");
                assertEquals("slave", info.get("role"));
                assertEquals(info(master, "replication").get("master_replid"), info.get("master_replid"));
                assertTrue(replica.clientList(ClientType.MASTER).contains(" flags=M "), replica.clientList());
            }
        }
    }

    /** The same commands on a redis-server replica and on Postbox, both of one master: the same errors. */
    @Test
    void aReadOnlyReplicaRefusesWritesWithRedisErrors() throws Exception {
        try (RedisServerProcess redis = startRedis("master");
             RedisServerProcess redisReplica = startRedis("replica", "--replicaof", "127.0.0.1",
                     Integer.toString(redis.port()));
             InJvmPostbox postbox = InJvmPostbox.start("--replicaof", "127.0.0.1", Integer.toString(redis.port()));
             Jedis master = new Jedis("127.0.0.1", redis.port());
             Jedis onRedis = new Jedis("127.0.0.1", redisReplica.port());
             Jedis onPostbox = new Jedis("127.0.0.1", postbox.port())) {
            master.rpush("queue", "m1");
            assertEquals(2, master.waitReplicas(2, 10_000));
            awaitLinkUp(onRedis);
            awaitLinkUp(onPostbox);
            assertEquals(refusals(onRedis), refusals(onPostbox));
        }
    }

    private static List<String> refusals(Jedis replica) {
        List<Function<Jedis, Object>> commands = List.of(
                jedis -> jedis.rpush("queue", "m2"),
                jedis -> jedis.eval("return redis.call('rpush', KEYS[1], 'm2')", List.of("queue"), List.of()),
                jedis -> jedis.eval("#!lua\nreturn redis.call('rpush', KEYS[1], 'm2')", List.of("queue"), List.of()),
                jedis -> jedis.eval("return redis.call('lrange', KEYS[1], 0, -1)", List.of("queue"), List.of()),
                jedis -> jedis.evalReadonly("return redis.call('llen', KEYS[1])", List.of("queue"), List.of()),
                jedis -> jedis.waitReplicas(1, 10),
                jedis -> jedis.configGet("replicaof"),
                jedis -> jedis.failover(),
                jedis -> {
                    Transaction multi = jedis.multi();
                    multi.llen("queue");
                    multi.rpush("queue", "m2");
                    return multi.exec();
                },
                jedis -> jedis.lrange("queue", 0, -1));
        List<String> outcomes = new ArrayList<>();
        for (Function<Jedis, Object> command : commands) {
            try {
                outcomes.add(String.valueOf(command.apply(replica)));
            } catch (JedisDataException e) {
                outcomes.add(e.getMessage());
            }
        }
        return outcomes;
    }

    /** With the master gone, replica-serve-stale-data no refuses what may read stale data, on both. */
    @Test
    void aReplicaWithoutItsMasterServesStaleDataOnlyIfAllowed() throws Exception {
        RedisServerProcess redis = startRedis("master");
        String masterPort = Integer.toString(redis.port());
        try (RedisServerProcess redisReplica = startRedis("replica", "--replicaof", "127.0.0.1", masterPort);
             InJvmPostbox postbox = InJvmPostbox.start("--replicaof", "127.0.0.1", masterPort);
             Jedis master = new Jedis("127.0.0.1", redis.port());
             Jedis onRedis = new Jedis("127.0.0.1", redisReplica.port());
             Jedis onPostbox = new Jedis("127.0.0.1", postbox.port())) {
            master.rpush("queue", "m1");
            awaitLinkUp(onRedis);
            awaitLinkUp(onPostbox);
            assertEquals(2, master.waitReplicas(2, 10_000));
            // A transaction queued while the link is up, its EXEC sent once it is down.
            List<RawConnection> transactions = List.of(new RawConnection(redisReplica.port()),
                    new RawConnection(postbox.port()));
            for (RawConnection transaction : transactions) {
                transaction.call("MULTI");
                assertEquals("+QUEUED\r\n", text(transaction.call("LLEN", "queue")));
            }
            redis.close();
            List<String> outcomes = new ArrayList<>();
            for (Jedis replica : List.of(onRedis, onPostbox)) {
                awaitTrue(() -> "down".equals(info(replica, "replication").get("master_link_status")), "the link down");
                assertEquals("connect", replica.role().get(3).equals("connecting") ? "connect" : replica.role().get(3));
                assertEquals(-1L, replica.role().get(4), "no offset without a link");
                outcomes.add(replica.lrange("queue", 0, -1).toString());
                replica.configSet("replica-serve-stale-data", "no");
                for (Function<Jedis, Object> command : List.<Function<Jedis, Object>>of(
                        jedis -> jedis.lrange("queue", 0, -1), Jedis::ping, jedis -> jedis.configGet("maxmemory"),
                        jedis -> jedis.evalReadonly("return 1", List.of(), List.of()),
                        jedis -> jedis.eval("#!lua flags=no-writes,allow-stale\nreturn 1", List.of(), List.of()),
                        jedis -> jedis.eval("#!lua flags=no-writes,allow-stale\nreturn redis.call('llen', 'queue')",
                                List.of(), List.of()),
                        jedis -> jedis.eval("#!lua flags=no-writes,allow-stale\nreturn redis.call('ping')", List.of(),
                                List.of()))) {
                    try {
                        outcomes.add(String.valueOf(command.apply(replica)));
                    } catch (JedisDataException e) {
                        outcomes.add(e.getMessage());
                    }
                }
                assertTrue(info(replica, "replication").containsKey("master_link_down_since_seconds"));
            }
            List<String> execs = new ArrayList<>();
            for (RawConnection transaction : transactions) {
                execs.add(text(transaction.call("EXEC")));
                transaction.close();
            }
            assertEquals("-EXECABORT Transaction discarded because of: MASTERDOWN Link with MASTER is down and "
                    + "replica-serve-stale-data is set to 'no'.\r\n", execs.get(0), "on the Redis replica");
            assertEquals(execs.get(0), execs.get(1), "on Postbox");
            // Nor does a replica without its master feed a replica of its own, stale data allowed or not.
            List<String> syncs = new ArrayList<>();
            for (Jedis replica : List.of(onRedis, onPostbox)) {
                replica.configSet("replica-serve-stale-data", "yes");
            }
            for (int port : List.of(redisReplica.port(), postbox.port())) {
                try (RawConnection wouldBeReplica = new RawConnection(port)) {
                    syncs.add(text(wouldBeReplica.call("PSYNC", "?", "-1")));
                }
            }
            assertEquals(List.of("-NOMASTERLINK Can't SYNC while not connected with my master\r\n", syncs.get(0)),
                    List.of(syncs.get(0), syncs.get(1)));
            assertEquals(outcomes.subList(0, outcomes.size() / 2), outcomes.subList(outcomes.size() / 2,
                    outcomes.size()));
        } finally {
            redis.close();
        }
    }

    /**
     * A replica loading its master's snapshot serves clients between steps of the load, as Redis's does:
     * -LOADING to all but the commands flagged {@code loading} (ROLE shows the sync, INFO the load), and
     * the EXEC of a transaction queued before the sync is refused whole. key-load-delay makes the load
     * last seconds, and serving every 1 KB makes it serve often. Side by side with a redis-server replica.
     */
    @Test
    void aReplicaLoadingItsMastersSnapshotAnswersLoadingAsRedisDoes() throws Exception {
        List<List<String>> seen = duringSlowSyncLoads(
                (master, masterPort, port) -> whileLoadingTheMastersSnapshot(port, masterPort));
        String loading = "-LOADING Redis is loading the dataset in memory\r\n";
        assertEquals(List.of(loading, loading, loading, "-EXECABORT Transaction discarded because of: LOADING "
                + "Redis is loading the dataset in memory\r\n"), seen.get(0).subList(0, 4), "the reference itself");
        assertEquals(seen.get(0), seen.get(1));
    }

    /** What a client sees of a replica during and after a full sync, given the master's client and port. */
    private interface SyncProbe {
        List<String> seen(Jedis master, int masterPort, int replicaPort) throws Exception;
    }

    /**
     * What {@code probe} sees of a redis-server replica, then of a Postbox one, each syncing in full from
     * one redis-server master of 20,000 keys, their loads made to last seconds by key-load-delay and to
     * serve clients every 1 KB.
     */
    private List<List<String>> duringSlowSyncLoads(SyncProbe probe) throws Exception {
        try (RedisServerProcess redis = startRedis("master", "--repl-diskless-sync", "no");
             Jedis master = new Jedis("127.0.0.1", redis.port())) {
            master.sendCommand(() -> "DEBUG".getBytes(StandardCharsets.US_ASCII), "POPULATE", "20000");
            String[] slowLoad = {"--key-load-delay", "100", "--loading-process-events-interval-bytes", "1024"};
            List<String> onRedis;
            try (RedisServerProcess replica = startRedis("replica", slowLoad)) {
                onRedis = probe.seen(master, redis.port(), replica.port());
            }
            List<String> onPostbox;
            try (InJvmPostbox replica = InJvmPostbox.start(slowLoad)) {
                onPostbox = probe.seen(master, redis.port(), replica.port());
            }
            return List.of(onRedis, onPostbox);
        }
    }

    /**
     * What a client of the replica on {@code port} sees while it loads a full sync from the master on
     * {@code masterPort}, then once the link is up: replies as text, INFO's loading field.
     */
    private static List<String> whileLoadingTheMastersSnapshot(int port, int masterPort) throws Exception {
        try (RawConnection transaction = new RawConnection(port);
             RawConnection client = new RawConnection(port);
             Jedis admin = new Jedis("127.0.0.1", port)) {
            transaction.call("MULTI");
            transaction.call("GET", "key:1");
            admin.replicaof("127.0.0.1", masterPort);
            awaitTrue(() -> "1".equals(info(admin, "persistence").get("loading")), "the master's snapshot loading");
            List<String> seen = new ArrayList<>(List.of(text(client.call("PING")), text(client.call("GET", "key:1")),
                    text(client.call("EVAL", "return 1", "0")), text(transaction.call("EXEC")),
                    text(client.call("ROLE")), text(client.call("ECHO", "served")),
                    text(client.call("CLIENT", "SETNAME", "meanwhile")),
                    "loading:" + info(admin, "persistence").get("loading")));
            awaitLinkUp(admin);
            seen.addAll(List.of(text(client.call("GET", "key:1")), text(client.call("DBSIZE")),
                    "loading:" + info(admin, "persistence").get("loading")));
            return seen;
        }
    }

    /**
     * SHUTDOWN while a replica loads its master's snapshot ends the load and exits without saving (the
     * dataset is not all there), as Redis does, save points or not: the dump stays the master's, as
     * received. Side by side with a redis-server replica.
     */
    @Test
    void shutdownWhileLoadingTheMastersSnapshotExitsWithoutSavingAsRedisDoes() throws Exception {
        try (RedisServerProcess redis = startRedis("master", "--repl-diskless-sync", "no");
             Jedis master = new Jedis("127.0.0.1", redis.port())) {
            master.sendCommand(() -> "DEBUG".getBytes(StandardCharsets.US_ASCII), "POPULATE", "20000");
            String[] options = {"--save", "3600 1", "--key-load-delay", "100",
                    "--loading-process-events-interval-bytes", "1024"};
            try (RedisServerProcess replica = startRedis("redis-replica", options)) {
                assertShutdownWhileLoading(replica.port(), redis.port(), () -> replica.awaitExit(20),
                        dir.resolve("redis-replica"));
            }
            Path postboxDir = Files.createDirectories(dir.resolve("postbox-replica"));
            try (PackagedPostbox replica = PackagedPostbox.start(postboxDir, options)) {
                assertShutdownWhileLoading(replica.port(), redis.port(), () -> replica.awaitExit(20), postboxDir);
            }
        }
    }

    /**
     * A link the master drops while the replica loads its snapshot: once loaded, the replica continues
     * from it with a partial resync, as a Redis replica does. Side by side with a redis-server replica.
     */
    @Test
    void aLinkLostWhileLoadingTheMastersSnapshotContinuesOnceLoaded() throws Exception {
        List<List<String>> seen = duringSlowSyncLoads(FollowingMasterTest::afterLinkLostWhileLoading);
        assertEquals(List.of("1/1", "20000"), seen.get(0), "the reference itself: one full sync, one partial");
        assertEquals(seen.get(0), seen.get(1));
    }

    /** The syncs the master served (full/partial) and the replica's key count, once linked again. */
    private static List<String> afterLinkLostWhileLoading(Jedis master, int masterPort, int port) throws Exception {
        try (Jedis replica = new Jedis("127.0.0.1", port)) {
            master.configResetStat();
            replica.replicaof("127.0.0.1", masterPort);
            awaitTrue(() -> "1".equals(info(replica, "persistence").get("loading")), "the master's snapshot loading");
            master.clientKill(new ClientKillParams().type(ClientType.REPLICA));
            // The link may show up for a moment after the load, before the replica finds it closed.
            awaitTrue(() -> !syncsServed(master).equals("1/0"), "the replica's second sync");
            awaitLinkUp(replica);
            return List.of(syncsServed(master), Long.toString(replica.dbSize()));
        }
    }

    private static void assertShutdownWhileLoading(int port, int masterPort, Callable<Integer> exit, Path dir)
            throws Exception {
        try (Jedis admin = new Jedis("127.0.0.1", port);
             RawConnection client = new RawConnection(port)) {
            admin.replicaof("127.0.0.1", masterPort);
            awaitTrue(() -> "1".equals(info(admin, "persistence").get("loading")), "the master's snapshot loading");
            byte[] received = Files.readAllBytes(dir.resolve("dump.rdb"));
            client.send(RawConnection.command("SHUTDOWN"));
            assertTrue(client.closedByPeer(20_000), "the connection closes as the server exits");
            assertEquals(0, exit.call(), "exit code after SHUTDOWN while loading");
            assertArrayEquals(received, Files.readAllBytes(dir.resolve("dump.rdb")), "the dump is not saved over");
        }
    }

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.US_ASCII);
    }

    /**
     * A writable replica (replica-read-only no) expires the keys its own clients gave an expiry time,
     * which its master knows nothing of; its master's keys wait for the master's deletion, read as gone
     * meanwhile. Side by side with a redis-server replica, the master's active expiry off.
     */
    @Test
    void aWritableReplicaExpiresOnlyTheKeysItsOwnClientsWrote() throws Exception {
        try (RedisServerProcess redis = startRedis("master");
             RedisServerProcess redisReplica = startRedis("replica", "--replicaof", "127.0.0.1",
                     Integer.toString(redis.port()));
             InJvmPostbox postbox = InJvmPostbox.start("--replicaof", "127.0.0.1", Integer.toString(redis.port()));
             Jedis master = new Jedis("127.0.0.1", redis.port())) {
            master.sendCommand(() -> "DEBUG".getBytes(StandardCharsets.US_ASCII), "SET-ACTIVE-EXPIRE", "0");
            master.set("masters", "v", SetParams.setParams().px(100));
            assertEquals(2, master.waitReplicas(2, 10_000));
            List<String> seen = new ArrayList<>();
            for (int port : List.of(redisReplica.port(), postbox.port())) {
                try (Jedis replica = new Jedis("127.0.0.1", port)) {
                    awaitLinkUp(replica);
                    replica.configSet("replica-read-only", "no");
                    replica.set("own", "v", SetParams.setParams().px(100));
                    replica.set("own-for-good", "v");
                    seen.add(info(replica, "stats").get("slave_expires_tracked_keys"));
                    awaitTrue(() -> replica.dbSize() == 2, "the replica's own key expired");
                    seen.add(String.valueOf(replica.exists("own", "own-for-good", "masters")));
                    seen.add(info(replica, "stats").get("slave_expires_tracked_keys"));
                }
            }
            assertEquals(List.of("1", "1", "0"), seen.subList(0, 3), "the reference itself");
            assertEquals(seen.subList(0, 3), seen.subList(3, 6));
        }
    }

    /**
     * From the master's +FULLRESYNC on, a replica is syncing, though the snapshot's size comes only with
     * the payload: ROLE and INFO say so as Redis's do while the master's save runs (slowed here by
     * rdb-key-save-delay). Side by side with a redis-server replica, each a fresh server.
     */
    @Test
    void aReplicaWaitingForItsMastersSnapshotShowsTheSyncAsRedisDoes() throws Exception {
        try (RedisServerProcess redis = startRedis("master", "--repl-diskless-sync", "no");
             Jedis master = new Jedis("127.0.0.1", redis.port())) {
            for (int i = 0; i < 5; i++) {
                master.set("key:" + i, "v");
            }
            master.configSet("rdb-key-save-delay", "300000");
            List<String> onRedis;
            try (RedisServerProcess replica = startRedis("replica")) {
                onRedis = whileWaitingForTheSnapshot(replica.port(), redis.port());
            }
            List<String> onPostbox;
            try (InJvmPostbox replica = InJvmPostbox.start()) {
                onPostbox = whileWaitingForTheSnapshot(replica.port(), redis.port());
            }
            assertEquals("master_sync_total_bytes=-1", onRedis.get(0), "the reference itself");
            assertEquals(onRedis, onPostbox);
        }
    }

    /** A replica started for a master that is not there shows Redis's initial offsets, never linked. */
    @Test
    void aReplicaWhoseMasterIsNotThereShowsRedissInitialOffsets() throws Exception {
        String nowhere = Integer.toString(ReferenceRedis.freePort());
        List<List<String>> seen = new ArrayList<>();
        try (RedisServerProcess redis = startRedis("replica", "--replicaof", "127.0.0.1", nowhere);
             InJvmPostbox postbox = InJvmPostbox.start("--replicaof", "127.0.0.1", nowhere)) {
            for (int port : List.of(redis.port(), postbox.port())) {
                try (Jedis replica = new Jedis("127.0.0.1", port)) {
                    Map<String, String> info = info(replica, "replication");
                    seen.add(List.of(info.get("slave_read_repl_offset"), info.get("slave_repl_offset"),
                            info.get("master_link_down_since_seconds"), replica.role().get(4).toString()));
                }
            }
        }
        assertEquals(List.of("1", "1", "-1", "-1"), seen.get(0), "the reference itself");
        assertEquals(seen.get(0), seen.get(1));
    }

    private static List<String> whileWaitingForTheSnapshot(int port, int masterPort) throws Exception {
        try (Jedis replica = new Jedis("127.0.0.1", port)) {
            replica.replicaof("127.0.0.1", masterPort);
            awaitTrue(() -> "1".equals(info(replica, "replication").get("master_sync_in_progress")),
                    "the replica syncing");
            Map<String, String> info = info(replica, "replication");
            List<String> seen = new ArrayList<>();
            for (String field : List.of("master_sync_total_bytes", "master_sync_read_bytes", "master_sync_left_bytes",
                    "master_sync_perc", "slave_read_repl_offset", "slave_repl_offset",
                    "master_link_down_since_seconds", "master_link_status")) {
                seen.add(field + "=" + info.get(field));
            }
            seen.add(replica.role().subList(3, 5).toString());
            awaitLinkUp(replica);
            return seen;
        }
    }

    /**
     * bind-source-addr is the address a replica connects to its master from, so the master lists it
     * there; one the host cannot bind is skipped, as Redis binds it best effort. Side by side with a
     * redis-server replica. Skipped where 127.0.0.2 cannot be bound (Linux can bind all of 127/8).
     */
    @Test
    void aReplicaConnectsFromItsBindSourceAddressBestEffort() throws Exception {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress("127.0.0.2", 0));
        } catch (IOException e) {
            Assumptions.abort("this host cannot bind 127.0.0.2: " + e.getMessage());
        }
        try (RedisServerProcess redis = startRedis("master", "--protected-mode", "no", "--repl-diskless-sync", "no");
             RedisServerProcess redisReplica = startRedis("replica");
             InJvmPostbox postbox = InJvmPostbox.start();
             Jedis master = new Jedis("127.0.0.1", redis.port())) {
            List<String> seen = new ArrayList<>();
            for (int port : List.of(redisReplica.port(), postbox.port())) {
                try (Jedis replica = new Jedis("127.0.0.1", port)) {
                    for (String source : List.of("127.0.0.2", "192.0.2.1")) {
                        replica.configSet("bind-source-addr", source);
                        replica.replicaof("127.0.0.1", redis.port());
                        awaitLinkUp(replica);
                        String listed = info(master, "replication").get("slave0");
                        seen.add(listed.substring(0, listed.indexOf(",port=")));
                        replica.replicaofNoOne();
                        awaitTrue(() -> "0".equals(info(master, "replication").get("connected_slaves")),
                                "the replica gone from the master");
                    }
                }
            }
            assertEquals(List.of("ip=127.0.0.2", "ip=127.0.0.1"), seen.subList(0, 2), "the reference itself");
            assertEquals(seen.subList(0, 2), seen.subList(2, 4));
        }
    }

    /** Over its maxmemory a replica evicts nothing: its master evicts for it (replica-ignore-maxmemory). */
    @Test
    void aReplicaOverItsMaxmemoryKeepsEveryKeyOfItsMaster() throws Exception {
        try (RedisServerProcess redis = startRedis("master");
             InJvmPostbox postbox = InJvmPostbox.start("--maxmemory", "1mb", "--maxmemory-policy", "allkeys-lru",
                     "--replicaof", "127.0.0.1", Integer.toString(redis.port()));
             Jedis master = new Jedis("127.0.0.1", redis.port());
             Jedis replica = new Jedis("127.0.0.1", postbox.port())) {
            awaitLinkUp(replica);
            for (int i = 0; i < 2000; i++) {
                master.set("job:" + i, "x".repeat(1000));
                replica.get("job:" + i);
            }
            assertEquals(1, master.waitReplicas(1, 10_000));
            assertEquals(master.dbSize(), replica.dbSize());
            assertEquals("0", InfoFields.parse(replica.info("stats")).get("evicted_keys"));
        }
    }

    /** A master with a password: masterauth logs in, a wrong one is logged and the link stays down. */
    @Test
    void masterauthLogsInToAMasterThatRequiresAPassword() throws Exception {
        Path log = dir.resolve("replica.log");
        try (RedisServerProcess redis = startRedis("master");
             Jedis master = new Jedis("127.0.0.1", redis.port());
             InJvmPostbox postbox = InJvmPostbox.start("--logfile", log.toString(), "--masterauth", "wrong");
             Jedis replica = new Jedis("127.0.0.1", postbox.port())) {
            master.configSet("requirepass", "s3cret");
            replica.replicaof("127.0.0.1", redis.port());
            awaitTrue(() -> Files.exists(log) && read(log).contains("Unable to AUTH to MASTER: -WRONGPASS"),
                    "the refused login logged");
            assertEquals("down", info(replica, "replication").get("master_link_status"));
            replica.configSet("masterauth", "s3cret");
            awaitLinkUp(replica);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A write of the master's that fails here (the data differs) is logged and counted, as Redis does. */
    @Test
    void aMastersCommandThatFailsOnTheReplicaIsLoggedAsCritical() throws Exception {
        Path log = dir.resolve("replica.log");
        try (RedisServerProcess redis = startRedis("master");
             InJvmPostbox postbox = InJvmPostbox.start("--logfile", log.toString(), "--replicaof", "127.0.0.1",
                     Integer.toString(redis.port()));
             Jedis master = new Jedis("127.0.0.1", redis.port());
             Jedis replica = new Jedis("127.0.0.1", postbox.port())) {
            awaitLinkUp(replica);
            replica.configSet("replica-read-only", "no");
            replica.set("jobs", "a string only the replica has");
            master.lpush("jobs", "job-1");
            assertEquals(1, master.waitReplicas(1, 10_000));
            awaitTrue(() -> InfoFields.parse(replica.info("stats")).get("unexpected_error_replies").equals("1"),
                    "the error counted");
            assertTrue(Files.readString(log).contains("== CRITICAL == This replica is sending an error to its "
                    + "master: 'WRONGTYPE Operation against a key holding the wrong kind of value' after processing "
                    + "the command 'lpush'"), Files.readString(log));
        }
    }

    @Test
    void aLostLinkContinuesFromTheMastersBacklog() throws Exception {
        try (RedisServerProcess redis = startRedis("master");
             InJvmPostbox postbox = InJvmPostbox.start("--replicaof", "127.0.0.1", Integer.toString(redis.port()));
             Jedis master = new Jedis("127.0.0.1", redis.port());
             Jedis replica = new Jedis("127.0.0.1", postbox.port())) {
            awaitLinkUp(replica);
            master.rpush("queue", "m1");
            assertEquals(1, master.waitReplicas(1, 10_000));
            // Killed on either side, the link is tried again (each second) with a PSYNC the master continues.
            replica.clientKill(ClientKillParams.clientKillParams().type(ClientType.MASTER));
            master.rpush("queue", "m2");
            awaitTrue(() -> InfoFields.parse(master.info("stats")).get("sync_partial_ok").equals("1")
                    && info(master, "replication").getOrDefault("slave0", "").contains("state=online"), "linked again");
            master.clientKill(ClientKillParams.clientKillParams().type(ClientType.REPLICA));
            master.rpush("queue", "m3");
            awaitTrue(() -> replica.lrange("queue", 0, -1).equals(List.of("m1", "m2", "m3")), "every push applied");
            Map<String, String> stats = InfoFields.parse(master.info("stats"));
            assertEquals("1", stats.get("sync_full"));
            assertEquals("2", stats.get("sync_partial_ok"));
        }
    }

    @Test
    void replicaofNoOneMakesAMasterOfItWithTheDataItHad() throws Exception {
        try (RedisServerProcess redis = startRedis("master");
             InJvmPostbox postbox = InJvmPostbox.start();
             Jedis master = new Jedis("127.0.0.1", redis.port());
             Jedis replica = new Jedis("127.0.0.1", postbox.port())) {
            replica.rpush("replaced", "by the master's data");
            master.rpush("queue", "m1", "m2");
            assertEquals("OK", replica.replicaof("127.0.0.1", redis.port()));
            assertEquals("OK Already connected to specified master", replica.replicaof("127.0.0.1", redis.port()));
            awaitLinkUp(replica);
            assertEquals(1, master.waitReplicas(1, 10_000));
            assertFalse(replica.exists("replaced"), "a full sync replaces the data");
            assertEquals(Map.of("replicaof", "127.0.0.1 " + redis.port()), replica.configGet("replicaof"));
            assertEquals("OK", replica.replicaofNoOne());
            assertEquals("master", replica.role().get(0));
            assertEquals(Map.of("replicaof", ""), replica.configGet("replicaof"));
            assertEquals(3, replica.rpush("queue", "m3"), "writes are taken again");
            master.rpush("queue", "not followed");
            assertEquals(List.of("m1", "m2", "m3"), replica.lrange("queue", 0, -1));
        }
    }

    /**
     * A master that starts following another ends its clients' blocking pops, as Redis does: a consumer
     * left waiting would be served the new master's pushes on this server alone, and the message would
     * stay on the master for another consumer too.
     */
    @Test
    void aMasterThatStartsFollowingEndsItsConsumersBlockingPops() throws Exception {
        try (RedisServerProcess redis = startRedis("master", "--repl-diskless-sync", "no");
             RedisServerProcess redisDemoted = startRedis("demoted");
             InJvmPostbox postbox = InJvmPostbox.start();
             Jedis master = new Jedis("127.0.0.1", redis.port())) {
            List<String> seen = new ArrayList<>();
            for (int port : List.of(redisDemoted.port(), postbox.port())) {
                try (RawConnection consumer = new RawConnection(port);
                     Jedis demoted = new Jedis("127.0.0.1", port)) {
                    consumer.send(RawConnection.command("BRPOP", "queue", "0"));
                    awaitTrue(() -> InfoFields.parse(demoted.info("clients")).get("blocked_clients").equals("1"),
                            "the consumer blocked");
                    demoted.replicaof("127.0.0.1", redis.port());
                    seen.add(text(consumer.readReply()));
                    seen.add(Boolean.toString(consumer.closedByPeer(2_000)));
                    awaitLinkUp(demoted);
                    master.lpush("queue", "job-" + port);
                    assertEquals(1, master.waitReplicas(1, 10_000));
                    assertEquals(1, demoted.llen("queue"), "the message stays for the master's consumers");
                    master.del("queue");
                    demoted.replicaofNoOne();
                }
            }
            assertEquals(List.of("-UNBLOCKED force unblock from blocking operation, instance state changed (master "
                    + "-> replica?)\r\n", "true"), seen.subList(0, 2), "on the Redis server");
            assertEquals(seen.subList(0, 2), seen.subList(2, 4), "on Postbox");
        }
    }

    /** No redis-server needed: Postbox follows Postbox, and its append-only file keeps what it applied. */
    @Test
    void postboxFollowsPostboxAndItsAppendOnlyFileKeepsWhatItApplied() throws Exception {
        Path replicaDir = Files.createDirectories(dir.resolve("replica"));
        try (InJvmPostbox masterServer = InJvmPostbox.start();
             Jedis master = new Jedis("127.0.0.1", masterServer.port())) {
            master.rpush("queue", "m1", "m2");
            master.zadd("delayed", 100, "j1");
            Map<String, String> applied;
            try (InJvmPostbox replicaServer = InJvmPostbox.start("--dir", replicaDir.toString(), "--appendonly",
                    "yes", "--replicaof", "127.0.0.1", Integer.toString(masterServer.port()));
                 Jedis replica = new Jedis("127.0.0.1", replicaServer.port())) {
                awaitLinkUp(replica);
                master.lmove("queue", "processing", ListDirection.LEFT, ListDirection.RIGHT);
                master.select(3);
                master.set("elsewhere", "v");
                master.select(0);
                assertEquals(1, master.waitReplicas(1, 10_000));
                applied = KeyspaceContents.of(replica, DATABASES);
                assertEquals(KeyspaceContents.of(master, DATABASES), applied);
                awaitTrue(() -> InfoFields.parse(replica.info("persistence")).get("aof_rewrite_in_progress")
                        .equals("0"), "the append-only file rewritten from the synced data");
            }
            try (InJvmPostbox restarted = InJvmPostbox.start("--dir", replicaDir.toString(), "--appendonly", "yes");
                 Jedis reloaded = new Jedis("127.0.0.1", restarted.port())) {
                assertEquals(applied, KeyspaceContents.of(reloaded, DATABASES));
            }
        }
    }

    /** A chain: Postbox, a Postbox replica, and a redis-server replica of that replica. */
    @Test
    void aReplicaOfAPostboxReplicaGetsTheWritesOfTheMasterAtTheTop() throws Exception {
        try (InJvmPostbox top = InJvmPostbox.start();
             InJvmPostbox middle = InJvmPostbox.start("--replicaof", "127.0.0.1", Integer.toString(top.port()));
             Jedis master = new Jedis("127.0.0.1", top.port());
             Jedis onMiddle = new Jedis("127.0.0.1", middle.port())) {
            awaitLinkUp(onMiddle);
            master.rpush("queue", "m1");
            try (RedisServerProcess bottom = startRedis("bottom", "--replicaof", "127.0.0.1",
                    Integer.toString(middle.port()));
                 Jedis onBottom = new Jedis("127.0.0.1", bottom.port())) {
                awaitLinkUp(onBottom);
                master.rpush("queue", "m2");
                master.select(4);
                master.set("elsewhere", "v");
                master.select(0);
                awaitTrue(() -> KeyspaceContents.of(master, DATABASES).equals(KeyspaceContents.of(onBottom, DATABASES)),
                        "the bottom replica holds what the top holds");
                // Promoted, the middle keeps the top's history as its second: the bottom continues with it.
                onMiddle.replicaofNoOne();
                awaitTrue(() -> InfoFields.parse(onMiddle.info("stats")).get("sync_partial_ok").equals("1"),
                        "the bottom continues with the promoted middle");
                // Following the top again, the middle's own history is not the top's: it syncs in full, and
                // so does the bottom after it.
                assertEquals("OK", onMiddle.replicaof("127.0.0.1", top.port()));
                awaitLinkUp(onMiddle);
                master.rpush("queue", "m3");
                awaitTrue(() -> KeyspaceContents.of(master, DATABASES).equals(KeyspaceContents.of(onBottom, DATABASES)),
                        "the bottom replica follows the middle's new history");
                assertEquals("2", InfoFields.parse(onMiddle.info("stats")).get("sync_full"));
            }
        }
    }

    @Test
    void sentinelPromotesPostboxWithEveryAcknowledgedWriteWhenItsRedisMasterDies() throws Exception {
        RedisServerProcess redis = startRedis("master");
        try (InJvmPostbox postbox = InJvmPostbox.start("--replicaof", "127.0.0.1", Integer.toString(redis.port()));
             Jedis master = new Jedis("127.0.0.1", redis.port());
             Jedis replica = new Jedis("127.0.0.1", postbox.port());
             RedisServerProcess sentinel = RedisServerProcess.startSentinel(dir.resolve("sentinel"), redis.port());
             Jedis onSentinel = new Jedis("127.0.0.1", sentinel.port())) {
            awaitTrue(() -> onSentinel.sentinelReplicas("queues").stream()
                    .anyMatch(found -> "ok".equals(found.get("master-link-status"))),
                    "the sentinel sees Postbox as the replica", 20);
            master.rpush("queue", "m1", "m2");
            assertEquals(1, master.waitReplicas(1, 10_000));
            redis.close();
            String postboxPort = Integer.toString(postbox.port());
            awaitTrue(() -> onSentinel.sentinelGetMasterAddrByName("queues").get(1).equals(postboxPort),
                    "Postbox promoted", 30);
            assertEquals("master", replica.role().get(0));
            assertEquals(List.of("m1", "m2"), replica.lrange("queue", 0, -1));
            assertEquals(3, replica.rpush("queue", "m3"));
        } finally {
            redis.close();
        }
    }
}
