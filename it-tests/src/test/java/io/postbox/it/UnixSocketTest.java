package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.postbox.it.support.PackagedPostbox;
import io.postbox.it.support.RedisServerProcess;
import io.postbox.it.support.ReferenceRedis;
import io.postbox.it.support.Subprocess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code unixsocket}: workers on the server's host connect through a socket file, as to redis-server.
 * Side by side, through redis-cli -s: the file's mode, replies, how CLIENT INFO shows such a client,
 * that it counts as local, and that the file is replaced at startup and removed at shutdown.
 */
class UnixSocketTest {

    private static final Pattern CLIENT_FIELDS = Pattern.compile("addr=(\\S*) laddr=(\\S*) .*flags=(\\S*)");

    @Test
    void localClientsConnectThroughTheSocketFileAsToRedis(@TempDir Path dir) throws Exception {
        assumeTrue(ReferenceRedis.onPath("redis-cli") != null,
                "redis-cli is not on the PATH (apt-get install redis-tools)");
        Path postboxSocket = dir.resolve("postbox.sock");
        Files.writeString(postboxSocket, "left behind by a server that was killed");
        List<String> postbox;
        try (PackagedPostbox server = PackagedPostbox.start(Files.createDirectories(dir.resolve("postbox")),
                options(postboxSocket))) {
            postbox = throughSocket(postboxSocket);
            assertEquals(0, server.terminate());
            assertTrue(server.log().contains("The server is now ready to accept connections at " + postboxSocket),
                    server.log());
            assertTrue(server.log().contains("Removing the unix socket file."), server.log());
        }
        assertFalse(Files.exists(postboxSocket), "removed at shutdown");

        Path redisSocket = dir.resolve("redis.sock");
        List<String> redis;
        try (RedisServerProcess server = RedisServerProcess.start(Files.createDirectories(dir.resolve("redis")),
                options(redisSocket))) {
            redis = throughSocket(redisSocket);
        }
        assertFalse(Files.exists(redisSocket), "the reference removes it at shutdown");
        assertEquals(List.of("rwx------", "PONG", "1", "jobs\nresize", "<socket>:0 <socket>:0 U", "OK"), redis,
                "the reference");
        assertEquals(redis, postbox);
    }

    @Test
    void aSocketThatCannotBeOpenedStopsTheStartAsInRedis(@TempDir Path dir) throws Exception {
        Subprocess.Result start = PackagedPostbox.runToExit("--port", "0", "--save", "",
                "--unixsocket", dir.resolve("missing").resolve("postbox.sock").toString());
        assertEquals(1, start.exitCode(), start.output());
        assertTrue(start.output().contains("# Failed opening Unix socket: bind: No such file or directory"),
                start.output());
    }

    private static String[] options(Path socket) {
        return new String[] {"--unixsocket", socket.toString(), "--unixsocketperm", "700",
            "--enable-debug-command", "local"};
    }

    private static List<String> throughSocket(Path socket) throws Exception {
        List<String> seen = new ArrayList<>();
        seen.add(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        seen.add(cli(socket, "PING"));
        seen.add(cli(socket, "LPUSH", "jobs", "resize"));
        seen.add(cli(socket, "BRPOP", "jobs", "1"));
        Matcher client = CLIENT_FIELDS.matcher(cli(socket, "CLIENT", "INFO").replace(socket.toString(), "<socket>"));
        seen.add(client.find() ? client.group(1) + " " + client.group(2) + " " + client.group(3) : "no fields");
        // DEBUG is allowed for local clients only (enable-debug-command local): the socket's count as local.
        seen.add(cli(socket, "DEBUG", "SLEEP", "0"));
        return seen;
    }

    private static String cli(Path socket, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("redis-cli", "-s", socket.toString()));
        args.addAll(List.of(command));
        Subprocess.Result result = Subprocess.run(args, null, 30);
        assertEquals(0, result.exitCode(), result.output());
        return result.output().strip();
    }
}
