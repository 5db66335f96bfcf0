package io.postbox.it;

import static io.postbox.it.support.Await.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostboxExtension;
import io.postbox.it.support.RawConnection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.ClientPauseMode;

/**
 * MULTI/EXEC and WATCH as several clients see them: a watch broken by another client, atomicity
 * under a pause, and how CLIENT LIST shows a transaction. Single-connection behaviour is in
 * multi.redis.
 */
class TransactionsTest {

    /** Long enough that a held command cannot have been answered by chance. */
    private static final int HELD_MILLIS = 300;

    @RegisterExtension
    final InJvmPostboxExtension postbox = new InJvmPostboxExtension();
    private final ExecutorService background = Executors.newCachedThreadPool();

    @AfterEach
    void stopBackground() {
        background.shutdownNow();
    }

    private Jedis jedis() {
        return new Jedis("127.0.0.1", postbox.port());
    }

    @Test
    void watchIsBrokenByAnotherClientsWrite() {
        try (Jedis watcher = jedis(); Jedis other = jedis()) {
            watcher.set("balance", "10");
            watcher.watch("balance");
            other.incrBy("balance", 5);
            Transaction transaction = watcher.multi();
            transaction.set("balance", "0");
            assertNull(transaction.exec(), "EXEC fails: the watched key changed");
            assertEquals("15", watcher.get("balance"));
        }
    }

    @Test
    void watchSurvivesAnotherClientsReadsAndOtherKeys() {
        try (Jedis watcher = jedis(); Jedis other = jedis()) {
            watcher.set("balance", "10");
            watcher.watch("balance");
            other.get("balance");
            other.set("unrelated", "1");
            other.lpush("queue", "job");
            Transaction transaction = watcher.multi();
            transaction.incrBy("balance", 1);
            assertEquals(List.of(11L), transaction.exec());
        }
    }

    @Test
    void watchOnAnotherDatabaseIsBrokenByThatDatabase() {
        try (Jedis watcher = jedis(); Jedis other = jedis()) {
            watcher.select(3);
            watcher.watch("k");
            other.set("k", "db0 does not count");
            other.select(3);
            Transaction transaction = watcher.multi();
            transaction.exists("ran");
            assertEquals(List.of(false), transaction.exec());
            watcher.watch("k");
            other.set("k", "db3 does");
            transaction = watcher.multi();
            transaction.exists("ran");
            assertNull(transaction.exec());
        }
    }

    @Test
    void disconnectingForgetsTheWatches() throws InterruptedException {
        try (Jedis other = jedis()) {
            try (Jedis watcher = jedis()) {
                watcher.watch("a", "b", "c");
                assertEquals(3, postbox.server().engine().watches().size());
            }
            other.ping();
            awaitTrue(() -> postbox.server().engine().watches().size() == 0, "watches of a closed client are gone");
            other.set("a", "1");
        }
    }

    @Test
    void aTransactionRunsAsOneStepBetweenOtherClientsCommands() throws Exception {
        try (Jedis client = jedis(); Jedis other = jedis()) {
            Transaction transaction = client.multi();
            for (int i = 0; i < 1000; i++) {
                transaction.rpush("log", "tx-" + i);
            }
            CompletableFuture<Void> interleaver = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 200; i++) {
                    other.rpush("log", "other-" + i);
                }
            }, background);
            transaction.exec();
            interleaver.get(10, TimeUnit.SECONDS);
            List<String> log = client.lrange("log", 0, -1);
            int first = log.indexOf("tx-0");
            for (int i = 0; i < 1000; i++) {
                assertEquals("tx-" + i, log.get(first + i), "the transaction's pushes are contiguous");
            }
        }
    }

    @Test
    void writePauseHoldsBackAnExecThatWritesButNotOneThatReads() throws Exception {
        try (RawConnection writer = new RawConnection(postbox.port());
             RawConnection reader = new RawConnection(postbox.port()); Jedis admin = jedis()) {
            assertEquals("+OK\r\n", text(writer.call("MULTI")));
            assertEquals("+QUEUED\r\n", text(writer.call("SET", "k", "v")));
            assertEquals("+OK\r\n", text(reader.call("MULTI")));
            assertEquals("+QUEUED\r\n", text(reader.call("GET", "k")));
            admin.clientPause(10_000, ClientPauseMode.WRITE);
            writer.send(List.of("EXEC".getBytes(StandardCharsets.US_ASCII)));
            assertEquals("*1\r\n$-1\r\n", text(reader.call("EXEC")), "a reading EXEC runs during the pause");
            assertFalse(writer.closedByPeer(HELD_MILLIS), "EXEC with a queued write waits for the pause");
            admin.clientUnpause();
            assertEquals("*1\r\n+OK\r\n", text(writer.readReply()));
            assertEquals("v", admin.get("k"));
        }
    }

    @Test
    void blockedClientsAreServedOnceTheWholeTransactionHasRun() throws Exception {
        try (RawConnection waiter = new RawConnection(postbox.port());
             RawConnection producer = new RawConnection(postbox.port()); Jedis admin = jedis()) {
            waiter.send(List.of("BLPOP".getBytes(StandardCharsets.US_ASCII), "jobs".getBytes(StandardCharsets.US_ASCII),
                    "0".getBytes(StandardCharsets.US_ASCII)));
            awaitTrue(() -> admin.info("clients").contains("blocked_clients:1"), "the consumer blocks");
            producer.call("MULTI");
            producer.call("RPUSH", "jobs", "taken-back");
            producer.call("LPOP", "jobs");
            assertEquals("*2\r\n:1\r\n$10\r\ntaken-back\r\n", text(producer.call("EXEC")));
            assertTrue(admin.info("clients").contains("blocked_clients:1"),
                    "an element pushed and popped within one transaction is never served");
            producer.call("MULTI");
            producer.call("RPUSH", "jobs", "first");
            producer.call("RPUSH", "jobs", "second");
            producer.call("EXEC");
            assertEquals("*2\r\n$4\r\njobs\r\n$5\r\nfirst\r\n", text(waiter.readReply()));
            assertEquals(List.of("second"), admin.lrange("jobs", 0, -1));
        }
    }

    @Test
    void clientListShowsTheTransaction() throws Exception {
        try (RawConnection client = new RawConnection(postbox.port()); Jedis observer = jedis()) {
            long id = Long.parseLong(text(client.call("CLIENT", "ID")).substring(1).trim());
            assertTrue(line(observer, id).contains(" flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 "), line(observer, id));
            client.call("WATCH", "w");
            client.call("MULTI");
            client.call("SET", "a", "1");
            client.call("GET", "a");
            assertTrue(line(observer, id).contains(" flags=x db=0 sub=0 psub=0 ssub=0 multi=2 "), line(observer, id));
            observer.set("w", "changed");
            assertTrue(line(observer, id).contains(" flags=xd "), line(observer, id));
            assertEquals("*-1\r\n", text(client.call("EXEC")));
            assertTrue(line(observer, id).contains(" flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 "), line(observer, id));
        }
    }

    private static String line(Jedis observer, long id) {
        for (String line : observer.clientList().split("\n")) {
            if (line.startsWith("id=" + id + " ")) {
                return line;
            }
        }
        throw new AssertionError("client " + id + " is not in CLIENT LIST");
    }

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }
}
