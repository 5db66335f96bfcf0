package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostboxExtension;
import io.postbox.it.support.InfoFields;
import io.postbox.it.support.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Postbox has no replication. Whoever asks for it, a user typing REPLICAOF or a redis-server started
 * as Postbox's replica, gets an error that says so, and the server goes on serving its data unchanged.
 * (A client that wants only the snapshot, as {@code redis-cli --rdb} does, gets it: SnapshotOverSyncTest.)
 */
class ReplicationRefusedTest {

    private static final String CANNOT_FEED = "ERR Postbox does not support replication: it cannot feed a replica";

    @RegisterExtension
    final InJvmPostboxExtension postbox = new InJvmPostboxExtension();
    private Jedis jedis;

    @BeforeEach
    void connectAndFill() {
        jedis = new Jedis("127.0.0.1", postbox.port());
        jedis.rpush("queue", "m1", "m2", "m3");
    }

    @AfterEach
    void disconnect() {
        jedis.close();
    }

    private void assertStillAMasterWithItsData() {
        assertEquals("master", jedis.role().get(0));
        assertEquals(List.of("m1", "m2", "m3"), jedis.lrange("queue", 0, -1));
        assertEquals(4, jedis.rpush("queue", "m4"), "writes are still accepted");
    }

    @Test
    void replicaofAnotherServerIsRefusedAndNoOneIsAccepted() {
        JedisDataException refused = assertThrows(JedisDataException.class, () -> jedis.replicaof("127.0.0.1", 6390));
        assertEquals("ERR Postbox does not support replication: it cannot be a replica of 127.0.0.1:6390",
                refused.getMessage());
        assertEquals("OK", jedis.replicaofNoOne());
        assertStillAMasterWithItsData();
    }

    @Test
    void aRedisReplicaOfPostboxLogsWhyItCannotSync(@TempDir Path dir) throws Exception {
        try (RedisServerProcess replica = RedisServerProcess.start(dir, "--replicaof", "127.0.0.1",
                Integer.toString(postbox.port()))) {
            Path log = dir.resolve("redis.log");
            String expected = "MASTER aborted replication with an error: " + CANNOT_FEED;
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!Files.readString(log, StandardCharsets.ISO_8859_1).contains(expected)) {
                assertTrue(System.nanoTime() < deadline, "the replica's log never said: " + expected);
                Thread.sleep(50);
            }
            try (Jedis onReplica = new Jedis("127.0.0.1", replica.port())) {
                assertEquals("down", InfoFields.parse(onReplica.info("replication")).get("master_link_status"));
            }
        }
        assertEquals("0", InfoFields.parse(jedis.info("replication")).get("connected_slaves"));
        assertStillAMasterWithItsData();
    }
}
