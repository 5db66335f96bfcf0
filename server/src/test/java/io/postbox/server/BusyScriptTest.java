package io.postbox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.CommandGroup;
import io.postbox.commands.Commands;
import io.postbox.commands.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's side of a script that runs past busy-reply-threshold, driven by {@link LongScript}
 * (a stand-in that reports to the ScriptWatch as a Lua script does) over real sockets.
 */
class BusyScriptTest {

    private static final String BUSY = "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";

    @TempDir
    Path dir;

    private PostboxServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        Config config = new Config();
        ConfigFile.apply(config, new String[] {"--port", "0", "--bind", "127.0.0.1", "--save", "",
                "--dir", dir.toString(), "--busy-reply-threshold", "100"});
        ServerLog log = new ServerLog();
        log.level("warning");
        List<CommandGroup> groups = new ArrayList<>(Commands.groups());
        groups.add(new LongScript());
        server = new PostboxServer(config, log, null, groups);
        server.start();
        port = server.port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Returns once {@code probe}'s PING gets -BUSY: the script has started and run past the threshold. */
    private static void awaitBusy(RespConnection probe) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!BUSY.equals(probe.call("PING"))) {
            assertTrue(System.nanoTime() < deadline, "the script never made the server busy");
            Thread.sleep(20);
        }
    }

    @Test
    void othersGetBusyUntilTheScriptEndsThenAreServed() throws Exception {
        try (RespConnection script = new RespConnection(port); RespConnection other = new RespConnection(port)) {
            assertEquals("+OK", other.call("SET", "k", "v"));
            // No probe for busy here, as it would count in the stats below: a sleep, and seconds to spare.
            script.send("LONGSCRIPT", "5000", "w");
            Thread.sleep(1000);
            assertEquals(BUSY, other.call("GET", "k"));
            assertEquals(BUSY, other.call("SHUTDOWN"));
            assertEquals(BUSY, other.call("SHUTDOWN", "SAVE"));
            assertEquals("-ERR unknown command 'NOSUCH', with args beginning with: ", other.call("NOSUCH"));
            assertEquals("-ERR wrong number of arguments for 'get' command", other.call("GET"));
            assertEquals("+OK", other.call("MULTI"));
            assertEquals(BUSY, other.call("GET", "k"));
            assertEquals("-EXECABORT Transaction discarded because of: " + BUSY.substring(1), other.call("EXEC"));
            assertTrue(!script.ready(), "the script is still running");
            assertEquals("+OK", script.read());
            assertEquals("v", other.call("GET", "k"));
            assertEquals("written", other.call("GET", "w"));
            assertEquals("+PONG", script.call("PING"));
            String errors = (String) other.call("INFO", "errorstats");
            assertTrue(errors.contains("errorstat_BUSY:count=4"), errors);
            assertTrue(errors.contains("errorstat_EXECABORT:count=1"), errors);
            String commands = (String) other.call("INFO", "commandstats");
            assertTrue(commands.contains("cmdstat_get:calls=2,") && commands.contains("rejected_calls=3,failed_calls=0"),
                    commands);
        }
    }

    @Test
    void subscribersGetWhatTheScriptPublishesWhileItIsBusy() throws Exception {
        try (RespConnection script = new RespConnection(port); RespConnection subscriber = new RespConnection(port);
             RespConnection other = new RespConnection(port)) {
            assertEquals(List.of("subscribe", "ch", ":1"), subscriber.call("SUBSCRIBE", "ch"));
            script.send("LONGSCRIPT", "3000", "w", "ch");
            awaitBusy(other);
            assertEquals(List.of("message", "ch", "tick"), subscriber.read());
            assertEquals(List.of("message", "ch", "tick"), subscriber.read());
            assertTrue(!script.ready(), "the script is still running");
            assertEquals("+OK", script.read());
        }
    }

    @Test
    void requestsThatTouchWhatTheScriptMayTouchWaitForIt() throws Exception {
        try (RespConnection script = new RespConnection(port); RespConnection watcher = new RespConnection(port);
             RespConnection probe = new RespConnection(port)) {
            script.send("LONGSCRIPT", "3000");
            awaitBusy(probe);
            watcher.send("WATCH", "k");
            watcher.send("GET", "k");
            Thread.sleep(200);
            assertTrue(!watcher.ready(), "WATCH waits for the script, and GET behind it");
            assertEquals("+OK", script.read());
            assertEquals("+OK", watcher.read());
            assertEquals(null, watcher.read());
        }
    }

    @Test
    void aConnectionOpenedWhileBusyIsAnsweredAndListedAfterTheScript() throws Exception {
        try (RespConnection script = new RespConnection(port); RespConnection probe = new RespConnection(port)) {
            script.send("LONGSCRIPT", "3000");
            awaitBusy(probe);
            try (RespConnection late = new RespConnection(port)) {
                assertEquals(BUSY, late.call("PING"));
                assertEquals("+OK", script.read());
                assertEquals(3, ((String) late.call("CLIENT", "LIST")).lines().count(), "script, probe and late");
            }
        }
    }

    @Test
    void aClientThatLeavesWhileBusyIsForgottenAfterTheScript() throws Exception {
        try (RespConnection script = new RespConnection(port); RespConnection probe = new RespConnection(port)) {
            script.send("LONGSCRIPT", "3000");
            awaitBusy(probe);
            RespConnection leaving = new RespConnection(port);
            leaving.close();
            assertEquals("+OK", script.read());
            // The server may see the close only after the script: give it time, without betting on how much.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (((String) script.call("CLIENT", "LIST")).lines().count() != 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(2, ((String) script.call("CLIENT", "LIST")).lines().count(), "script and probe");
        }
    }

    @Test
    void shutdownNosaveStopsTheServerUnderABusyScript() throws Exception {
        LongScript.abandoned = new CountDownLatch(1);
        try (RespConnection script = new RespConnection(port); RespConnection other = new RespConnection(port)) {
            script.send("LONGSCRIPT", "60000");
            awaitBusy(other);
            other.send("SHUTDOWN", "NOSAVE");
            assertEquals(-1, other.readByte());
            assertTrue(LongScript.abandoned.await(5, TimeUnit.SECONDS), "the script was ended");
            server.awaitTermination();
        }
    }
}
