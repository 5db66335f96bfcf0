package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostboxExtension;
import io.postbox.it.support.RawConnection;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisDataException;

/** A server with {@code requirepass}: what a client may do before and after it logs in. */
class AuthenticationTest {

    @RegisterExtension
    final InJvmPostboxExtension postbox = new InJvmPostboxExtension("--requirepass", "s3cret");

    private HostAndPort address() {
        return new HostAndPort("127.0.0.1", postbox.port());
    }

    @Test
    void commandsAreRefusedUntilAuthSucceeds() {
        try (Jedis jedis = new Jedis(address())) {
            JedisDataException refused = assertThrows(JedisDataException.class, jedis::ping);
            assertEquals("NOAUTH Authentication required.", refused.getMessage());
            JedisDataException wrong = assertThrows(JedisDataException.class, () -> jedis.auth("guess"));
            assertEquals("WRONGPASS invalid username-password pair or user is disabled.", wrong.getMessage());
            assertEquals("OK", jedis.auth("s3cret"));
            assertEquals("PONG", jedis.ping());
            assertEquals("OK", jedis.auth("default", "s3cret"));
        }
    }

    @Test
    void jedisWithAPasswordLogsInOverResp2AndResp3() {
        for (RedisProtocol protocol : new RedisProtocol[] {RedisProtocol.RESP2, RedisProtocol.RESP3}) {
            DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
                    .password("s3cret").clientName("worker-1").protocol(protocol).build();
            try (Jedis jedis = new Jedis(address(), config)) {
                assertEquals("OK", jedis.set("k", "v"));
                String info = jedis.clientInfo();
                assertTrue(info.contains(" name=worker-1 "), info);
                assertTrue(info.contains(" resp=" + (protocol == RedisProtocol.RESP3 ? 3 : 2)), info);
            }
        }
    }

    @Test
    void helloAuthLogsInAndSwitchesProtocolInOneStep() throws Exception {
        try (RawConnection raw = new RawConnection(postbox.port())) {
            String refused = text(raw.call("HELLO", "3"));
            assertTrue(refused.startsWith("-NOAUTH HELLO must be called with the client already authenticated"), refused);
            String hello = text(raw.call("HELLO", "3", "AUTH", "default", "s3cret", "SETNAME", "raw"));
            assertTrue(hello.startsWith("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n"), hello);
            assertEquals("$3\r\nraw\r\n", text(raw.call("CLIENT", "GETNAME")));
            assertEquals("_\r\n", text(raw.call("GET", "missing")), "replies are RESP3 now");
        }
    }

    @Test
    void resetLogsTheClientOut() {
        try (Jedis jedis = new Jedis(address())) {
            jedis.auth("s3cret");
            assertEquals("RESET", jedis.reset());
            JedisDataException refused = assertThrows(JedisDataException.class, jedis::ping);
            assertEquals("NOAUTH Authentication required.", refused.getMessage());
        }
    }

    @Test
    void aPasswordChangedAtRuntimeAppliesToTheNextCommand() {
        try (Jedis before = new Jedis(address()); Jedis other = new Jedis(address())) {
            before.auth("s3cret");
            assertThrows(JedisDataException.class, other::ping);
            // CONFIG SET requirepass lands with the config branch; this is the same change it makes.
            postbox.server().engine().config().set("requirepass", "");
            assertEquals("PONG", other.ping(), "no password: nobody needs to log in");
            postbox.server().engine().config().set("requirepass", "changed");
            assertEquals("PONG", before.ping(), "a client that logged in stays logged in");
            try (Jedis later = new Jedis(address())) {
                assertThrows(JedisDataException.class, later::ping);
                JedisDataException wrong = assertThrows(JedisDataException.class, () -> later.auth("s3cret"));
                assertTrue(wrong.getMessage().startsWith("WRONGPASS"));
                assertEquals("OK", later.auth("changed"));
            }
        }
    }

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }
}
