package io.postbox.it;

import static io.postbox.it.support.Await.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.PackagedPostbox;
import io.postbox.it.support.RedisServerProcess;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * client-output-buffer-limit: output a client did not ask for (pub/sub messages, MONITOR lines) is
 * pushed to it whether it reads or not; the limits are what keep a client that stopped reading from
 * holding unbounded memory. Such a client is disconnected at the hard limit, or after staying over the
 * soft limit for longer than its seconds; everyone else carries on.
 */
class OutputBufferLimitsTest {

    private static final byte[] KILOBYTES_64 = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NEWS = "news".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUBSCRIBED = "*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MEGABYTE = "y".repeat(1024 * 1024).getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void aSubscriberThatStopsReadingIsDisconnectedAtTheHardLimit() throws Exception {
        try (InJvmPostbox postbox = InJvmPostbox.start("--client-output-buffer-limit", "pubsub", "1mb", "0", "0");
             Socket subscriber = silentSubscriber(postbox.port(), "SUBSCRIBE news");
             Jedis publisher = new Jedis("127.0.0.1", postbox.port())) {
            awaitTrue(() -> publisher.pubsubNumSub("news").get("news") == 1, "subscribed");
            for (int i = 0; i < 1024 && publisher.pubsubNumSub("news").get("news") == 1; i++) {
                publisher.publish("news".getBytes(StandardCharsets.US_ASCII), KILOBYTES_64);
            }
            assertEquals(Map.of("news", 0L), publisher.pubsubNumSub("news"), "the subscriber was dropped");
            assertTrue(endsWithin(subscriber, 10_000), "its connection is closed");
            assertEquals("PONG", publisher.ping());
        }
    }

    @Test
    void aMonitorThatStopsReadingIsDisconnectedAtTheNormalClassLimit() throws Exception {
        try (InJvmPostbox postbox = InJvmPostbox.start("--client-output-buffer-limit", "normal", "1mb", "0", "0");
             Socket monitor = silentSubscriber(postbox.port(), "MONITOR");
             Jedis worker = new Jedis("127.0.0.1", postbox.port())) {
            awaitTrue(() -> worker.clientList().contains(" flags=O "), "monitoring");
            for (int i = 0; i < 1024 && worker.clientList().contains(" flags=O "); i++) {
                worker.set("key".getBytes(StandardCharsets.US_ASCII), KILOBYTES_64);
            }
            assertFalse(worker.clientList().contains(" flags=O "), "the monitor was dropped");
            assertTrue(endsWithin(monitor, 10_000), "its connection is closed");
            assertEquals(KILOBYTES_64.length, worker.get("key").length(), "the worker's own replies are not limited");
        }
    }

    @Test
    void theSoftLimitDisconnectsOnlyAfterItsSeconds() throws Exception {
        try (InJvmPostbox postbox = InJvmPostbox.start("--client-output-buffer-limit", "pubsub", "0", "256kb", "1");
             Socket subscriber = silentSubscriber(postbox.port(), "SUBSCRIBE news");
             Jedis publisher = new Jedis("127.0.0.1", postbox.port())) {
            awaitTrue(() -> publisher.pubsubNumSub("news").get("news") == 1, "subscribed");
            long start = System.nanoTime();
            while (publisher.pubsubNumSub("news").get("news") == 1) {
                publisher.publish("news".getBytes(StandardCharsets.US_ASCII), KILOBYTES_64);
                Thread.sleep(50);
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "dropped within 30 s");
            }
            long heldMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(heldMillis >= 1000, "over the soft limit for more than a second first (" + heldMillis + " ms)");
            assertTrue(endsWithin(subscriber, 10_000));
        }
    }

    /**
     * Output that drops back under the soft limit restarts its clock, also when what shows it is back is
     * a reply written straight to the socket with nothing queued: a second burst over the limit, seconds
     * later and shorter than the limit's seconds, must not drop the subscriber. The bursts' messages are
     * larger than the soft limit, so the first one queued is over the limit at once.
     */
    @Test
    void goingBackUnderTheSoftLimitRestartsItsClock() throws Exception {
        try (InJvmPostbox postbox = InJvmPostbox.start("--client-output-buffer-limit", "pubsub", "0", "256kb", "2");
             Socket subscriber = silentSubscriber(postbox.port(), "SUBSCRIBE news");
             Jedis publisher = new Jedis("127.0.0.1", postbox.port())) {
            awaitTrue(() -> publisher.pubsubNumSub("news").get("news") == 1, "subscribed");
            DataInputStream in = new DataInputStream(subscriber.getInputStream());
            in.readFully(new byte[SUBSCRIBED.length]);
            overTheSoftLimitAndBack(publisher, in);
            Thread.sleep(3_000);
            overTheSoftLimitAndBack(publisher, in);
            assertEquals(Map.of("news", 1L), publisher.pubsubNumSub("news"), "the subscriber is still there");
        }
    }

    /**
     * Publishes 1 MB messages to the subscriber, which does not read, until the server holds output for
     * it; then it reads all of them, and ten 64 KB messages published one by one, each read before the
     * next.
     */
    private static void overTheSoftLimitAndBack(Jedis publisher, DataInputStream subscriber) throws IOException {
        int published = 0;
        while (subscriberOutputBytes(publisher) == 0) {
            publisher.publish(NEWS, MEGABYTE);
            published++;
            assertTrue(published < 64, "the subscriber's output queued on the server");
        }
        subscriber.readFully(new byte[published * message(MEGABYTE).length]);
        for (int i = 0; i < 10; i++) {
            publisher.publish(NEWS, KILOBYTES_64);
            subscriber.readFully(new byte[message(KILOBYTES_64).length]);
        }
    }

    /** A message of {@code payload} on "news", as the subscriber receives it. */
    private static byte[] message(byte[] payload) {
        return ("*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$" + payload.length + "\r\n"
                + new String(payload, StandardCharsets.US_ASCII) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The output bytes the server holds for the subscribed client, as CLIENT LIST gives them (omem). */
    private static long subscriberOutputBytes(Jedis jedis) {
        for (String line : jedis.clientList().split("\n")) {
            if (line.contains(" cmd=subscribe ")) {
                return Long.parseLong(line.replaceAll(".* omem=(\\d+) .*", "$1").trim());
            }
        }
        throw new AssertionError("no subscribed client in CLIENT LIST: " + jedis.clientList());
    }

    /**
     * The scenario, on the packaged server with a small heap and little direct memory: a
     * subscriber that never reads, a publisher sending 1 GiB at it, and another client working
     * meanwhile. The subscriber is dropped at the default pubsub limit; the server's memory stays
     * bounded (its resident size is sampled throughout) and the other client never notices.
     */
    @Test
    void aGigabytePublishedToASubscriberThatNeverReadsLeavesTheServerBounded() throws Exception {
        try (PackagedPostbox postbox = PackagedPostbox.start(dir,
                List.of("-Xmx256m", "-XX:MaxDirectMemorySize=256m"));
             Socket subscriber = silentSubscriber(postbox.port(), "SUBSCRIBE news");
             Jedis publisher = new Jedis("127.0.0.1", postbox.port());
             Jedis other = new Jedis("127.0.0.1", postbox.port())) {
            awaitTrue(() -> publisher.pubsubNumSub("news").get("news") == 1, "subscribed");
            AtomicBoolean publishing = new AtomicBoolean(true);
            AtomicLong peakRss = new AtomicLong();
            CompletableFuture<Long> otherWork = CompletableFuture.supplyAsync(() -> {
                long rounds = 0;
                while (publishing.get()) {
                    String value = "v" + rounds;
                    other.set("other", value);
                    assertEquals(value, other.get("other"));
                    peakRss.accumulateAndGet(residentBytes(postbox.pid()), Math::max);
                    rounds++;
                }
                return rounds;
            });
            byte[] channel = "news".getBytes(StandardCharsets.US_ASCII);
            for (int batch = 0; batch < 64; batch++) {
                Pipeline pipeline = publisher.pipelined();
                for (int i = 0; i < 256; i++) {
                    pipeline.publish(channel, KILOBYTES_64);
                }
                pipeline.sync();
            }
            publishing.set(false);
            assertTrue(otherWork.get(60, TimeUnit.SECONDS) > 0, "the other client worked meanwhile");
            assertEquals(Map.of("news", 0L), publisher.pubsubNumSub("news"), "the subscriber was dropped");
            assertTrue(endsWithin(subscriber, 10_000));
            assertTrue(peakRss.get() < 768L << 20, "resident size stayed bounded: " + (peakRss.get() >> 20) + " MiB");
            System.out.println("1 GiB published at a subscriber that never reads: peak resident size "
                    + (peakRss.get() >> 20) + " MiB");
            String closed = "scheduled to be closed ASAP for overcoming of output buffer limits.";
            String log = postbox.awaitLog(closed);
            assertTrue(log.contains(closed), log);
            assertEquals("PONG", other.ping());
        }
    }

    /**
     * The limits measure a reply as it is built, as Redis's do: one bigger than the hard limit is never
     * sent, even to a client that reads, and the connection is closed; a transaction's replies count
     * together, and the transaction still runs whole. Side by side with redis-server.
     */
    @Test
    void aReplyBiggerThanTheHardLimitIsNeverSentAsInRedis() throws Exception {
        String[] limit = {"--client-output-buffer-limit", "normal 100000 0 0"};
        Path redisDir = Files.createDirectories(dir.resolve("redis"));
        try (RedisServerProcess redis = RedisServerProcess.start(redisDir, limit)) {
            assertReplyOverTheLimitIsNotSent(redis.port());
        }
        try (InJvmPostbox postbox = InJvmPostbox.start("--client-output-buffer-limit", "normal", "100000", "0", "0")) {
            assertReplyOverTheLimitIsNotSent(postbox.port());
        }
    }

    private static void assertReplyOverTheLimitIsNotSent(int port) throws IOException {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            for (int i = 0; i < 150; i++) {
                jedis.lpush("big", "x".repeat(1000));
            }
        }
        for (String request : List.of("LRANGE big 0 -1\r\n",
                "MULTI\r\nSET k2 v2\r\nLRANGE big 0 -1\r\nSET k3 v3\r\nEXEC\r\n")) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                socket.setSoTimeout(5_000);
                byte[] received = socket.getInputStream().readAllBytes();
                String text = new String(received, StandardCharsets.US_ASCII);
                assertFalse(text.contains("xxx"), "no part of the big reply: " + text.length() + " bytes");
            }
        }
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            assertEquals("v3", jedis.get("k3"), "the transaction ran whole");
        }
    }

    /**
     * A reply the data does not bound (a billion random picks from a one-field hash) stops being built
     * once it passes the hard limit, as Redis stops it mid-run: the connection closes without any of it,
     * and the server serves on. Built in full it held every client up for over a minute, then ran out of
     * buffer memory. Side by side with redis-server.
     */
    @Test
    void anUnboundedRandomPickStopsAtTheHardLimitAsInRedis() throws Exception {
        Path redisDir = Files.createDirectories(dir.resolve("redis-random"));
        try (RedisServerProcess redis = RedisServerProcess.start(redisDir,
                "--client-output-buffer-limit", "normal 1000000 0 0")) {
            assertRandomPicksStopAtTheLimit(redis.port());
        }
        try (InJvmPostbox postbox = InJvmPostbox.start("--client-output-buffer-limit", "normal", "1000000", "0", "0")) {
            assertRandomPicksStopAtTheLimit(postbox.port());
        }
    }

    private static void assertRandomPicksStopAtTheLimit(int port) throws IOException {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            jedis.hset("h", "field", "value");
            jedis.sadd("s", "member");
            jedis.zadd("z", 1, "member");
        }
        for (String request : List.of("HRANDFIELD h -999999999", "HRANDFIELD h -499999999 WITHVALUES",
                "SRANDMEMBER s -999999999", "ZRANDMEMBER z -999999999", "ZRANDMEMBER z -499999999 WITHSCORES")) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.getOutputStream().write((request + "\r\n").getBytes(StandardCharsets.US_ASCII));
                // A reply built in full would outlast this, and the read would time out.
                socket.setSoTimeout(30_000);
                byte[] received = socket.getInputStream().readAllBytes();
                assertEquals(0, received.length, request + ": no part of the reply is sent");
            }
        }
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            assertEquals("PONG", jedis.ping());
        }
    }

    /**
     * A subscriber over the soft limit is dropped once the soft seconds are up even when nothing more is
     * published to it, as Redis's cron drops it; it used to stay until the next message.
     */
    @Test
    void theSoftLimitDropsASubscriberAlsoWhenNothingMoreIsPublished() throws Exception {
        try (InJvmPostbox postbox = InJvmPostbox.start("--client-output-buffer-limit", "pubsub", "0", "256kb", "1");
             Socket subscriber = silentSubscriber(postbox.port(), "SUBSCRIBE news");
             Jedis publisher = new Jedis("127.0.0.1", postbox.port())) {
            awaitTrue(() -> publisher.pubsubNumSub("news").get("news") == 1, "subscribed");
            int published = 0;
            while (subscriberOutputBytes(publisher) < 256 * 1024) {
                publisher.publish(NEWS, KILOBYTES_64);
                assertTrue(++published < 1024, "the subscriber's output queued on the server");
            }
            long stopped = System.nanoTime();
            // Asked of the server, not read from the subscriber, which must stay over the limit.
            while (publisher.pubsubNumSub("news").get("news") == 1) {
                assertTrue(System.nanoTime() - stopped < TimeUnit.SECONDS.toNanos(5),
                        "dropped without another message");
                Thread.sleep(20);
            }
            long afterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
            assertTrue(afterMillis >= 500, "not before its second: " + afterMillis + " ms");
            assertTrue(endsWithin(subscriber, 5_000), "its connection is closed");
        }
    }

    /** A connection that sends {@code command} and never reads, with a small receive buffer. */
    private static Socket silentSubscriber(int port, String command) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(16 * 1024);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** Whether the server closed {@code socket} within {@code millis}, reading (and dropping) what it had sent. */
    private static boolean endsWithin(Socket socket, int millis) throws IOException {
        long deadline = System.currentTimeMillis() + millis;
        socket.setSoTimeout(200);
        InputStream in = socket.getInputStream();
        byte[] sink = new byte[64 * 1024];
        while (System.currentTimeMillis() < deadline) {
            try {
                if (in.read(sink) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException stillOpen) {
                // Keep waiting.
            } catch (IOException reset) {
                return true;
            }
        }
        return false;
    }

    private static long residentBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // No /proc: nothing to sample.
        }
        return 0;
    }
}
