package io.postbox.it;

import static io.postbox.it.support.Await.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostboxExtension;
import io.postbox.it.support.RawConnection;
import io.postbox.it.support.RespValue;
import io.postbox.it.support.SideBySideClients;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * Publish/subscribe across connections: delivery to every subscriber in order, pushes beside replies
 * in RESP3, cleanup on disconnection, and how CLIENT LIST, CLIENT KILL, INFO and the idle timeout see
 * subscribers. One-connection behaviour is in pubsub.redis.
 */
class PubSubTest {

    @RegisterExtension
    final InJvmPostboxExtension postbox = new InJvmPostboxExtension();
    @RegisterExtension
    final SideBySideClients clients = new SideBySideClients(postbox);

    private Jedis jedis() {
        return new Jedis("127.0.0.1", postbox.port());
    }

    private RawConnection raw() throws IOException {
        return new RawConnection(postbox.port());
    }

    @Test
    void everySubscriberGetsEveryMessageInPublishOrder() throws Exception {
        List<RawConnection> subscribers = new ArrayList<>();
        try (Jedis publisher = jedis()) {
            for (int i = 0; i < 3; i++) {
                RawConnection subscriber = raw();
                subscriber.call("SUBSCRIBE", "jobs");
                subscribers.add(subscriber);
            }
            RawConnection patterns = raw();
            patterns.call("PSUBSCRIBE", "jo*");
            subscribers.add(patterns);
            for (int i = 0; i < 500; i++) {
                assertEquals(4, publisher.publish("jobs", "job-" + i));
            }
            assertEquals(0, publisher.publish("other", "nobody listens"));
            for (RawConnection subscriber : subscribers.subList(0, 3)) {
                for (int i = 0; i < 500; i++) {
                    assertEquals("[message, jobs, job-" + i + "]", message(subscriber.readReply()));
                }
            }
            for (int i = 0; i < 500; i++) {
                assertEquals("[pmessage, jo*, jobs, job-" + i + "]", message(patterns.readReply()));
            }
        } finally {
            for (RawConnection subscriber : subscribers) {
                subscriber.close();
            }
        }
    }

    @Test
    void aResp3SubscriberGetsPushesBetweenItsReplies() throws Exception {
        try (RawConnection subscriber = raw(); Jedis publisher = jedis()) {
            subscriber.call("HELLO", "3");
            subscriber.call("SUBSCRIBE", "news");
            subscriber.call("SET", "k", "v");
            publisher.publish("news", "first");
            assertEquals(">3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nfirst\r\n", text(subscriber.readReply()));
            assertEquals("$1\r\nv\r\n", text(subscriber.call("GET", "k")));
            publisher.publish("news", "second");
            subscriber.send(List.of(bytes("GET"), bytes("k")));
            assertEquals(">3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$6\r\nsecond\r\n", text(subscriber.readReply()));
            assertEquals("$1\r\nv\r\n", text(subscriber.readReply()));
        }
    }

    @Test
    void shardChannelsAreSeparateFromChannels() throws Exception {
        try (RawConnection shard = raw(); RawConnection plain = raw(); RawConnection publisher = raw()) {
            shard.call("SSUBSCRIBE", "orders");
            plain.call("SUBSCRIBE", "orders");
            assertEquals(":1\r\n", text(publisher.call("SPUBLISH", "orders", "to-shard")));
            assertEquals(":1\r\n", text(publisher.call("PUBLISH", "orders", "to-channel")));
            assertEquals(":1\r\n", text(publisher.call("SPUBLISH", "orders", "again")));
            assertEquals("[smessage, orders, to-shard]", message(shard.readReply()));
            assertEquals("[smessage, orders, again]", message(shard.readReply()),
                    "PUBLISH's message did not reach the shard subscriber");
            assertEquals("[message, orders, to-channel]", message(plain.readReply()));
        }
    }

    @Test
    void disconnectingEndsEverySubscription() throws Exception {
        try (Jedis observer = jedis()) {
            try (RawConnection subscriber = raw()) {
                subscriber.call("SUBSCRIBE", "a");
                subscriber.call("PSUBSCRIBE", "p*");
                subscriber.call("SSUBSCRIBE", "s");
                assertEquals(Map.of("a", 1L), observer.pubsubNumSub("a"));
                assertEquals(1, observer.pubsubNumPat());
                assertTrue(observer.info("stats").contains("pubsub_channels:1\r\npubsub_patterns:1\r\npubsubshard_channels:1"));
            }
            awaitTrue(() -> observer.pubsubNumPat() == 0 && observer.publish("a", "x") == 0,
                    "a closed subscriber is unsubscribed");
            assertTrue(observer.info("stats").contains("pubsub_channels:0\r\npubsub_patterns:0\r\npubsubshard_channels:0"));
        }
    }

    @Test
    void clientListShowsSubscriptionsAndTypePubsub() throws Exception {
        try (RawConnection subscriber = raw(); Jedis observer = jedis()) {
            long id = Long.parseLong(text(subscriber.call("CLIENT", "ID")).substring(1).trim());
            subscriber.call(List.of(bytes("SUBSCRIBE"), bytes("a"), bytes("b")), 2);
            subscriber.call("PSUBSCRIBE", "p*");
            subscriber.call("SSUBSCRIBE", "s");
            String line = observer.clientList(ClientType.PUBSUB);
            assertTrue(line.startsWith("id=" + id + " "), line);
            assertTrue(line.contains(" flags=P db=0 sub=2 psub=1 ssub=1 multi=-1 "), line);
            assertTrue(line.contains(" cmd=ssubscribe "), line);
            assertFalse(observer.clientList(ClientType.NORMAL).contains("id=" + id + " "));
            assertEquals(1, observer.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB)));
            assertTrue(subscriber.closedByPeer(2000));
        }
    }

    @Test
    void theIdleTimeoutSparesSubscribersAndMonitors() throws Exception {
        try (RawConnection subscriber = raw(); RawConnection monitor = raw(); RawConnection idle = raw()) {
            subscriber.call("SUBSCRIBE", "quiet");
            monitor.call("MONITOR");
            try (Jedis admin = jedis()) {
                admin.configSet("timeout", "1");
            }
            assertTrue(idle.closedByPeer(5000), "an idle normal client is closed");
            try (Jedis publisher = jedis()) {
                assertEquals(1, publisher.publish("quiet", "still here"));
            }
            assertEquals("[message, quiet, still here]", message(subscriber.readReply()));
            String line;
            do {
                line = text(monitor.readReply());
            } while (!line.contains("\"PUBLISH\""));
            assertTrue(line.endsWith("\"PUBLISH\" \"quiet\" \"still here\"\r\n"), line);
        }
    }

    /** A pub/sub message as its elements' texts: {@code [message, channel, payload]}. */
    /** Redis 7.0 pushes pub/sub past CLIENT REPLY OFF: confirmations and messages, in RESP2 too. */
    @ParameterizedTest
    @MethodSource(SideBySideClients.SERVERS)
    void subscriptionsAndMessagesAreSentWhileRepliesAreOff(String server) throws Exception {
        RawConnection subscriber = clients.raw(server);
        Jedis publisher = clients.jedis(server);
        subscriber.send(RawConnection.command("CLIENT", "REPLY", "OFF"));
        subscriber.send(RawConnection.command("SUBSCRIBE", "news"));
        assertEquals("*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n", text(subscriber.readReply()));
        assertEquals(1, publisher.publish("news", "first"));
        assertEquals("*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nfirst\r\n", text(subscriber.readReply()));
        subscriber.send(RawConnection.command("UNSUBSCRIBE"));
        assertEquals("*3\r\n$11\r\nunsubscribe\r\n$4\r\nnews\r\n:0\r\n", text(subscriber.readReply()));
        subscriber.send(RawConnection.command("PING"));
        subscriber.send(RawConnection.command("CLIENT", "REPLY", "ON"));
        assertEquals("+OK\r\n", text(subscriber.readReply()), "the PING's reply stayed off");
    }

    /** CONFIG SET maxmemory below what the data takes evicts right after it, without waiting for a command. */
    @ParameterizedTest
    @MethodSource(SideBySideClients.SERVERS)
    void aLimitSetAtRuntimeEvictsWithoutWaitingForTheNextCommand(String server) throws Exception {
        Jedis admin = clients.jedis(server);
        admin.flushAll();
        admin.set("cached", "value");
        try {
            admin.configSet("maxmemory-policy", "allkeys-lru");
            admin.configSet("notify-keyspace-events", "Ee");
            RawConnection subscriber = clients.raw(server);
            subscriber.call("SUBSCRIBE", "__keyevent@0__:evicted");
            admin.configSet("maxmemory", "1");
            assertEquals("[message, __keyevent@0__:evicted, cached]", message(subscriber.readReply()));
        } finally {
            admin.configSet("maxmemory", "0");
            admin.configSet("maxmemory-policy", "noeviction");
            admin.configSet("notify-keyspace-events", "");
        }
    }

    private static String message(byte[] reply) {
        return RespValue.parse(reply).elements().stream().map(RespValue::text).toList().toString();
    }

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
