package io.postbox.it;

import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.ReferenceRedis;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import redis.clients.jedis.Jedis;

/**
 * What the tests of a queue framework share: each scenario runs on a fresh Postbox and on the reference
 * Redis ({@link #servers()}), so the framework is seen to behave the same on both.
 */
abstract class QueueFrameworkTest {

    private InJvmPostbox postbox;

    static Stream<String> servers() {
        return Stream.of("postbox", "redis");
    }

    /** Starts a fresh Postbox, or flushes the reference Redis, and returns its port. */
    int serverPort(String server) {
        if (server.equals("postbox")) {
            postbox = InJvmPostbox.start();
            return postbox.port();
        }
        int port = ReferenceRedis.require().port();
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            jedis.flushAll();
        }
        return port;
    }

    @AfterEach
    void stopServer() {
        if (postbox != null) {
            postbox.close();
        }
    }
}
