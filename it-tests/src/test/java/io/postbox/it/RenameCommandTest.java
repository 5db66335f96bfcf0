package io.postbox.it;

import static io.postbox.it.SnapshotPersistenceTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.PackagedPostbox;
import io.postbox.it.support.RawConnection;
import io.postbox.it.support.RedisServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rename-command}, as production configs use it to hide dangerous commands: clients call a
 * renamed command by its new name only, and one renamed to nothing not at all; introspection keeps the
 * command's own name. Side by side with redis-server; and Postbox's append-only file, which records
 * commands by their own names, loads back whatever the renames.
 */
class RenameCommandTest {

    private static final String[] RENAMES = {"--rename-command", "flushdb", "badger", "--rename-command", "keys", ""};

    @Test
    void clientsSeeTheRenamedCommandsAsRedisClientsDo(@TempDir Path dir) throws Exception {
        List<String> postbox;
        try (PackagedPostbox server = PackagedPostbox.start(Files.createDirectories(dir.resolve("postbox")),
                RENAMES)) {
            postbox = repliesWithRenames(server.port());
        }
        List<String> redis;
        try (RedisServerProcess server = RedisServerProcess.start(Files.createDirectories(dir.resolve("redis")),
                RENAMES)) {
            redis = repliesWithRenames(server.port());
        }
        assertEquals("-ERR unknown command 'FLUSHDB', with args beginning with: \r\n", redis.get(0), "the reference");
        assertEquals("+OK\r\n", redis.get(2), "the reference: BADGER flushed");
        assertEquals(redis, postbox);
    }

    private static List<String> repliesWithRenames(int port) throws Exception {
        try (RawConnection client = new RawConnection(port)) {
            List<String> replies = new ArrayList<>();
            replies.add(text(client.call("FLUSHDB")));
            replies.add(text(client.call("SET", "job:1", "queued")));
            replies.add(text(client.call("BADGER")));
            replies.add(text(client.call("DBSIZE")));
            replies.add(text(client.call("KEYS", "*")));
            replies.add(text(client.call("COMMAND", "INFO", "flushdb", "keys")));
            replies.add(text(client.call("COMMAND", "INFO", "badger")));
            // The counts differ (Postbox lacks a few of Redis's commands); what must agree is what is listed.
            List<String> listed = Arrays.stream(text(client.call("COMMAND", "LIST")).split("\r\n")).skip(1)
                    .filter(line -> !line.startsWith("$")).toList();
            replies.add(text(client.call("COMMAND", "COUNT")).equals(":" + listed.size() + "\r\n") + " "
                    + listed.contains("flushdb") + " " + listed.contains("keys") + " " + listed.contains("badger"));
            replies.add(text(client.call("EVAL", "return redis.call('badger')", "0")));
            replies.add(text(client.call("EVAL", "return redis.call('flushdb')", "0")).replaceAll("script: \\w+", ""));
            replies.add(text(client.call("MULTI")));
            replies.add(text(client.call("BADGER")));
            replies.add(text(client.call("EXEC")));
            String commandStats = text(client.call("INFO", "commandstats"));
            replies.add(commandStats.contains("cmdstat_flushdb:calls=3,") + " " + commandStats.contains("badger"));
            return replies;
        }
    }

    /** Renamed SET and ZADD (which GEOADD writes through): the file holds SET and ZADD, and loads back. */
    @Test
    void theAppendOnlyFileRecordsCommandsByTheirOwnNamesAndLoadsBack(@TempDir Path dir) throws Exception {
        String[] options = {"--appendonly", "yes", "--appendfsync", "always", "--rename-command", "set", "put",
                "--rename-command", "zadd", ""};
        try (PackagedPostbox server = PackagedPostbox.start(dir, options);
             RawConnection client = new RawConnection(server.port())) {
            assertEquals("+OK\r\n", text(client.call("PUT", "job:1", "queued")));
            assertEquals(":1\r\n", text(client.call("GEOADD", "depots", "13.361389", "38.115556", "palermo")));
            assertEquals("+OK\r\n", text(client.call("EVAL", "return redis.call('put', KEYS[1], 'done')", "1",
                    "job:2")));
        }
        String incr = Files.readString(dir.resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof"));
        assertTrue(incr.contains("$3\r\nSET\r\n$5\r\njob:1\r\n"), incr);
        assertTrue(incr.toUpperCase(Locale.ROOT).contains("$4\r\nZADD\r\n"), incr);
        assertFalse(incr.toLowerCase(Locale.ROOT).contains("put"), incr);
        try (PackagedPostbox server = PackagedPostbox.start(dir, options);
             RawConnection client = new RawConnection(server.port())) {
            assertEquals("$6\r\nqueued\r\n", text(client.call("GET", "job:1")));
            assertEquals("$4\r\ndone\r\n", text(client.call("GET", "job:2")));
            assertEquals(":1\r\n", text(client.call("ZCARD", "depots")));
        }
    }
}
