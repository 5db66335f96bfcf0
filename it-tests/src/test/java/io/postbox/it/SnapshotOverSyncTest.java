package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.InfoFields;
import io.postbox.it.support.KeyspaceContents;
import io.postbox.it.support.RawConnection;
import io.postbox.it.support.RedisServerProcess;
import io.postbox.it.support.ReferenceRedis;
import io.postbox.it.support.Subprocess;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.args.ClientType;

/**
 * A client that asks for the snapshot alone ({@code REPLCONF rdb-only 1}, then SYNC), as
 * {@code redis-cli --rdb} does to take a backup, gets the RDB file of a background save, as Redis sends
 * it from disk: {@code $}, the length, the file's bytes; then the server closes the connection and goes
 * on serving everyone else.
 */
class SnapshotOverSyncTest {

    @TempDir
    Path dir;

    private InJvmPostbox postbox;
    private Jedis jedis;

    @BeforeEach
    void startServer() throws Exception {
        postbox = InJvmPostbox.start("--dir", Files.createDirectories(dir.resolve("postbox")).toString(), "--save", "",
                "--enable-debug-command", "yes");
        jedis = new Jedis("127.0.0.1", postbox.port());
    }

    @AfterEach
    void stopServer() {
        jedis.close();
        postbox.close();
    }

    private static void assumeRedisCli() {
        Assumptions.assumeTrue(ReferenceRedis.onPath("redis-cli") != null,
                "redis-cli test skipped: redis-cli is not on the PATH (apt-get install redis-tools)");
    }

    private Subprocess.Result redisCli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(postbox.port())));
        command.addAll(List.of(args));
        return Subprocess.run(command, null, 60);
    }

    @Test
    void redisCliBackupPassesRedisCheckRdbAndLoadsInRedisWithTheSameContents() throws Exception {
        assumeRedisCli();
        populate();
        Map<String, String> expected = KeyspaceContents.withEncodings(jedis, 16);
        Path restore = Files.createDirectories(dir.resolve("restore"));
        Path backup = restore.resolve("dump.rdb");

        Subprocess.Result cli = redisCli("--rdb", backup.toString());
        assertEquals(0, cli.exitCode(), cli.output());
        assertTrue(cli.output().contains("Transfer finished with success"), cli.output());

        Subprocess.Result check = RedisServerProcess.tool("redis-check-rdb", backup.toString());
        assertEquals(0, check.exitCode(), check.output());
        try (RedisServerProcess redis = RedisServerProcess.start(restore, "--dbfilename", "dump.rdb");
             Jedis restored = new Jedis("127.0.0.1", redis.port())) {
            KeyspaceContents.assertSame(expected, KeyspaceContents.withEncodings(restored, 16));
        }
        Map<String, String> info = InfoFields.parse(jedis.info());
        assertEquals("1", info.get("sync_full"));
        String header = "$" + Files.size(backup) + "\r\n";
        assertEquals(Long.toString(header.length() + Files.size(backup)), info.get("total_net_repl_output_bytes"));
        assertEquals("1", info.get("rdb_saves"), "the backup is the file of a background save");
        assertEquals("PONG", jedis.ping());
    }

    @Test
    void syncSendsTheSavedFileAsALengthAndItsBytesThenCloses() throws Exception {
        jedis.rpush("queue", "m1", "m2", "m3");
        try (RawConnection replica = new RawConnection(postbox.port())) {
            assertEquals("+OK\r\n", text(replica.call("REPLCONF", "rdb-only", "1")));
            replica.send(RawConnection.command("SYNC"));
            long length = replica.readSyncLength();
            byte[] payload = replica.readBytes((int) length);
            assertEquals("REDIS0010", new String(payload, 0, 9, StandardCharsets.US_ASCII));
            assertArrayEquals(Files.readAllBytes(dir.resolve("postbox").resolve("dump.rdb")), payload);
            assertTrue(replica.closedByPeer(5_000), "the connection is closed after the payload");
        }
        assertEquals(List.of("m1", "m2", "m3"), jedis.lrange("queue", 0, -1));
    }

    @Test
    void replicasWaitingForTheirSaveGetANewlineEachSecondThenShareOneFile() throws Exception {
        for (int i = 0; i < 20; i++) {
            jedis.set("k" + i, "v" + i);
        }
        jedis.configSet("rdb-key-save-delay", "100000"); // 0.1 s a key: the save takes 2 s
        try (RawConnection first = new RawConnection(postbox.port());
             RawConnection second = new RawConnection(postbox.port())) {
            first.call("REPLCONF", "rdb-only", "1");
            first.send(RawConnection.command("SYNC"));
            awaitInfo("slave0", "ip=127.0.0.1,port=0,state=wait_bgsave,offset=0,lag=0");
            second.call("REPLCONF", "rdb-only", "1");
            second.send(RawConnection.command("SYNC"));
            assertEquals("\n", text(first.readBytes(1)), "a newline keeps the waiting replica's link alive");
            byte[] payload = first.readBytes((int) first.readSyncLength());
            assertArrayEquals(payload, second.readBytes((int) second.readSyncLength()));
        }
        assertEquals("1", InfoFields.parse(jedis.info("persistence")).get("rdb_saves"), "one save served both");
        assertEquals("1", InfoFields.parse(jedis.info("stats")).get("total_forks"));
    }

    @Test
    void aSaveRunningWhenTheReplicaAsksIsFollowedByOneForIt() throws Exception {
        for (int i = 0; i < 20; i++) {
            jedis.set("k" + i, "v" + i);
        }
        jedis.configSet("rdb-key-save-delay", "50000");
        assertEquals("Background saving started", jedis.bgsave());
        try (RawConnection replica = new RawConnection(postbox.port())) {
            replica.call("REPLCONF", "rdb-only", "1");
            replica.send(RawConnection.command("SYNC"));
            awaitInfo("slave0", "ip=127.0.0.1,port=0,state=wait_bgsave,offset=0,lag=0");
            jedis.set("written-after-sync", "x");
            byte[] payload = replica.readBytes((int) replica.readSyncLength());
            assertTrue(text(payload).contains("written-after-sync"), "the replica's save began after it asked");
        }
        assertEquals("2", InfoFields.parse(jedis.info("persistence")).get("rdb_saves"));
    }

    @Test
    void aReplicaThatHangsUpMidTransferLeavesTheServerServingTheNext() throws Exception {
        pushIncompressible(20_000);
        try (RawConnection replica = new RawConnection(postbox.port())) {
            replica.call("REPLCONF", "rdb-only", "1");
            replica.send(RawConnection.command("SYNC"));
            assertTrue(replica.readSyncLength() > 4_000_000, "the file spans many chunks");
            replica.readBytes(1000);
        }
        assertEquals("PONG", jedis.ping());
        try (RawConnection replica = new RawConnection(postbox.port())) {
            replica.call("REPLCONF", "rdb-only", "1");
            replica.send(RawConnection.command("SYNC"));
            replica.readBytes((int) replica.readSyncLength());
            assertTrue(replica.closedByPeer(5_000));
        }
        assertEquals(20_000, jedis.llen("big"));
    }

    @Test
    void aReplicaBeingSentItsSnapshotShowsInInfoReplicationNotInConnectedClients() throws Exception {
        pushIncompressible(200_000);
        try (RawConnection replica = new RawConnection(postbox.port())) {
            replica.call("REPLCONF", "listening-port", "6380", "rdb-only", "1");
            replica.send(RawConnection.command("SYNC"));
            long length = replica.readSyncLength();
            // The replica reads no further: its 40 MB cannot all be sent, and the transfer waits for it.
            Map<String, String> info = InfoFields.parse(jedis.info());
            assertEquals("1", info.get("connected_slaves"));
            assertEquals("ip=127.0.0.1,port=6380,state=send_bulk,offset=0,lag=0", info.get("slave0"));
            assertEquals("1", info.get("connected_clients"), "the replica is not counted as a client");
            String replicas = jedis.clientList(ClientType.REPLICA);
            assertTrue(replicas.contains(" flags=S ") && replicas.contains(" cmd=sync "), replicas);
            replica.readBytes((int) length);
            assertTrue(replica.closedByPeer(5_000));
        }
        assertEquals("0", InfoFields.parse(jedis.info("replication")).get("connected_slaves"));
    }

    @Test
    void aReplicaThatTakesNothingForReplTimeoutIsDropped() throws Exception {
        pushIncompressible(200_000);
        jedis.configSet("repl-timeout", "1");
        try (RawConnection replica = new RawConnection(postbox.port())) {
            replica.call("REPLCONF", "rdb-only", "1");
            replica.send(RawConnection.command("SYNC"));
            long length = replica.readSyncLength();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!"0".equals(InfoFields.parse(jedis.info("replication")).get("connected_slaves"))) {
                assertTrue(System.nanoTime() < deadline, "the stalled replica was never dropped");
                Thread.sleep(50);
            }
            assertThrows(EOFException.class, () -> replica.readBytes((int) length), "the payload is cut short");
        }
        assertEquals(200_000, jedis.llen("big"));
    }

    @Test
    void aReplicaThatWantsOnlyTheFunctionsIsRefused() throws Exception {
        assumeRedisCli();
        Path functions = dir.resolve("functions.rdb");
        Subprocess.Result cli = redisCli("--functions-rdb", functions.toString());
        assertNotEquals(0, cli.exitCode(), cli.output());
        assertTrue(cli.output().contains("SYNC with master failed: -ERR Postbox cannot send a snapshot of the "
                + "functions only (rdb-filter-only): use FUNCTION DUMP"), cli.output());
        assertTrue(Files.notExists(functions));
        assertEquals("0", InfoFields.parse(jedis.info("stats")).get("sync_full"));
    }

    /** A list of {@code elements} random 200-byte elements: 200,000 make a 40 MB snapshot. */
    private void pushIncompressible(int elements) {
        Random random = new Random(elements);
        for (int pushed = 0; pushed < elements; pushed += 10_000) {
            byte[][] batch = new byte[Math.min(10_000, elements - pushed)][];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = new byte[200];
                random.nextBytes(batch[i]);
            }
            jedis.rpush("big".getBytes(StandardCharsets.US_ASCII), batch);
        }
    }

    /** Every type, small and large encodings, TTLs, two databases. */
    private void populate() {
        for (int db : new int[] {0, 3}) {
            jedis.select(db);
            jedis.set("counter", "12345");
            jedis.set("text", "payload-" + db);
            jedis.setex("expiring", 3600, "soon");
            jedis.rpush("queue", "job-1", "job-2");
            jedis.hset("job:1", Map.of("state", "waiting", "attempts", "0"));
            jedis.sadd("ids", "1", "2", "3");
            jedis.zadd("delayed", 1_700_000_000_000.0, "job-1");
            jedis.xadd("events", StreamEntryID.NEW_ENTRY, Map.of("type", "created"));
            for (int i = 0; i < 2000; i++) {
                jedis.rpush("long-queue", "job-" + i);
                jedis.hset("big-hash", "field-" + i, "value-" + i);
                jedis.sadd("big-set", "member-" + i);
                jedis.zadd("big-delayed", i * 1.5, "job-" + i);
            }
        }
        jedis.select(0);
    }

    /** Waits up to 10 s for INFO's {@code field} to read {@code value}. */
    private void awaitInfo(String field, String value) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!value.equals(InfoFields.parse(jedis.info()).get(field))) {
            assertTrue(System.nanoTime() < deadline, "INFO never said " + field + ":" + value);
            Thread.sleep(20);
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
