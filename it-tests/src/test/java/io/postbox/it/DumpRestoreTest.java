package io.postbox.it;

import static io.postbox.it.SnapshotPersistenceTest.command;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.KeyspaceContents;
import io.postbox.it.support.ReferenceRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.RestoreParams;

/**
 * DUMP and RESTORE between Postbox and redis-server 7.0, as tools that copy keys from one server to
 * another use them: every key of a dataset of every type and encoding, large and small, with expiry
 * times, goes from Redis to Postbox and back, and arrives the same. The byte-level cases and error
 * texts are in {@code sidebyside/dump.redis}.
 */
class DumpRestoreTest {

    private static final int DATABASES = 16;

    @TempDir
    Path dir;

    @Test
    void everyKeyCopiesFromRedisToPostboxAndBackUnchanged() {
        ReferenceRedis reference = ReferenceRedis.require();
        try (InJvmPostbox postbox = InJvmPostbox.start();
             Jedis redis = new Jedis("127.0.0.1", reference.port());
             Jedis ours = new Jedis("127.0.0.1", postbox.port())) {
            redis.flushAll();
            RdbCompatibilityTest.populate(redis, new Random(11));
            Map<String, String> expected = KeyspaceContents.withEncodings(redis, DATABASES);

            assertEquals(expected.size(), copyEveryKey(redis, ours));
            KeyspaceContents.assertSame(expected, KeyspaceContents.withEncodings(ours, DATABASES));

            redis.flushAll();
            assertEquals(expected.size(), copyEveryKey(ours, redis));
            KeyspaceContents.assertSame(expected, KeyspaceContents.withEncodings(redis, DATABASES));
        }
    }

    /** IDLETIME sets a restored key's idle time under LRU; FREQ is ignored then, as Redis ignores it. */
    @Test
    void idletimeSetsTheIdleTimeOfTheRestoredKey() {
        try (InJvmPostbox postbox = InJvmPostbox.start();
             Jedis jedis = new Jedis("127.0.0.1", postbox.port())) {
            jedis.set("source", "hello");
            byte[] payload = jedis.dump("source");
            jedis.restore("idle", 0, payload, RestoreParams.restoreParams().idleTime(1000));
            jedis.restore("fresh", 0, payload, RestoreParams.restoreParams().frequency(100));

            long idle = jedis.objectIdletime("idle");
            assertTrue(idle >= 1000 && idle <= 1002, "idle " + idle);
            assertTrue(jedis.objectIdletime("fresh") <= 2, "FREQ under LRU leaves the key just accessed");
        }
    }

    /**
     * Why a RESTORE payload was refused goes to the log at verbose level, as Redis logs it: here a zipmap
     * with no pair, one of Redis's corrupt-dump cases, its checksum skipped.
     */
    @Test
    void aRefusedPayloadIsLoggedAtVerboseLevel() throws Exception {
        Path logFile = dir.resolve("postbox.log");
        byte[] emptyZipmap = {0x09, 0x02, 0x00, (byte) 0xff, 0x09, 0x00,
            (byte) 0xc0, (byte) 0xf1, (byte) 0xb8, 0x67, 0x4c, 0x16, (byte) 0xac, (byte) 0xe3};
        String refusal = "RESTORE payload refused: Zipmap integrity check failed";
        try (InJvmPostbox postbox = InJvmPostbox.start("--enable-debug-command", "yes", "--logfile",
                logFile.toString(), "--loglevel", "verbose");
             Jedis jedis = new Jedis("127.0.0.1", postbox.port())) {
            jedis.sendCommand(command("DEBUG"), "SET-SKIP-CHECKSUM-VALIDATION", "1");
            for (String level : new String[] {"verbose", "notice"}) {
                jedis.configSet("loglevel", level);
                JedisDataException refused = assertThrows(JedisDataException.class,
                        () -> jedis.restore("hash".getBytes(StandardCharsets.UTF_8), 0, emptyZipmap));
                assertEquals("ERR Bad data format", refused.getMessage());
            }
        }
        String log = Files.readString(logFile);
        assertEquals(1, log.lines().filter(line -> line.contains(refusal)).count(), log);
    }

    /**
     * A TTL relative to now is logged as the time it gives, with ABSTTL (as Redis propagates it), so a
     * restart does not restart the clock; a restore born expired that replaced a key is logged as a DEL.
     */
    @Test
    void theAppendOnlyFileLogsARestoreWithItsExpiryTime() throws Exception {
        long before;
        long after;
        try (InJvmPostbox postbox = InJvmPostbox.start("--dir", dir.toString(), "--save", "", "--appendonly", "yes");
             Jedis jedis = new Jedis("127.0.0.1", postbox.port())) {
            jedis.set("source", "hello");
            byte[] payload = jedis.dump("source");
            before = System.currentTimeMillis();
            jedis.restore("later", 100_000, payload);
            after = System.currentTimeMillis();
            jedis.set("replaced", "x");
            jedis.restore("replaced", 1, payload, RestoreParams.restoreParams().replace().absTtl());
        }
        String log = Files.readString(dir.resolve("appendonlydir/appendonly.aof.1.incr.aof"),
                StandardCharsets.ISO_8859_1);
        Matcher restore = Pattern.compile("\\*5\r\n\\$7\r\nRESTORE\r\n\\$5\r\nlater\r\n\\$13\r\n(\\d{13})\r\n"
                + "\\$\\d+\r\n[^*]*\r\n\\$6\r\nABSTTL\r\n").matcher(log);
        assertTrue(restore.find(), log);
        long loggedAt = Long.parseLong(restore.group(1));
        assertTrue(loggedAt >= before + 100_000 && loggedAt <= after + 100_000, "logged expiry " + loggedAt);
        assertTrue(log.endsWith("*2\r\n$3\r\nDEL\r\n$8\r\nreplaced\r\n"), log);

        try (InJvmPostbox restarted = InJvmPostbox.start("--dir", dir.toString(), "--save", "", "--appendonly", "yes");
             Jedis jedis = new Jedis("127.0.0.1", restarted.port())) {
            assertEquals("hello", jedis.get("later"));
            assertEquals(loggedAt, jedis.pexpireTime("later"));
            assertEquals(false, jedis.exists("replaced"));
        }
    }

    /** Copies every key of {@code from} to {@code to} with DUMP and RESTORE, expiry times kept exactly. */
    private static int copyEveryKey(Jedis from, Jedis to) {
        int copied = 0;
        for (int db = 0; db < DATABASES; db++) {
            from.select(db);
            to.select(db);
            for (byte[] key : from.keys("*".getBytes(StandardCharsets.ISO_8859_1))) {
                long expiresAt = from.pexpireTime(key);
                RestoreParams params = RestoreParams.restoreParams().absTtl();
                assertEquals("OK", to.restore(key, Math.max(expiresAt, 0), from.dump(key), params));
                copied++;
            }
        }
        from.select(0);
        to.select(0);
        return copied;
    }
}
