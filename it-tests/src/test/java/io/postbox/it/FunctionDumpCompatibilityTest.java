package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.ReferenceRedis;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** FUNCTION DUMP payloads cross between Redis 7.0.15 and Postbox both ways (Redis compresses large codes with LZF). */
class FunctionDumpCompatibilityTest {

    private static final String SMALL = "#!lua name=small\nredis.register_function('f', function() return 1 end)";
    private static final String LARGE = "#!lua name=large\n" + String.join("\n", java.util.stream.IntStream.range(0, 30)
            .mapToObj(i -> "redis.register_function('g" + i + "', function(keys, args) return " + i + " end)").toList());

    @Test
    void aDumpFromEitherServerRestoresOnTheOther() {
        ReferenceRedis reference = ReferenceRedis.require();
        try (InJvmPostbox postbox = InJvmPostbox.start();
             Jedis redis = new Jedis(reference.host(), reference.port());
             Jedis ours = new Jedis("127.0.0.1", postbox.port())) {
            for (Jedis server : List.of(redis, ours)) {
                server.functionFlush();
                server.functionLoad(SMALL);
                server.functionLoad(LARGE);
            }
            byte[] fromRedis = redis.functionDump();
            byte[] fromPostbox = ours.functionDump();
            ours.functionFlush();
            redis.functionFlush();
            assertEquals("OK", ours.functionRestore(fromRedis));
            assertEquals("OK", redis.functionRestore(fromPostbox));
            for (Jedis server : List.of(redis, ours)) {
                assertEquals(29L, server.fcall("g29", List.of(), List.of()));
                assertEquals(1L, server.fcall("f", List.of(), List.of()));
                assertEquals(2, server.functionList().size());
            }
            redis.functionFlush();
        }
    }
}
