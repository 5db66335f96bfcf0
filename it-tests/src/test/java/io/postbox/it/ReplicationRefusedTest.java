package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.postbox.it.support.InJvmPostboxExtension;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Postbox feeds replicas (ReplicationTest) but cannot be one: REPLICAOF with a master to follow gets an
 * error that says so, and the server goes on serving its data unchanged.
 */
class ReplicationRefusedTest {

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
}
