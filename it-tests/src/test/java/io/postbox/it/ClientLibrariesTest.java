package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostboxExtension;
import io.postbox.it.support.ReferenceRedis;
import io.postbox.it.support.Subprocess;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * The clients people use connect and work unmodified. "Without warnings" is checked from the server
 * side: whatever a client sends while connecting must not earn an error reply (a client that gets one
 * logs it or falls back), so the server's error counters stay at zero.
 */
class ClientLibrariesTest {

    @RegisterExtension
    final InJvmPostboxExtension postbox = new InJvmPostboxExtension();

    @Test
    void jedisConnectsAndRoundTripsWithoutErrorReplies() {
        try (Jedis jedis = new Jedis("127.0.0.1", postbox.port())) {
            assertEquals("PONG", jedis.ping());
            assertEquals("OK", jedis.set("greeting", "hello"));
            assertEquals("hello", jedis.get("greeting"));
            assertEquals("a\u0000b", jedis.echo("a\u0000b"));
        }
        assertNoErrorReplies();
    }

    @Test
    void redisPyConnectsAndRoundTripsWithoutErrorReplies() throws Exception {
        Assumptions.assumeTrue(Subprocess.run(List.of("/usr/bin/python3", "-c", "import redis"), null, 30).exitCode() == 0,
                "redis-py test skipped: /usr/bin/python3 cannot import redis (apt-get install python3-redis)");
        String script = String.join("\n",
                "import redis, sys",
                "r = redis.Redis(host='127.0.0.1', port=int(sys.argv[1]))",
                "assert r.ping() is True",
                "assert r.set('greeting', b'hello\\x00world') is True",
                "assert r.get('greeting') == b'hello\\x00world'",
                "print('redis-py', redis.__version__, 'ok')");
        Subprocess.Result result = Subprocess.run(
                List.of("/usr/bin/python3", "-c", script, Integer.toString(postbox.port())), null, 60);
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("ok"), result.output());
        assertNoErrorReplies();
    }

    @Test
    void redisCliRunsCommandsAndPipesWithoutErrors() throws Exception {
        Assumptions.assumeTrue(ReferenceRedis.onPath("redis-cli") != null,
                "redis-cli test skipped: redis-cli is not on the PATH (apt-get install redis-tools)");
        String port = Integer.toString(postbox.port());
        Subprocess.Result ping = Subprocess.run(List.of("redis-cli", "-p", port, "ping"), null, 30);
        assertEquals("PONG\n", ping.output());
        Subprocess.Result set = Subprocess.run(List.of("redis-cli", "-p", port, "set", "k", "two words"), null, 30);
        assertEquals("OK\n", set.output());
        Subprocess.Result get = Subprocess.run(List.of("redis-cli", "-p", port, "--no-raw", "get", "k"), null, 30);
        assertEquals("\"two words\"\n", get.output());
        StringBuilder pipe = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            pipe.append("*3\r\n$3\r\nSET\r\n$").append(("key" + i).length()).append("\r\nkey").append(i)
                    .append("\r\n$1\r\nv\r\n");
        }
        Subprocess.Result piped = Subprocess.run(List.of("redis-cli", "-p", port, "--pipe"), pipe.toString(), 60);
        assertTrue(piped.output().contains("errors: 0, replies: 1000"), piped.output());
    }

    private void assertNoErrorReplies() {
        Map<String, Long> errors = postbox.server().engine().stats().errors();
        assertEquals(Map.of(), errors, "error replies the server sent to the client while it connected and worked");
    }
}
