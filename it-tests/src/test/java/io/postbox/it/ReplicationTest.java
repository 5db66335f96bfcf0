package io.postbox.it;

import static io.postbox.it.support.Await.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.InJvmPostboxExtension;
import io.postbox.it.support.InfoFields;
import io.postbox.it.support.KeyspaceContents;
import io.postbox.it.support.QueueWrites;
import io.postbox.it.support.RawConnection;
import io.postbox.it.support.RedisServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ClientKillParams;

/**
 * A redis-server started as Postbox's replica ({@code --replicaof}) gets Postbox's data, then every
 * write as Postbox propagates it, and comes back from a lost link with the part of the stream it
 * missed; WAIT, ROLE, INFO and min-replicas-to-write count it (all skipped without redis-server).
 */
class ReplicationTest {

    private static final int DATABASES = 16;

    @RegisterExtension
    final InJvmPostboxExtension postbox = new InJvmPostboxExtension();
    @TempDir
    Path dir;
    private Jedis master;

    @BeforeEach
    void connect() {
        master = new Jedis("127.0.0.1", postbox.port());
    }

    @AfterEach
    void disconnect() {
        master.close();
    }

    private RedisServerProcess startReplica() throws Exception {
        RedisServerProcess replica = RedisServerProcess.start(dir, "--replicaof", "127.0.0.1",
                Integer.toString(postbox.port()));
        awaitTrue(() -> replication().getOrDefault("slave0", "").contains("state=online"), "the replica online");
        return replica;
    }

    private Map<String, String> replication() {
        return InfoFields.parse(master.info("replication"));
    }

    private Map<String, String> stats() {
        return InfoFields.parse(master.info("stats"));
    }

    private void assertSameData(Jedis onReplica) {
        assertEquals(1, master.waitReplicas(1, 10_000), "the replica acknowledges every write");
        assertEquals(KeyspaceContents.of(master, DATABASES), KeyspaceContents.of(onReplica, DATABASES));
    }

    @Test
    void aRedisReplicaHoldsWhatPostboxHoldsAfterEveryKindOfWrite() throws Exception {
        QueueWrites.fill(master);
        try (RedisServerProcess replica = startReplica(); Jedis onReplica = new Jedis("127.0.0.1", replica.port())) {
            assertSameData(onReplica);

            QueueWrites.everyKind(master, postbox.port());
            Thread.sleep(200);
            assertSameData(onReplica);
            assertEquals(null, onReplica.get("brief"), "the expired key's deletion came from the master");

            // WAIT's REPLCONF GETACK is acknowledged with the replica's next ACK, a second later at most.
            awaitTrue(() -> replication().get("slave0").contains(",offset=" + replication().get("master_repl_offset")
                    + ","), "the replica acknowledging the whole stream");
            Map<String, String> replication = replication();
            assertEquals("1", replication.get("connected_slaves"));
            String offset = replication.get("master_repl_offset");
            assertEquals("ip=127.0.0.1,port=" + replica.port() + ",state=online,offset=" + offset,
                    replication.get("slave0").replaceFirst(",lag=[01]$", ""));
            assertEquals(offset, InfoFields.parse(onReplica.info("replication")).get("master_repl_offset"));
            Map<String, String> memory = InfoFields.parse(master.info("memory"));
            assertEquals("1048576", memory.get("mem_replication_backlog"), "the default repl-backlog-size");
            assertTrue(Long.parseLong(memory.get("mem_clients_slaves")) > 0, memory.toString());
            assertEquals(List.of("master", Long.parseLong(offset),
                    List.of(List.of("127.0.0.1", Integer.toString(replica.port()), offset))), master.role());
        }
    }

    @Test
    void writesMadeWhileTheSnapshotIsTakenFollowIt() throws Exception {
        for (int batch = 0; batch < 20; batch++) {
            String[] elements = new String[10_000];
            for (int i = 0; i < elements.length; i++) {
                elements[i] = "element-" + batch + "-" + i;
            }
            master.rpush("big", elements);
        }
        CompletableFuture<Integer> producer = CompletableFuture.supplyAsync(() -> {
            try (Jedis writer = new Jedis("127.0.0.1", postbox.port())) {
                int pushed = 0;
                while (!replication().getOrDefault("slave0", "").contains("state=online") || pushed < 2_000) {
                    writer.lpush("incoming", "message-" + pushed++);
                }
                return pushed;
            }
        });
        try (RedisServerProcess replica = RedisServerProcess.start(dir, "--replicaof", "127.0.0.1",
                Integer.toString(postbox.port())); Jedis onReplica = new Jedis("127.0.0.1", replica.port())) {
            int pushed = producer.get(60, TimeUnit.SECONDS);
            assertSameData(onReplica);
            assertEquals(pushed, onReplica.llen("incoming"));
            assertEquals("1", stats().get("sync_full"));
        }
    }

    @Test
    void aSecondReplicaSyncsWhileTheFirstIsFed() throws Exception {
        try (RedisServerProcess first = startReplica(); Jedis onFirst = new Jedis("127.0.0.1", first.port())) {
            master.select(3);
            master.rpush("queue", "in-db-3");
            try (RedisServerProcess second = RedisServerProcess.start(Files.createDirectories(dir.resolve("second")),
                    "--replicaof", "127.0.0.1", Integer.toString(postbox.port()));
                 Jedis onSecond = new Jedis("127.0.0.1", second.port())) {
                awaitTrue(() -> replication().getOrDefault("slave1", "").contains("state=online"), "both online");
                master.rpush("queue", "after-the-second-sync");
                master.select(0);
                assertEquals(2, master.waitReplicas(2, 10_000));
                assertEquals(KeyspaceContents.of(master, DATABASES), KeyspaceContents.of(onFirst, DATABASES));
                assertEquals(KeyspaceContents.of(master, DATABASES), KeyspaceContents.of(onSecond, DATABASES));
                assertEquals("2", stats().get("sync_full"));
            }
        }
    }

    @Test
    void aReplicaThatLosesItsLinkContinuesFromTheBacklog() throws Exception {
        master.rpush("queue", "before");
        try (RedisServerProcess replica = startReplica(); Jedis onReplica = new Jedis("127.0.0.1", replica.port())) {
            assertSameData(onReplica);
            master.clientKill(ClientKillParams.clientKillParams()
                    .type(ClientType.REPLICA));
            master.rpush("queue", "while-away-1", "while-away-2");
            awaitTrue(() -> stats().get("sync_partial_ok").equals("1"), "a partial resync");
            assertSameData(onReplica);
            assertEquals(List.of("before", "while-away-1", "while-away-2"), onReplica.lrange("queue", 0, -1));
            assertEquals("1", stats().get("sync_full"), "no second full sync");
        }
    }

    @Test
    void aScriptsSetReplDecidesWhatTheReplicaGets() throws Exception {
        try (RedisServerProcess replica = startReplica(); Jedis onReplica = new Jedis("127.0.0.1", replica.port())) {
            master.eval("redis.set_repl(redis.REPL_AOF) redis.call('SET', 'aof-only', 1) "
                    + "redis.set_repl(redis.REPL_REPLICA) redis.call('SET', 'replica-only', 2) "
                    + "redis.set_repl(redis.REPL_NONE) redis.call('SET', 'nowhere', 3) "
                    + "redis.set_repl(redis.REPL_ALL) redis.call('SET', 'everywhere', 4)");
            assertEquals(1, master.waitReplicas(1, 10_000));
            assertEquals(List.of("1", "2", "3", "4"), master.mget("aof-only", "replica-only", "nowhere", "everywhere"));
            assertEquals(Arrays.asList(null, "2", null, "4"),
                    onReplica.mget("aof-only", "replica-only", "nowhere", "everywhere"));
        }
    }

    @Test
    void messagesPublishedOnPostboxReachTheReplicasSubscribers() throws Exception {
        try (RedisServerProcess replica = startReplica(); Jedis subscriber = new Jedis("127.0.0.1", replica.port());
             Jedis onReplica = new Jedis("127.0.0.1", replica.port())) {
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            JedisPubSub listener = new JedisPubSub() {
                @Override
                public void onMessage(String channel, String message) {
                    received.add(channel + ": " + message);
                    unsubscribe();
                }
            };
            CompletableFuture<Void> listening =
                    CompletableFuture.runAsync(() -> subscriber.subscribe(listener, "events"));
            awaitTrue(() -> onReplica.pubsubNumSub("events").get("events") == 1L, "subscribed on the replica");
            assertEquals(0, master.publish("events", "job 7 done"), "no subscriber on Postbox itself");
            assertEquals("events: job 7 done", received.poll(10, TimeUnit.SECONDS));
            listening.get(10, TimeUnit.SECONDS);
        }
    }

    /** Stops (SIGSTOP) or resumes (SIGCONT) a process, as a replica that stops reading and comes back. */
    /**
     * DEBUG REPLICATE sends a command to the replicas alone: the master's data stays, the replica's
     * diverges, and a command the replica cannot run is logged there as critical, as Redis's
     * integration/replication-4 has its test hook do.
     */
    @Test
    void debugReplicateLetsTheReplicasDataDiverge() throws Exception {
        try (InJvmPostbox debuggable = InJvmPostbox.start("--enable-debug-command", "yes");
             Jedis onMaster = new Jedis("127.0.0.1", debuggable.port());
             RedisServerProcess replica = RedisServerProcess.start(dir, "--replicaof", "127.0.0.1",
                     Integer.toString(debuggable.port()));
             Jedis onReplica = new Jedis("127.0.0.1", replica.port())) {
            onMaster.set("kept", "1");
            assertEquals(1, onMaster.waitReplicas(1, 10_000));
            for (String[] replicated : List.of(new String[] {"REPLICATE", "SET", "diverged", "replica's"},
                    new String[] {"REPLICATE", "fake-command-1"})) {
                assertEquals("OK", text((byte[]) onMaster.sendCommand(() -> "DEBUG".getBytes(StandardCharsets.US_ASCII),
                        replicated)));
            }
            assertEquals(1, onMaster.waitReplicas(1, 10_000));
            assertEquals(List.of("1", "replica's"), onReplica.mget("kept", "diverged"));
            assertEquals(null, onMaster.get("diverged"));
            awaitTrue(() -> logSays(dir.resolve("redis.log"), "fake-command-1"), "the replica logged the command");
        }
    }

    /**
     * A replica's hard output limit is never under repl-backlog-size, as in Redis: one that falls behind
     * by more than its limit but less than the backlog stays connected and catches up, where it would
     * otherwise be dropped and synced again, round after round. Side by side with a redis-server master.
     */
    @Test
    void aReplicaBehindByLessThanTheBacklogOutlivesItsOutputLimit() throws Exception {
        List<String> seen = new ArrayList<>();
        try (RedisServerProcess redis = RedisServerProcess.startSyncingFromDisk(
                Files.createDirectories(dir.resolve("master")))) {
            seen.addAll(catchingUpPastTheLimit(redis.port()));
        }
        seen.addAll(catchingUpPastTheLimit(postbox.port()));
        assertEquals(List.of("1/0", "1"), seen.subList(0, 2), "the reference itself");
        assertEquals(seen.subList(0, 2), seen.subList(2, 4));
    }

    /** Syncs served (full/partial) and replicas connected, once a replica caught up 20 MB past its limit. */
    private List<String> catchingUpPastTheLimit(int masterPort) throws Exception {
        try (Jedis master = new Jedis("127.0.0.1", masterPort);
             RedisServerProcess replica = RedisServerProcess.start(
                     Files.createDirectories(dir.resolve("replica-of-" + masterPort)), "--replicaof", "127.0.0.1",
                     Integer.toString(masterPort));
             Jedis onReplica = new Jedis("127.0.0.1", replica.port())) {
            master.configSet("repl-backlog-size", "100mb");
            master.configSet("client-output-buffer-limit", "replica 512kb 0 0");
            awaitTrue(() -> "up".equals(InfoFields.parse(onReplica.info("replication")).get("master_link_status")),
                    "the replica linked");
            String big = "A".repeat(10 << 20);
            Transaction burst = master.multi();
            burst.set("key", big);
            burst.set("key", big);
            burst.exec();
            String offset = InfoFields.parse(master.info("replication")).get("master_repl_offset");
            awaitTrue(() -> offset.equals(InfoFields.parse(onReplica.info("replication")).get("slave_repl_offset")),
                    "the replica caught up");
            Map<String, String> stats = InfoFields.parse(master.info("stats"));
            List<String> seen = List.of(stats.get("sync_full") + "/" + stats.get("sync_partial_ok"),
                    InfoFields.parse(master.info("replication")).get("connected_slaves"));
            master.del("key");
            master.configSet("client-output-buffer-limit", "replica 256mb 64mb 60");
            master.configSet("repl-backlog-size", "1mb");
            return seen;
        }
    }

    private static void signal(RedisServerProcess process, String signal) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor());
    }

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    private static boolean logSays(Path log, String line) {
        try {
            return Files.exists(log) && Files.readString(log, StandardCharsets.ISO_8859_1).contains(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void shutdownWaitsUntilALaggingReplicaHasTheLastWrite() throws Exception {
        Path log = dir.resolve("postbox.log");
        try (InJvmPostbox server = InJvmPostbox.start("--logfile", log.toString());
             Jedis onServer = new Jedis("127.0.0.1", server.port());
             RedisServerProcess replica = RedisServerProcess.start(Files.createDirectories(dir.resolve("replica")),
                     "--replicaof", "127.0.0.1", Integer.toString(server.port()));
             Jedis onReplica = new Jedis("127.0.0.1", replica.port());
             RawConnection shutdown = new RawConnection(server.port())) {
            awaitTrue(() -> InfoFields.parse(onServer.info("replication")).getOrDefault("slave0", "")
                    .contains("state=online"), "the replica online");
            signal(replica, "STOP");
            onServer.rpush("queue", "last-message");
            shutdown.send(RawConnection.command("SHUTDOWN", "NOSAVE"));
            awaitTrue(() -> logSays(log, "Waiting for replicas before shutting down."), "the shutdown waiting");
            String clients = onServer.clientList();
            assertTrue(clients.lines().anyMatch(line -> line.contains(" flags=b ") && line.contains(" cmd=shutdown ")),
                    clients);
            signal(replica, "CONT");
            assertTrue(shutdown.closedByPeer(10_000), "the server stops once the replica has caught up");
            server.server().awaitTermination();
            assertEquals(List.of("last-message"), onReplica.lrange("queue", 0, -1));
        }
    }

    @Test
    void aShutdownWaitEndsAtItsTimeoutOrWithAbort() throws Exception {
        Path log = dir.resolve("postbox.log");
        try (InJvmPostbox server = InJvmPostbox.start("--logfile", log.toString(), "--shutdown-timeout", "1");
             Jedis onServer = new Jedis("127.0.0.1", server.port());
             RedisServerProcess replica = RedisServerProcess.start(Files.createDirectories(dir.resolve("replica")),
                     "--replicaof", "127.0.0.1", Integer.toString(server.port()));
             RawConnection first = new RawConnection(server.port());
             RawConnection second = new RawConnection(server.port())) {
            awaitTrue(() -> InfoFields.parse(onServer.info("replication")).getOrDefault("slave0", "")
                    .contains("state=online"), "the replica online");
            signal(replica, "STOP");
            try {
                onServer.rpush("queue", "unacknowledged");
                first.send(RawConnection.command("SHUTDOWN", "NOSAVE"));
                awaitTrue(() -> logSays(log, "Waiting for replicas before shutting down."), "the shutdown waiting");
                assertEquals("+OK\r\n", text(second.call("SHUTDOWN", "ABORT")));
                assertEquals("-ERR Errors trying to SHUTDOWN. Check logs.\r\n", text(first.readReply()));
                assertEquals(2, onServer.rpush("queue", "writes go on"));

                first.send(RawConnection.command("SHUTDOWN", "NOSAVE"));
                assertTrue(first.closedByPeer(10_000), "the server stops after shutdown-timeout");
                server.server().awaitTermination();
                assertTrue(logSays(log, "Lagging replica 127.0.0.1:" + replica.port() + " reported offset "), "logged");
            } finally {
                signal(replica, "CONT");
            }
        }
    }

    @Test
    void sentinelPromotesTheRedisReplicaWithEveryAcknowledgedWriteWhenPostboxDies() throws Exception {
        InJvmPostbox server = InJvmPostbox.start();
        try (Jedis onServer = new Jedis("127.0.0.1", server.port());
             RedisServerProcess replica = RedisServerProcess.start(Files.createDirectories(dir.resolve("replica")),
                     "--replicaof", "127.0.0.1", Integer.toString(server.port()));
             Jedis onReplica = new Jedis("127.0.0.1", replica.port());
             RedisServerProcess sentinel = RedisServerProcess.startSentinel(dir.resolve("sentinel"), server.port());
             Jedis onSentinel = new Jedis("127.0.0.1", sentinel.port())) {
            awaitTrue(() -> onSentinel.sentinelReplicas("queues").stream()
                    .anyMatch(found -> "ok".equals(found.get("master-link-status"))),
                    "the sentinel sees the replica", 20);
            onServer.rpush("queue", "m1", "m2");
            assertEquals(1, onServer.waitReplicas(1, 10_000));
            server.close();
            String replicaPort = Integer.toString(replica.port());
            awaitTrue(() -> onSentinel.sentinelGetMasterAddrByName("queues").get(1).equals(replicaPort),
                    "the replica promoted", 30);
            assertEquals("master", onReplica.role().get(0));
            assertEquals(List.of("m1", "m2"), onReplica.lrange("queue", 0, -1));
        } finally {
            server.close();
        }
    }

    @Test
    void aWaitCountsTheConnectionsOwnWritesOnPostboxAsOnRedis() throws Exception {
        assertEquals(List.of(1L, 0L, 1L), waitsOf(postbox.port(), dir.resolve("of-postbox")));
        // Redis's diskless sync waits repl-diskless-sync-delay (5 s) for more replicas before it starts.
        try (RedisServerProcess redis = RedisServerProcess.start(Files.createDirectories(dir.resolve("redis")),
                "--repl-diskless-sync-delay", "0")) {
            assertEquals(List.of(1L, 0L, 1L), waitsOf(redis.port(), dir.resolve("of-redis")));
        }
    }

    /** A writer's WAIT, its WAIT for a later write while the replica is stopped, and a reader's WAIT then. */
    private static List<Long> waitsOf(int masterPort, Path replicaDir) throws Exception {
        try (RedisServerProcess replica = RedisServerProcess.start(Files.createDirectories(replicaDir),
                "--replicaof", "127.0.0.1", Integer.toString(masterPort));
             Jedis writer = new Jedis("127.0.0.1", masterPort);
             Jedis reader = new Jedis("127.0.0.1", masterPort)) {
            awaitTrue(() -> InfoFields.parse(writer.info("replication")).getOrDefault("slave0", "")
                    .contains("state=online"), "the replica online");
            writer.set("k", "1");
            List<Long> waits = new ArrayList<>();
            waits.add(writer.waitReplicas(1, 5000));
            signal(replica, "STOP");
            try {
                writer.set("k", "2");
                waits.add(writer.waitReplicas(1, 300));
                waits.add(reader.waitReplicas(1, 300));
            } finally {
                signal(replica, "CONT");
            }
            return waits;
        }
    }

    /** repl-backlog-ttl: a master that has had no replica that long frees its backlog and ends its history. */
    @Test
    void anIdleBacklogIsFreedAfterReplBacklogTtlAsOnRedis() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start(Files.createDirectories(dir.resolve("redis")),
                "--repl-diskless-sync-delay", "0")) {
            List<String> onRedis = idleBacklog(redis.port(), "of-redis");
            assertEquals(List.of("1", "true", "0", "0000000000000000000000000000000000000000"), onRedis);
            assertEquals(onRedis, idleBacklog(postbox.port(), "of-postbox"));
        }
    }

    private List<String> idleBacklog(int masterPort, String name) throws Exception {
        try (Jedis onMaster = new Jedis("127.0.0.1", masterPort);
             RedisServerProcess replica = RedisServerProcess.start(Files.createDirectories(dir.resolve(name)),
                     "--replicaof", "127.0.0.1", Integer.toString(masterPort));
             Jedis onReplica = new Jedis("127.0.0.1", replica.port())) {
            onMaster.configSet("repl-backlog-ttl", "1");
            try {
                awaitTrue(() -> "up".equals(InfoFields.parse(onReplica.info("replication")).get("master_link_status")),
                        "the replica linked");
                Map<String, String> before = InfoFields.parse(onMaster.info("replication"));
                onReplica.replicaofNoOne();
                awaitTrue(() -> InfoFields.parse(onMaster.info("replication")).get("repl_backlog_active").equals("0"),
                        "the backlog freed", 10);
                Map<String, String> after = InfoFields.parse(onMaster.info("replication"));
                return List.of(before.get("repl_backlog_active"),
                        Boolean.toString(!before.get("master_replid").equals(after.get("master_replid"))),
                        after.get("repl_backlog_histlen"), after.get("master_replid2"));
            } finally {
                onMaster.configSet("repl-backlog-ttl", "3600");
            }
        }
    }

    @Test
    void minReplicasToWriteCountsAnOnlineReplica() throws Exception {
        master.configSet("min-replicas-to-write", "1");
        try {
            assertThrows(JedisDataException.class, () -> master.set("k", "refused"));
            try (RedisServerProcess replica = startReplica()) {
                assertEquals("1", replication().get("min_slaves_good_slaves"));
                assertEquals("OK", master.set("k", "taken"));
            }
            awaitTrue(() -> replication().get("connected_slaves").equals("0"), "the replica gone");
            JedisDataException refused = assertThrows(JedisDataException.class, () -> master.set("k", "again"));
            assertEquals("NOREPLICAS Not enough good replicas to write.", refused.getMessage());
        } finally {
            master.configSet("min-replicas-to-write", "0");
        }
    }
}
