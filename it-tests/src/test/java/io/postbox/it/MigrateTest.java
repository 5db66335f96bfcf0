package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.RedisServerProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * MIGRATE from Postbox to a redis-server: each scenario runs with Postbox as the source, whose
 * observations are checked, then with a redis-server as the source, which must observe the same (both
 * skipped without redis-server).
 */
class MigrateTest {

    @TempDir
    Path dir;

    @FunctionalInterface
    private interface Scenario {
        List<String> observe(Jedis source, Jedis target, int targetPort) throws Exception;
    }

    private void sideBySide(Scenario scenario, List<String> expected) throws Exception {
        try (RedisServerProcess target = RedisServerProcess.start(Files.createDirectories(dir.resolve("target1")));
             InJvmPostbox postbox = InJvmPostbox.start();
             Jedis source = new Jedis("127.0.0.1", postbox.port());
             Jedis targetClient = new Jedis("127.0.0.1", target.port())) {
            assertEquals(expected, scenario.observe(source, targetClient, target.port()), "from Postbox");
        }
        try (RedisServerProcess target = RedisServerProcess.start(Files.createDirectories(dir.resolve("target2")));
             RedisServerProcess redis = RedisServerProcess.start(Files.createDirectories(dir.resolve("source")));
             Jedis source = new Jedis("127.0.0.1", redis.port());
             Jedis targetClient = new Jedis("127.0.0.1", target.port())) {
            assertEquals(expected, scenario.observe(source, targetClient, target.port()), "from redis-server");
        }
    }

    @Test
    void aQueueAndItsSchedulesMoveWithTheirExpiry() throws Exception {
        sideBySide((source, target, port) -> {
            source.rpush("queue", "m1", "m2", "m3");
            source.zadd("delayed", 100, "j1");
            source.zadd("delayed", 200, "j2");
            source.hset("job:1", "state", "new");
            source.sadd("workers", "w1", "w2");
            source.psetex("lock", 60_000, "owner");
            List<String> seen = new ArrayList<>();
            seen.add(migrate(source, port, "", "0", "5000", "KEYS", "queue", "delayed", "job:1", "workers", "lock",
                    "missing"));
            seen.add("left here: " + source.exists("queue", "delayed", "job:1", "workers", "lock"));
            seen.add(source.info("stats").lines().filter(line -> line.startsWith("migrate_cached_sockets:"))
                    .findFirst().orElse("migrate_cached_sockets missing"));
            seen.add(String.join(" ", target.lrange("queue", 0, -1)));
            seen.add(target.zrangeWithScores("delayed", 0, -1).toString());
            seen.add(target.hgetAll("job:1").toString());
            seen.add(new TreeSet<>(target.smembers("workers")).toString());
            long ttl = target.pttl("lock");
            seen.add(target.get("lock") + ", expiry kept: " + (ttl > 0 && ttl <= 60_000));
            return seen;
        }, List.of("OK", "left here: 0", "migrate_cached_sockets:1", "m1 m2 m3", "[[j1,100.0], [j2,200.0]]", "{state=new}", "[w1, w2]",
                "owner, expiry kept: true"));
    }

    @Test
    void copyReplaceAndTheTargetsRefusals() throws Exception {
        sideBySide((source, target, port) -> {
            List<String> seen = new ArrayList<>();
            source.set("k", "new");
            target.set("k", "old");
            seen.add(migrate(source, port, "k", "0", "5000"));
            seen.add("kept after a refusal: " + source.exists("k"));
            seen.add(migrate(source, port, "k", "0", "5000", "REPLACE"));
            seen.add(target.get("k") + ", kept here: " + source.exists("k"));
            source.set("c", "copied");
            seen.add(migrate(source, port, "c", "3", "5000", "COPY"));
            target.select(3);
            seen.add(target.get("c") + ", kept here: " + source.exists("c"));
            seen.add(migrate(source, port, "c", "99", "5000"));
            seen.add(migrate(source, port, "missing", "0", "5000"));
            target.configSet("requirepass", "secret");
            seen.add(migrate(source, port, "c", "0", "5000", "AUTH", "wrong"));
            // As in Redis, the commands after a refused AUTH still ran on the connection, which was logged in
            // before the password was set; the key stays here all the same.
            target.select(0);
            seen.add("restored all the same: " + target.exists("c") + ", kept here: " + source.exists("c"));
            seen.add(migrate(source, port, "c", "0", "5000", "REPLACE", "AUTH2", "default", "secret"));
            seen.add("moved with AUTH2: " + !source.exists("c"));
            return seen;
        }, List.of("ERR Target instance replied with error: BUSYKEY Target key name already exists.",
                "kept after a refusal: true", "OK", "new, kept here: false", "OK", "copied, kept here: true",
                "ERR Target instance replied with error: ERR DB index is out of range", "NOKEY",
                "ERR Target instance replied with error: WRONGPASS invalid username-password pair or user is"
                        + " disabled.",
                "restored all the same: true, kept here: true", "OK", "moved with AUTH2: true"));
    }

    /** A target that accepts connections and never reads or answers: MIGRATE gives up after its timeout. */
    @Test
    void unreachableAndSilentTargets() throws Exception {
        try (ServerSocket silent = new ServerSocket();
             ServerSocket closed = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // A small window, fixed: what the target does not read soon stops the source's writes.
            silent.setReceiveBufferSize(4096);
            silent.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int closedPort = closed.getLocalPort();
            closed.close();
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closing) {
                    // The test is over.
                }
            });
            acceptor.start();
            sideBySide((source, target, port) -> {
                source.set("k", "v");
                // More than the sockets' buffers take, and random so that its payload does not compress:
                // the write itself waits for the target, then times out.
                byte[] big = new byte[16 << 20];
                new Random(1).nextBytes(big);
                source.set("big".getBytes(), big);
                return List.of(migrate(source, closedPort, "k", "0", "300"),
                        migrate(source, silent.getLocalPort(), "k", "0", "300"),
                        migrate(source, silent.getLocalPort(), "big", "0", "300"),
                        "still here: " + source.get("k"),
                        migrate(source, port, "k", "0", "300", "KEYS", "k"),
                        migrate(source, port, "", "0", "300", "AUTH"),
                        migrate(source, port, "k", "0", "300", "EXTRA"),
                        migrate(source, port, "k", "db", "300"));
            }, List.of("IOERR error or timeout writing to target instance",
                    "IOERR error or timeout reading to target instance",
                    "IOERR error or timeout writing to target instance", "still here: v",
                    "ERR When using MIGRATE KEYS option, the key argument must be set to the empty string",
                    "ERR syntax error", "ERR syntax error", "ERR value is not an integer or out of range"));
            silent.close();
            acceptor.join();
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    /** MIGRATE's reply, or the error it got. */
    private static String migrate(Jedis source, int port, String key, String db, String timeout, String... options) {
        List<String> args = new ArrayList<>(List.of("127.0.0.1", Integer.toString(port), key, db, timeout));
        args.addAll(List.of(options));
        try {
            Object reply = source.sendCommand(() -> "MIGRATE".getBytes(), args.toArray(String[]::new));
            return new String((byte[]) reply);
        } catch (JedisDataException error) {
            return error.getMessage();
        }
    }
}
