package io.postbox.it;

import static io.postbox.it.SnapshotPersistenceTest.command;
import static io.postbox.it.SnapshotPersistenceTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.ReferenceRedis;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * DEBUG OBJECT side by side with redis-server: the same fields for the same values (reference count,
 * encoding, RDB length, and a list's nodes), except the address and access clock, which are each
 * server's own. RDB compression is off on both, since the two servers' LZF outputs differ in length.
 */
class DebugObjectTest {

    private static final List<String> KEYS = List.of(
            "int", "embstr", "raw", "shared", "list", "biglist", "hash", "bighash", "intset", "zset", "expired");

    @Test
    void describesEveryTypeAsRedisDoes() throws InterruptedException {
        ReferenceRedis reference = ReferenceRedis.require();
        try (InJvmPostbox postbox = InJvmPostbox.start("--enable-debug-command", "yes");
             Jedis redis = new Jedis("127.0.0.1", reference.port());
             Jedis ours = new Jedis("127.0.0.1", postbox.port())) {
            Map<String, Map<String, String>> expected;
            try {
                expected = describeAll(redis);
            } finally {
                redis.configSet("rdbcompression", "yes");
                redis.sendCommand(command("DEBUG"), "SET-ACTIVE-EXPIRE", "1");
            }
            Map<String, Map<String, String>> actual = describeAll(ours);

            for (String key : KEYS) {
                Map<String, String> want = expected.get(key);
                Map<String, String> got = actual.get(key);
                assertTrue(got.remove("at").matches("0x[0-9a-f]+"), key);
                assertTrue(Long.parseLong(got.remove("lru_seconds_idle")) <= 2, key);
                assertTrue(Long.parseLong(got.remove("lru")) < 1 << 24, key);
                want.keySet().removeAll(List.of("at", "lru_seconds_idle", "lru"));
                if (key.equals("biglist")) {
                    assertSimilarNodes(want, got);
                }
                assertEquals(want, got, key);
            }
        }
    }

    @Test
    void aMissingKeyIsAnError() {
        ReferenceRedis reference = ReferenceRedis.require();
        try (InJvmPostbox postbox = InJvmPostbox.start("--enable-debug-command", "yes");
             Jedis redis = new Jedis("127.0.0.1", reference.port());
             Jedis ours = new Jedis("127.0.0.1", postbox.port())) {
            for (Jedis jedis : List.of(redis, ours)) {
                jedis.del("missing");
                JedisDataException error = assertThrows(JedisDataException.class,
                        () -> jedis.sendCommand(command("DEBUG"), "OBJECT", "missing"));
                assertEquals("ERR no such key", error.getMessage());
            }
        }
    }

    /**
     * Redis ends a node 8 bytes before its 8 KB limit at most (its estimate of an entry's overhead);
     * Postbox fills chunks to the byte. So a list of 40 KB has 6 nodes in Redis and 5 or 6 here, and the
     * fields that follow from the node count (and the RDB length, a header per node) may differ a little.
     */
    private static void assertSimilarNodes(Map<String, String> want, Map<String, String> got) {
        List<String> layout = List.of("ql_nodes", "ql_avg_node", "ql_uncompressed_size", "serializedlength");
        long wantNodes = Long.parseLong(want.get("ql_nodes"));
        long gotNodes = Long.parseLong(got.get("ql_nodes"));
        assertTrue(gotNodes == wantNodes || gotNodes == wantNodes - 1, want + " / " + got);
        for (String field : List.of("ql_uncompressed_size", "serializedlength")) {
            long difference = Long.parseLong(want.get(field)) - Long.parseLong(got.get(field));
            assertTrue(difference >= 0 && difference <= 16 * (wantNodes - gotNodes), field + ": " + want + " / " + got);
        }
        want.keySet().removeAll(layout);
        got.keySet().removeAll(layout);
    }

    /** Makes the same keys on a server and reads DEBUG OBJECT of each, as field to value. */
    private static Map<String, Map<String, String>> describeAll(Jedis jedis) throws InterruptedException {
        jedis.flushAll();
        jedis.configSet("rdbcompression", "no");
        jedis.set("int", "12345");
        jedis.set("embstr", "hello");
        jedis.set("raw", "r".repeat(100));
        jedis.set("shared", "7");
        jedis.rpush("list", "a", "b", "c");
        jedis.rpush("biglist", IntStream.range(0, 3000).mapToObj(i -> "element:" + i).toArray(String[]::new));
        jedis.hset("hash", Map.of("f", "v"));
        for (int i = 0; i < 200; i++) {
            jedis.hset("bighash", "field:" + i, "value:" + i);
        }
        jedis.sadd("intset", "1", "2", "300000");
        jedis.zadd("zset", 1.5, "m");
        // DEBUG OBJECT finds a key whose time has passed, as long as nothing has deleted it yet.
        jedis.sendCommand(command("DEBUG"), "SET-ACTIVE-EXPIRE", "0");
        jedis.psetex("expired", 1, "gone");
        Thread.sleep(10);

        Map<String, Map<String, String>> descriptions = new LinkedHashMap<>();
        for (String key : KEYS) {
            descriptions.put(key, fields(text(jedis.sendCommand(command("DEBUG"), "OBJECT", key))));
        }
        return descriptions;
    }

    private static Map<String, String> fields(String description) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : description.replaceFirst("^Value ", "").split(" ")) {
            int colon = field.lastIndexOf(':');
            fields.put(field.substring(0, colon), field.substring(colon + 1));
        }
        return fields;
    }
}
