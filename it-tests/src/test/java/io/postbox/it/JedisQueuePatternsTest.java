package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostboxExtension;
import io.postbox.it.support.ReferenceRedis;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.ListDirection;

/**
 * What Jedis users write by hand, on Postbox and on the reference Redis: a FIFO queue drained by
 * several consumers, pipelines with and without a transaction, and a {@link JedisPubSub} subscriber.
 * (The reliable queue is {@link ReliableQueueTest}; WATCH is {@link TransactionsTest}.)
 */
class JedisQueuePatternsTest {

    private static final int PRODUCERS = 2;
    private static final int CONSUMERS = 4;
    private static final int MESSAGES_PER_PRODUCER = 1_500;
    private static final String STOP = "stop";

    @RegisterExtension
    static final InJvmPostboxExtension postbox = new InJvmPostboxExtension();

    static Stream<String> servers() {
        return Stream.of("postbox", "redis");
    }

    private static Jedis connect(String server) {
        int port = server.equals("postbox") ? postbox.port() : ReferenceRedis.require().port();
        return new Jedis("127.0.0.1", port);
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("servers")
    void fifoConsumersGetEveryMessageOnceAndEachProducersMessagesInOrder(String server) throws Exception {
        try (Jedis admin = connect(server)) {
            admin.flushAll();
        }
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            List<Future<List<String>>> consumers = new ArrayList<>();
            for (int c = 0; c < CONSUMERS; c++) {
                consumers.add(threads.submit(() -> consume(server)));
            }
            try (Jedis admin = connect(server)) {
                // Every consumer waits before the first push, so each is served at least once.
                long deadline = System.currentTimeMillis() + 10_000;
                while (!admin.info("clients").contains("blocked_clients:" + CONSUMERS) && System.currentTimeMillis() < deadline) {
                    Thread.sleep(10);
                }
                List<Future<?>> producers = new ArrayList<>();
                for (int p = 0; p < PRODUCERS; p++) {
                    int producer = p;
                    producers.add(threads.submit(() -> produce(server, producer)));
                }
                for (Future<?> producer : producers) {
                    producer.get(30, TimeUnit.SECONDS);
                }
                // Behind every message, so a consumer stops only once the queue has drained.
                admin.lpush("fifo", Stream.generate(() -> STOP).limit(CONSUMERS).toArray(String[]::new));
            }
            List<String> everything = new ArrayList<>();
            for (Future<List<String>> consumer : consumers) {
                List<String> received = consumer.get(30, TimeUnit.SECONDS);
                assertFalse(received.isEmpty(), "every consumer took part");
                int[] last = new int[PRODUCERS];
                Arrays.fill(last, -1);
                for (String message : received) {
                    String[] parts = message.split(":");
                    int producer = Integer.parseInt(parts[0]);
                    int index = Integer.parseInt(parts[1]);
                    assertTrue(index > last[producer], "each pop takes the oldest message: " + message + " after " + last[producer]);
                    last[producer] = index;
                }
                everything.addAll(received);
            }
            assertEquals(PRODUCERS * MESSAGES_PER_PRODUCER, everything.size(), "nothing lost");
            assertEquals(everything.size(), new HashSet<>(everything).size(), "nothing delivered twice");
        } finally {
            threads.shutdownNow();
            assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    private static Void produce(String server, int producer) {
        try (Jedis jedis = connect(server)) {
            Pipeline pipeline = jedis.pipelined();
            List<Response<Long>> lengths = new ArrayList<>();
            for (int i = 0; i < MESSAGES_PER_PRODUCER; i++) {
                lengths.add(pipeline.lpush("fifo", producer + ":" + i));
            }
            pipeline.sync();
            assertTrue(lengths.stream().allMatch(length -> length.get() > 0));
        }
        return null;
    }

    private static List<String> consume(String server) {
        List<String> received = new ArrayList<>();
        try (Jedis jedis = connect(server)) {
            while (true) {
                List<String> popped = jedis.brpop(10, "fifo");
                assertEquals(2, popped.size(), "the queue stayed empty for 10 s before the stop message");
                if (popped.get(1).equals(STOP)) {
                    return received;
                }
                received.add(popped.get(1));
            }
        }
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("servers")
    void pipelinesWithAndWithoutATransactionAnswerEveryCommandInOrder(String server) {
        try (Jedis jedis = connect(server)) {
            jedis.flushAll();
            Pipeline pipeline = jedis.pipelined();
            List<Response<Long>> pushes = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                pushes.add(pipeline.rpush("jobs", "job-" + i));
            }
            Response<String> popped = pipeline.lpop("jobs");
            Response<Long> wrongType = pipeline.incr("jobs");
            Response<Long> length = pipeline.llen("jobs");
            pipeline.sync();
            assertEquals(longs(1, 1_000), pushes.stream().map(Response::get).toList());
            assertEquals("job-0", popped.get());
            assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value",
                    assertThrowsMessage(wrongType::get), "one command's error does not stop the pipeline");
            assertEquals(999, length.get());

            Transaction transaction = jedis.multi();
            Response<String> moved = transaction.lmove("jobs", "jobs:processing",
                    ListDirection.LEFT, ListDirection.RIGHT);
            Response<Long> acknowledged = transaction.lrem("jobs:processing", 1, "job-1");
            Response<Long> counted = transaction.incr("done");
            List<Object> replies = transaction.exec();
            assertEquals(3, replies.size());
            assertEquals("job-1", moved.get());
            assertEquals(1, acknowledged.get());
            assertEquals(1, counted.get());

            Transaction discarded = jedis.multi();
            discarded.lpop("jobs");
            assertEquals("OK", discarded.discard());
            assertEquals(998, jedis.llen("jobs"), "a discarded transaction changed nothing");
            assertNull(jedis.get("nothing"));
        }
    }

    /**
     * A bulk enqueue in one pipeline: Jedis writes all 1,000,000 LPUSH before sync() reads a reply.
     * The server must go on reading while the replies wait, else both wait for ever (a blocked socket
     * write has no timeout: the test's own ends it).
     */
    @ParameterizedTest(name = "on {0}")
    @MethodSource("servers")
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aMillionCommandPipelineIsAnsweredWhole(String server) {
        try (Jedis jedis = connect(server)) {
            jedis.del("bulk");
            Pipeline pipeline = jedis.pipelined();
            int pushes = 1_000_000;
            for (int i = 0; i < pushes; i++) {
                pipeline.lpush("bulk", "message-" + i);
            }
            List<Object> replies = pipeline.syncAndReturnAll();
            assertEquals(longs(1, pushes), replies);
            assertEquals(pushes, jedis.llen("bulk"));
            jedis.del("bulk");
        }
    }

    private static List<Long> longs(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> (long) i).toList();
    }

    private static String assertThrowsMessage(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected an error reply");
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("servers")
    void aJedisPubSubSubscriberGetsChannelAndPatternMessagesInOrder(String server) throws Exception {
        int messages = 500;
        List<String> received = new ArrayList<>();
        Set<String> subscriptions = new HashSet<>();
        CountDownLatch subscribed = new CountDownLatch(2);
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onSubscribe(String channel, int count) {
                subscriptions.add(channel + "=" + count);
                subscribed.countDown();
            }

            @Override
            public void onPSubscribe(String pattern, int count) {
                subscriptions.add(pattern + "=" + count);
                subscribed.countDown();
            }

            @Override
            public void onMessage(String channel, String message) {
                if (message.equals("done")) {
                    unsubscribe();
                    punsubscribe();
                } else {
                    received.add(channel + ":" + message);
                }
            }

            @Override
            public void onPMessage(String pattern, String channel, String message) {
                received.add(pattern + ">" + channel + ":" + message);
            }
        };
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (Jedis subscriber = connect(server); Jedis publisher = connect(server)) {
            Future<?> loop = thread.submit(() -> subscriber.subscribe(listener, "jobs"));
            while (!listener.isSubscribed()) {
                Thread.sleep(10);
            }
            listener.psubscribe("alerts.*");
            assertTrue(subscribed.await(10, TimeUnit.SECONDS), "both subscriptions confirmed");
            for (int i = 0; i < messages; i++) {
                assertEquals(1, publisher.publish(i % 2 == 0 ? "jobs" : "alerts.disk", "m" + i));
            }
            assertEquals(0, publisher.publish("elsewhere", "nobody listens"));
            publisher.publish("jobs", "done");
            loop.get(10, TimeUnit.SECONDS);

            assertEquals(Set.of("jobs=1", "alerts.*=2"), subscriptions);
            List<String> expected = IntStream.range(0, messages)
                    .mapToObj(i -> i % 2 == 0 ? "jobs:m" + i : "alerts.*>alerts.disk:m" + i).toList();
            assertEquals(expected, received, "every message once, in publish order");
            assertEquals("PONG", subscriber.ping(), "the connection works normally after unsubscribing");
        } finally {
            thread.shutdownNow();
        }
    }
}
