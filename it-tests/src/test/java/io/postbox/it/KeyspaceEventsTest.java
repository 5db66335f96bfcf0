package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.RawConnection;
import io.postbox.it.support.ReferenceRedis;
import io.postbox.it.support.RespValue;
import io.postbox.resp.InlineSplitter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Keyspace notifications as a separate subscriber sees them, side by side with Redis: each script
 * runs on both servers with every class enabled ({@code KEA}) and a subscriber on
 * {@code __key*__:*}; after each command a fence message marks where its events end, so every
 * command's events are compared, in order. A pause ({@code !sleep}) counts with the command after
 * it, so a key may expire actively or lazily on either server. Covers what notifications.redis cannot:
 * list pops and moves, blocking pops (at once and once served), and keys that expire while nobody
 * looks; and every type's writes once more from the outside, streams and their groups included.
 */
class KeyspaceEventsTest {

    private static final String FENCE = "__fence__";

    private static final List<List<String>> SCRIPTS = List.of(
            List.of("rpush q a b c", "lpop q", "rpop q", "lpop q", "exists q", "lpop q",
                    "rpush q a b c d", "lpop q 2", "rpop q 0", "rpop q 5", "lpop nosuch 2"),
            List.of("rpush l1 a b c", "lmpop 1 l1 right count 2", "lmpop 2 nosuch l1 left", "lmpop 1 l1 left"),
            List.of("rpush src a b c", "lmove src dst left right", "rpoplpush src dst", "lmove dst dst left left",
                    "lmove src dst right left", "lmove nosuch dst left left", "rpoplpush dst dst"),
            List.of("lpush pending m1 m2 m3", "lmove pending processing right left", "lrem processing 1 m1",
                    "rpoplpush pending processing", "lmove pending processing right left",
                    "lrem processing 0 m2", "lrem processing 1 m3", "exists processing pending"),
            // Even on a slow machine each key expires after its command's fence and by the next command:
            // the TTLs leave time for the fence, and the pauses outlast them (by a second where the next
            // command, like DBSIZE, expires nothing itself).
            List.of("set k1 v px 400", "!sleep 1500", "dbsize", "set k2 v px 300", "!sleep 600", "get k2",
                    "set k3 v ex 100", "pexpire k3 400", "!sleep 1500", "exists k3"),
            List.of("multi", "lpush tq a b", "rpop tq", "rpop tq", "set ts 1", "incr ts", "exec"),
            List.of("set m v", "move m 2", "select 2", "rename m m2", "del m2", "select 0", "flushall"),
            List.of("set s 1", "setex s 100 v", "getset s w", "append s x", "getdel s", "set n 1",
                    "incrbyfloat n 2", "expire n 100", "persist n", "copy n n2", "unlink n n2"),
            List.of("rpush bq a b c", "blpop bq 1", "brpop bq 1", "blmpop 1 1 bq left count 5",
                    "rpush bq2 a b", "blmove bq2 bq3 left right 1", "brpoplpush bq2 bq3 1", "brpoplpush bq3 bq3 1",
                    "zadd bz 1 a 2 b 3 c", "bzpopmin bz 1", "bzpopmax bz 1", "bzmpop 1 1 bz min count 9"),
            List.of("hset h a 1 b 2", "hincrby h a 1", "hdel h a", "hdel h b", "sadd s a b c", "srem s a",
                    "smove s s2 b", "spop s", "sadd t x", "sunionstore u t", "sdiffstore u t t",
                    "zadd z 1 a 2 b", "zincrby z 1 a", "zrem z a", "zpopmin z", "zadd z 1 a 2 b",
                    "zrangestore zz z 0 -1", "zunionstore zz 1 z", "zremrangebyscore z 1 2",
                    "rpush l 2 1", "sort l store sl", "sort nosuch store sl"),
            List.of("xadd s 1-1 a b", "xadd s MAXLEN 1 2-1 a b", "xtrim s MAXLEN 0", "xadd s 3-1 a b", "xdel s 3-1",
                    "xdel s 3-1", "xadd s NOMKSTREAM MAXLEN ~ 0 4-1 a b", "xgroup create s g 0",
                    "xgroup create s2 g 0 MKSTREAM", "xgroup createconsumer s g c", "xgroup setid s g 0",
                    "xadd s 5-1 a b", "xreadgroup group g d streams s >", "xclaim s g e 0 5-1",
                    "xautoclaim s g f 0 0", "xack s g 5-1", "xgroup delconsumer s g c", "xgroup destroy s g",
                    "xsetid s 9-9", "del s"));

    @TestFactory
    Stream<DynamicTest> everyCommandPublishesTheEventsRedisPublishes() {
        ReferenceRedis reference = ReferenceRedis.require();
        InJvmPostbox postbox = InJvmPostbox.shared();
        return SCRIPTS.stream().map(script -> DynamicTest.dynamicTest(String.join("; ", script), () ->
                assertEquals(events(reference.port(), script), events(postbox.port(), script))));
    }

    /**
     * A client blocked in BLPOP, BLMOVE and BZPOPMIN is served by another client's push: the served
     * pop publishes its twin's events, after the push's.
     */
    @TestFactory
    Stream<DynamicTest> aServedBlockingPopPublishesItsTwinsEvents() {
        ReferenceRedis reference = ReferenceRedis.require();
        InJvmPostbox postbox = InJvmPostbox.shared();
        return Stream.of(List.of("blpop q 10", "rpush q a b"), List.of("blmove q d right left 10", "lpush q a"),
                List.of("bzpopmin z 10", "zadd z 1 a 2 b"),
                List.of("xread block 10000 streams s $", "xadd s 1-1 a b")).map(pair -> DynamicTest.dynamicTest(String.join(" | ", pair),
                () -> assertEquals(servedEvents(reference.port(), pair.get(0), pair.get(1)),
                        servedEvents(postbox.port(), pair.get(0), pair.get(1)))));
    }

    private static List<String> servedEvents(int port, String blocking, String feeding) throws Exception {
        try (RawConnection admin = new RawConnection(port);
             RawConnection waiter = new RawConnection(port);
             RawConnection feeder = new RawConnection(port);
             RawConnection subscriber = new RawConnection(port)) {
            admin.call("FLUSHALL");
            admin.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
            try {
                subscriber.call("PSUBSCRIBE", "__key*__:*");
                subscriber.call("SUBSCRIBE", FENCE);
                waiter.send(split(blocking));
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (!new String(admin.call("INFO", "clients"), StandardCharsets.ISO_8859_1)
                        .contains("blocked_clients:1")) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("the client did not block: " + blocking);
                    }
                    Thread.sleep(10);
                }
                feeder.call(split(feeding));
                String served = RespValue.parse(waiter.readReply()).toString();
                admin.call("PUBLISH", FENCE, "served");
                return List.of(served, eventsUntilFence(subscriber).toString());
            } finally {
                admin.call("CONFIG", "SET", "notify-keyspace-events", "");
            }
        }
    }

    private static List<byte[]> split(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.ISO_8859_1);
        return InlineSplitter.split(bytes, 0, bytes.length);
    }

    /** Each command with the events it published: {@code "lpop q -> [lpop q, del q]"}. */
    private static List<String> events(int port, List<String> script) throws IOException, InterruptedException {
        try (RawConnection admin = new RawConnection(port);
             RawConnection client = new RawConnection(port);
             RawConnection subscriber = new RawConnection(port)) {
            admin.call("FLUSHALL");
            admin.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
            try {
                subscriber.call("PSUBSCRIBE", "__key*__:*");
                subscriber.call("SUBSCRIBE", FENCE);
                List<String> seen = new ArrayList<>();
                String pausedBefore = "";
                for (String line : script) {
                    if (line.startsWith("!sleep ")) {
                        Thread.sleep(Long.parseLong(line.substring(7)));
                        pausedBefore = line + " ";
                        continue;
                    }
                    client.call(split(line));
                    admin.call("PUBLISH", FENCE, line);
                    seen.add(pausedBefore + line + " -> " + eventsUntilFence(subscriber));
                    pausedBefore = "";
                }
                return seen;
            } finally {
                admin.call("CONFIG", "SET", "notify-keyspace-events", "");
            }
        }
    }

    /** The keyevent messages ({@code event key}) before the next fence; keyspace messages must pair with them. */
    private static List<String> eventsUntilFence(RawConnection subscriber) throws IOException {
        List<String> events = new ArrayList<>();
        while (true) {
            List<String> message = RespValue.parse(subscriber.readReply()).elements().stream()
                    .map(RespValue::text).toList();
            if (message.get(0).equals("message")) {
                return events;
            }
            String channel = message.get(2);
            String payload = message.get(3);
            String afterColon = channel.substring(channel.indexOf("__:") + 3);
            String database = channel.substring(channel.indexOf('@') + 1, channel.indexOf("__:"));
            if (channel.startsWith("__keyspace@")) {
                events.add("K" + database + " " + payload + " " + afterColon);
            } else {
                events.add("E" + database + " " + afterColon + " " + payload);
            }
        }
    }
}
