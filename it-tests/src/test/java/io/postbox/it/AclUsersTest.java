package io.postbox.it;

import static io.postbox.it.SnapshotPersistenceTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.PackagedPostbox;
import io.postbox.it.support.RawConnection;
import io.postbox.it.support.RedisServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * ACL users as production setups use them: a queue worker limited to its keys and channels, users
 * defined in the config or in an ACL file. Side by side with redis-server: what one connection sees
 * when another changes or deletes its user, what the ACL log keeps, and the ACL file's round trip.
 * Then a real client, Jedis, logs in as a restricted user and works its queue.
 */
class AclUsersTest {

    private static final String[] WORKER = {"--user", "worker", "on", ">pw", "~q:*", "&jobs", "+@list",
        "+@connection", "+subscribe", "+multi", "+exec"};

    @Test
    void aLoggedInClientFollowsItsUsersRulesAsInRedis(@TempDir Path dir) throws Exception {
        List<String> redis = assertSameReplies(dir, (port, serverDir) -> rulesChangeUnderAClient(port), WORKER);
        assertEquals("-NOPERM this user has no permissions to run the 'rpush' command\r\n", redis.get(4),
                "the reference");
        assertTrue(redis.get(9).contains("-NOPERM ACLs rules changed between the moment the transaction was "
                + "accumulated and the EXEC call."), "the reference: " + redis.get(9));
        assertEquals(List.of("subscriber closed: false", "subscriber closed: true"),
                List.of(redis.get(13), redis.get(15)), "the reference");
        assertEquals("worker closed: true", redis.get(19), "the reference");
    }

    private static List<String> rulesChangeUnderAClient(int port) {
        List<String> replies = new ArrayList<>();
        try (RawConnection admin = new RawConnection(port);
             RawConnection worker = new RawConnection(port);
             RawConnection subscriber = new RawConnection(port)) {
            replies.add(text(worker.call("AUTH", "worker", "pw")));
            replies.add(text(worker.call("RPUSH", "q:1", "a")));
            replies.add(text(worker.call("SET", "q:2", "x")));
            replies.add(text(admin.call("ACL", "SETUSER", "worker", "-rpush")));
            replies.add(text(worker.call("RPUSH", "q:1", "b")));
            // Queued while allowed, refused at EXEC once the rules changed.
            replies.add(text(worker.call("MULTI")));
            replies.add(text(worker.call("LPUSH", "q:1", "c")));
            replies.add(text(worker.call("LLEN", "q:1")));
            replies.add(text(admin.call("ACL", "SETUSER", "worker", "-lpush")));
            replies.add(text(worker.call("EXEC")));
            // A subscriber whose channel is revoked is disconnected; keeping the channel keeps it.
            replies.add(text(subscriber.call("AUTH", "worker", "pw")));
            replies.add(text(subscriber.call(List.of("SUBSCRIBE".getBytes(), "jobs".getBytes()), 1)));
            replies.add(text(admin.call("ACL", "SETUSER", "worker", "&other")));
            replies.add("subscriber closed: " + subscriber.closedByPeer(300));
            replies.add(text(admin.call("ACL", "SETUSER", "worker", "resetchannels", "&other")));
            replies.add("subscriber closed: " + subscriber.closedByPeer(2000));
            replies.add(text(admin.call("CLIENT", "KILL", "USER", "nosuch")));
            replies.add(logSummary(admin));
            // Deleting the user disconnects its clients.
            replies.add(text(admin.call("ACL", "DELUSER", "worker")));
            replies.add("worker closed: " + worker.closedByPeer(2000));
            replies.add(text(admin.call("ACL", "USERS")));
        } catch (Exception e) {
            replies.add("failed: " + e);
        }
        return replies;
    }

    /** Each ACL LOG entry's count, reason, context, object and user: the rest names connections. */
    private static String logSummary(RawConnection admin) throws Exception {
        String[] log = text(admin.call("ACL", "LOG")).split("\r\n");
        StringBuilder summary = new StringBuilder();
        for (int i = 0; i + 1 < log.length; i++) {
            String field = log[i];
            if (field.equals("count") || field.equals("reason") || field.equals("context")
                    || field.equals("object") || field.equals("username")) {
                summary.append(field).append('=').append(log[i + 2]).append(' ');
            }
        }
        return summary.toString();
    }

    @Test
    void theAclFileLoadsSavesAndRefusesAsInRedis(@TempDir Path dir) throws Exception {
        List<String> redis = assertSameReplies(dir, AclUsersTest::aclFileRoundTrip, "--aclfile", "users.acl");
        assertTrue(redis.get(3).contains("user ops on #"), "the reference saved ops: " + redis.get(3));
        assertTrue(redis.get(7).startsWith("-ERR users.acl:1: Error in applying operation '+nosuch'"),
                "the reference: " + redis.get(7));
    }

    private static List<String> aclFileRoundTrip(int port, Path serverDir) {
        List<String> replies = new ArrayList<>();
        Path file = serverDir.resolve("users.acl");
        try (RawConnection admin = new RawConnection(port)) {
            replies.add(text(admin.call("ACL", "LIST")));
            replies.add(text(admin.call("ACL", "SETUSER", "ops", "on", ">o", "~*", "+@read")));
            replies.add(text(admin.call("ACL", "SAVE")));
            replies.add(Files.readString(file));
            replies.add(text(admin.call("ACL", "SETUSER", "temp", "on")));
            replies.add(text(admin.call("ACL", "LOAD")));
            replies.add(text(admin.call("ACL", "USERS")));
            Files.writeString(file, "user app on +nosuch\nfoo bar\nuser app off\nuser b@d on #abc\n");
            replies.add(text(admin.call("ACL", "LOAD")));
            replies.add(text(admin.call("ACL", "USERS")));
        } catch (Exception e) {
            replies.add("failed: " + e);
        }
        return replies;
    }

    @Test
    void aUserLineNamingNoCommandStopsTheStartAsInRedis(@TempDir Path dir) throws Exception {
        Path postboxDir = Files.createDirectories(dir.resolve("postbox"));
        try (PackagedPostbox postbox = PackagedPostbox.launch(postboxDir, List.of(), List.of(),
                "--user", "app", "on", "+nosuch")) {
            assertEquals(1, postbox.awaitExit(30));
            String log = postbox.log();
            assertTrue(log.contains("Error loading ACL rule '+nosuch' for the user named 'app': Unknown command or "
                    + "category name in ACL"), log);
            assertTrue(log.contains("Critical error while loading ACLs. Exiting."), log);
        }
        Path aclDir = Files.createDirectories(dir.resolve("acl"));
        Files.writeString(aclDir.resolve("users.acl"), "user app on foo\n");
        try (PackagedPostbox postbox = PackagedPostbox.launch(aclDir, List.of(), List.of(),
                "--dir", aclDir.toString(), "--aclfile", "users.acl")) {
            assertEquals(1, postbox.awaitExit(30));
            assertTrue(postbox.log().contains("Aborting Redis startup because of ACL errors: users.acl:1: "
                    + "Syntax error. WARNING: ACL errors detected, no change to the previously active ACL rules was performed"),
                    postbox.log());
        }
    }

    @Test
    void jedisWorksItsQueueAsARestrictedUser(@TempDir Path dir) throws Exception {
        try (PackagedPostbox postbox = PackagedPostbox.start(dir, "--user", "worker", "on", ">pw", "~queue:*",
                "-@all", "+@list", "+@connection", "+acl|whoami");
             Jedis worker = new Jedis("127.0.0.1", postbox.port());
             Jedis producer = new Jedis("127.0.0.1", postbox.port())) {
            assertThrows(JedisAccessControlException.class, () -> worker.auth("worker", "wrong"));
            assertEquals("OK", worker.auth("worker", "pw"));
            assertEquals("worker", worker.aclWhoAmI());
            producer.lpush("queue:jobs", "job-1", "job-2");
            assertEquals("job-1", worker.lmove("queue:jobs", "queue:processing", ListDirection.RIGHT,
                    ListDirection.LEFT));
            assertEquals(1, worker.lrem("queue:processing", 1, "job-1"));
            JedisDataException refused = assertThrows(JedisDataException.class, () -> worker.lpush("other", "x"));
            assertEquals("NOPERM this user has no permissions to access one of the keys used as arguments",
                    refused.getMessage());
            refused = assertThrows(JedisDataException.class, () -> worker.flushAll());
            assertEquals("NOPERM this user has no permissions to run the 'flushall' command", refused.getMessage());
            assertEquals(List.of("job-2"), producer.lrange("queue:jobs", 0, -1));
            assertNotEquals(-1, producer.clientList().indexOf("user=worker"));
        }
    }

    /**
     * Runs {@code scenario} against Postbox and then redis-server, each started with {@code args}, and
     * returns what the reference replied.
     */
    private static List<String> assertSameReplies(Path dir, BiFunction<Integer, Path, List<String>> scenario,
                                                  String... args) throws Exception {
        List<String> postbox;
        Path postboxDir = serverDir(dir, "postbox");
        try (PackagedPostbox server = PackagedPostbox.start(postboxDir, withDir(postboxDir, args))) {
            postbox = scenario.apply(server.port(), postboxDir);
        }
        List<String> redis;
        Path redisDir = serverDir(dir, "redis");
        try (RedisServerProcess server = RedisServerProcess.start(redisDir, withDir(redisDir, args))) {
            redis = scenario.apply(server.port(), redisDir);
        }
        assertEquals(redis, postbox);
        return redis;
    }

    private static Path serverDir(Path dir, String name) throws Exception {
        Path serverDir = Files.createDirectories(dir.resolve(name));
        Files.writeString(serverDir.resolve("users.acl"), "user default on nopass ~* &* +@all\n");
        return serverDir;
    }

    private static String[] withDir(Path serverDir, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--dir", serverDir.toString()));
        return all.toArray(String[]::new);
    }
}
