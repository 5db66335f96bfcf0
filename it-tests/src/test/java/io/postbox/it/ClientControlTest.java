package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.InJvmPostboxExtension;
import io.postbox.it.support.InfoFields;
import io.postbox.it.support.RawConnection;
import io.postbox.it.support.SideBySideClients;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.ClientPauseMode;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.params.ClientKillParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.Slowlog;

/**
 * CLIENT subcommands that involve other connections or withhold replies, and DEBUG SLEEP: the
 * behaviour side-by-side cases cannot show with one connection.
 */
class ClientControlTest {

    /** Long enough that a held command cannot have been answered by chance. */
    private static final int HELD_MILLIS = 300;

    @RegisterExtension
    final InJvmPostboxExtension postbox = new InJvmPostboxExtension("--enable-debug-command", "yes");
    @RegisterExtension
    final SideBySideClients clients = new SideBySideClients(postbox);
    private final ExecutorService background = Executors.newCachedThreadPool();

    @AfterEach
    void stopBackground() {
        background.shutdownNow();
    }

    /** A client that waits 10 s for a reply: Jedis's own 2 s is no longer than the pauses held here. */
    private Jedis jedis() {
        return new Jedis("127.0.0.1", postbox.port(), 10_000);
    }

    /**
     * A paused server keeps its data as it is, as Redis 7.0 does: keys that expire meanwhile read as gone
     * but are not deleted (nor logged as deleted) until the pause ends.
     */
    @ParameterizedTest
    @MethodSource(SideBySideClients.SERVERS)
    void keysThatExpireDuringAPauseReadAsGoneAndAreDeletedAfterIt(String server) throws Exception {
        Jedis jedis = clients.jedis(server);
        jedis.flushAll();
        jedis.configResetStat();
        Transaction multi = jedis.multi();
        multi.set("lease", "held", SetParams.setParams().px(10));
        multi.sendCommand(Protocol.Command.CLIENT, "PAUSE", "60000", "WRITE");
        multi.exec();
        try {
            Thread.sleep(200);
            assertNull(jedis.get("lease"));
            assertEquals(1, jedis.dbSize(), "still stored");
            assertEquals("expired_keys:0", statsLine(jedis, "expired_keys"));
        } finally {
            // A reference Redis left paused would hold every later test's writes for a minute.
            jedis.clientUnpause();
        }
        assertNull(jedis.get("lease"));
        assertEquals(0, jedis.dbSize());
        assertEquals("expired_keys:1", statsLine(jedis, "expired_keys"));
    }

    private static String statsLine(Jedis jedis, String field) {
        return jedis.info("stats").lines().filter(line -> line.startsWith(field + ":")).findFirst().orElseThrow();
    }

    @Test
    void clientKillByIdClosesAnotherClient() {
        try (Jedis killer = jedis(); Jedis victim = jedis()) {
            long id = victim.clientId();
            assertEquals(1, killer.clientKill(ClientKillParams.clientKillParams().id(Long.toString(id))));
            assertThrows(JedisConnectionException.class, victim::ping);
            assertFalse(killer.clientList().contains("id=" + id + " "));
            assertEquals("PONG", killer.ping());
        }
    }

    @Test
    void clientKillByAddressUsesTheOldFormAndReply() {
        try (Jedis killer = jedis(); Jedis victim = jedis()) {
            String info = victim.clientInfo();
            String addr = info.substring(info.indexOf(" addr=") + 6, info.indexOf(" laddr="));
            assertEquals("OK", killer.clientKill(addr));
            assertThrows(JedisConnectionException.class, victim::ping);
        }
    }

    @Test
    void killingYourselfRepliesFirstThenCloses() throws Exception {
        try (RawConnection raw = new RawConnection(postbox.port())) {
            String id = text(raw.call("CLIENT", "ID")).substring(1).trim();
            raw.send(args("CLIENT", "KILL", "ID", id, "SKIPME", "no"));
            raw.send(args("PING"));
            assertEquals(":1\r\n", text(raw.readReply()));
            assertTrue(raw.closedByPeer(2000), "closed after the reply, the pipelined PING unanswered");
        }
    }

    @Test
    void clientReplyOffSilencesUntilOn() throws Exception {
        try (RawConnection raw = new RawConnection(postbox.port())) {
            raw.send(args("CLIENT", "REPLY", "OFF"));
            raw.send(args("SET", "k", "v"));
            raw.send(args("NOSUCHCOMMAND"));
            raw.send(args("CLIENT", "REPLY", "SKIP"));
            raw.send(args("CLIENT", "REPLY", "ON"));
            raw.send(args("GET", "k"));
            assertEquals("+OK\r\n", text(raw.readReply()), "the first reply is CLIENT REPLY ON's");
            assertEquals("$1\r\nv\r\n", text(raw.readReply()));
        }
    }

    @Test
    void clientReplySkipDropsOnlyTheNextReply() throws Exception {
        try (RawConnection raw = new RawConnection(postbox.port())) {
            raw.send(args("CLIENT", "REPLY", "SKIP"));
            raw.send(args("ECHO", "skipped"));
            raw.send(args("ECHO", "shown"));
            assertEquals("$5\r\nshown\r\n", text(raw.readReply()));
            raw.send(args("CLIENT", "REPLY", "SKIP"));
            raw.send(args("CLIENT", "REPLY", "SKIP"));
            raw.send(args("ECHO", "skipped too"));
            raw.send(args("ECHO", "again"));
            assertEquals("$5\r\nagain\r\n", text(raw.readReply()));
        }
    }

    @Test
    void resetTurnsRepliesBackOn() throws Exception {
        try (RawConnection raw = new RawConnection(postbox.port())) {
            raw.send(args("CLIENT", "REPLY", "OFF"));
            raw.send(args("RESET"));
            assertEquals("+RESET\r\n", text(raw.readReply()));
        }
    }

    @Test
    void quitRepliesOkAndClosesEvenWithRepliesOff() throws Exception {
        try (RawConnection raw = new RawConnection(postbox.port())) {
            raw.send(args("QUIT"));
            raw.send(args("PING"));
            assertEquals("+OK\r\n", text(raw.readReply()));
            assertTrue(raw.closedByPeer(2000));
        }
        try (RawConnection raw = new RawConnection(postbox.port())) {
            raw.send(args("CLIENT", "REPLY", "OFF"));
            raw.send(args("QUIT"));
            assertTrue(raw.closedByPeer(2000));
        }
    }

    @Test
    void pauseWriteHoldsWritesButNotReads() throws Exception {
        try (Jedis admin = jedis(); Jedis worker = jedis()) {
            worker.set("k", "before");
            assertEquals("OK", admin.clientPause(60_000, ClientPauseMode.WRITE));
            assertEquals("before", worker.get("k"), "reads run during a WRITE pause");
            CompletableFuture<String> write = CompletableFuture.supplyAsync(() -> worker.set("k", "after"), background);
            assertHeld(write);
            assertEquals("OK", admin.clientUnpause());
            assertEquals("OK", write.get(5, TimeUnit.SECONDS));
            assertEquals("after", admin.get("k"));
        }
    }

    /** PFCOUNT may write (the estimate's cache) and replicate, so a WRITE pause holds it as Redis does. */
    @Test
    void pauseWriteHoldsPfcount() throws Exception {
        try (Jedis admin = jedis(); Jedis worker = jedis()) {
            worker.pfadd("visitors", "a", "b");
            assertEquals("OK", admin.clientPause(60_000, ClientPauseMode.WRITE));
            CompletableFuture<Long> count = CompletableFuture.supplyAsync(() -> worker.pfcount("visitors"), background);
            assertHeld(count);
            assertEquals("OK", admin.clientUnpause());
            assertEquals(2L, count.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void pauseAllHoldsEveryCommandUntilItsTimeout() throws Exception {
        try (Jedis admin = jedis(); Jedis worker = jedis()) {
            // The pause outlasts the check several times over, so a slow machine cannot see it end mid-check.
            long start = System.nanoTime();
            assertEquals("OK", admin.clientPause(2_000, ClientPauseMode.ALL));
            CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> worker.get("k"), background);
            CompletableFuture<String> unpause = CompletableFuture.supplyAsync(admin::clientUnpause, background);
            assertHeld(read, unpause);
            assertEquals(null, read.get(5, TimeUnit.SECONDS));
            assertEquals("OK", unpause.get(5, TimeUnit.SECONDS));
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 1_900,
                    "held until the pause timed out (even CLIENT UNPAUSE waits under ALL)");
        }
    }

    @Test
    void pausedCommandsStillGetTheirErrorsAtOnce() throws Exception {
        try (Jedis admin = jedis(); RawConnection raw = new RawConnection(postbox.port())) {
            admin.clientPause(60_000, ClientPauseMode.ALL);
            String error = text(raw.call("NOSUCHCOMMAND"));
            assertTrue(error.startsWith("-ERR unknown command 'NOSUCHCOMMAND'"), error);
            assertEquals("-ERR wrong number of arguments for 'get' command\r\n", text(raw.call("GET")));
        }
    }

    @Test
    void pausedRequestsRunInOrderAfterUnpause() throws Exception {
        try (RawConnection admin = new RawConnection(postbox.port()); RawConnection raw = new RawConnection(postbox.port())) {
            assertEquals("+OK\r\n", text(admin.call("CLIENT", "PAUSE", "60000", "WRITE")));
            raw.send(args("SET", "k", "1"));
            raw.send(args("GET", "k"));
            raw.send(args("SET", "k", "2"));
            Thread.sleep(HELD_MILLIS);
            assertEquals("$-1\r\n", text(admin.call("GET", "k")), "nothing ran yet");
            assertEquals("+OK\r\n", text(admin.call("CLIENT", "UNPAUSE")));
            assertEquals("+OK\r\n", text(raw.readReply()));
            assertEquals("$1\r\n1\r\n", text(raw.readReply()), "the read queued behind the write waited for it");
            assertEquals("+OK\r\n", text(raw.readReply()));
            assertEquals("$1\r\n2\r\n", text(admin.call("GET", "k")));
        }
    }

    /** As Redis, which sleeps on its only thread: the command's duration is the sleep, in every statistic. */
    @Test
    void debugSleepStopsTheWholeServerAndRepliesAfterwards() throws Exception {
        try (RawConnection sleeper = new RawConnection(postbox.port()); Jedis other = jedis()) {
            other.configSet("slowlog-log-slower-than", "1000000");
            other.configSet("latency-monitor-threshold", "1000");
            long start = System.nanoTime();
            sleeper.send(args("DEBUG", "SLEEP", "2"));
            sleeper.send(args("ECHO", "after"));
            Thread.sleep(500); // for the server to have started the sleep before the PING comes
            assertEquals("PONG", other.ping());
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 1_900,
                    "another client's PING waited for the sleep");
            assertEquals("+OK\r\n", text(sleeper.readReply()));
            assertEquals("$5\r\nafter\r\n", text(sleeper.readReply()), "the sleeper's next command comes after");

            Slowlog slow = other.slowlogGet(1).get(0);
            assertEquals(List.of("DEBUG", "SLEEP", "2"), slow.getArgs());
            assertTrue(slow.getExecutionTime() >= 2_000_000, slow.getExecutionTime() + " us in the slow log");
            String debugStats = InfoFields.parse(other.info("commandstats")).get("cmdstat_debug");
            Matcher usec = Pattern.compile("calls=1,usec=(\\d+),").matcher(debugStats);
            assertTrue(usec.lookingAt() && Long.parseLong(usec.group(1)) >= 2_000_000, debugStats);
            String latest = text(sleeper.call("LATENCY", "LATEST"));
            Matcher event = Pattern.compile("\\*1\r\n\\*4\r\n\\$7\r\ncommand\r\n:\\d+\r\n:(\\d+)\r\n").matcher(latest);
            assertTrue(event.lookingAt() && Long.parseLong(event.group(1)) >= 2000, latest);
        }
    }

    /** Redis has no bound on DEBUG POPULATE's size (it would run out of memory); Postbox's is proto-max-bulk-len. */
    @Test
    void debugPopulateRefusesAValueLongerThanProtoMaxBulkLen() throws Exception {
        try (RawConnection raw = new RawConnection(postbox.port())) {
            assertEquals("+OK\r\n", text(raw.call("CONFIG", "SET", "proto-max-bulk-len", "1mb")));
            assertEquals("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n",
                    text(raw.call("DEBUG", "POPULATE", "1", "key", "1048577")));
            assertEquals(":0\r\n", text(raw.call("DBSIZE")));
            assertEquals("+OK\r\n", text(raw.call("DEBUG", "POPULATE", "1", "key", "1048576")));
            assertEquals(":1048576\r\n", text(raw.call("STRLEN", "key:0")));
        }
    }

    @Test
    void debugSleepIsRefusedWhenDebugIsDisabled() throws Exception {
        try (InJvmPostbox plain = InJvmPostbox.start(); RawConnection raw = new RawConnection(plain.port())) {
            String refused = text(raw.call("DEBUG", "SLEEP", "0"));
            assertTrue(refused.startsWith("-ERR DEBUG command not allowed."), refused);
        }
    }

    private static void assertHeld(CompletableFuture<?>... futures) throws InterruptedException {
        Thread.sleep(HELD_MILLIS);
        for (CompletableFuture<?> future : futures) {
            assertFalse(future.isDone(), "the command was answered during the pause");
        }
    }

    private static List<byte[]> args(String... words) {
        return Arrays.stream(words).map(w -> w.getBytes(StandardCharsets.ISO_8859_1)).toList();
    }

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }
}
