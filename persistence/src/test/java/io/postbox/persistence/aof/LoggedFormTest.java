package io.postbox.persistence.aof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.CommandLog;
import io.postbox.commands.Commands;
import io.postbox.commands.Dispatcher;
import io.postbox.commands.Engine;
import io.postbox.commands.Invocation;
import io.postbox.commands.config.Config;
import io.postbox.commands.keyspace.Database;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the append-only file records for each write, run through the real dispatcher. */
class LoggedFormTest {

    private Engine engine;
    private Dispatcher dispatcher;
    private ReplayClient client;
    private final List<String> logged = new ArrayList<>();

    @BeforeEach
    void setUp() {
        engine = new Engine(new Config(), Commands.groups());
        engine.scheduler((delay, task) -> task.run());
        dispatcher = new Dispatcher(engine);
        client = new ReplayClient(engine);
        engine.attach(new CommandLog() {
            @Override
            public void written(Invocation call) {
                for (byte[][] command : LoggedForm.of(call)) {
                    written(call.db(), command);
                }
            }

            @Override
            public void written(Database db, byte[][] command) {
                List<String> words = new ArrayList<>();
                for (byte[] arg : command) {
                    words.add(new String(arg, StandardCharsets.ISO_8859_1));
                }
                logged.add(String.join(" ", words));
            }
        });
    }

    private String run(String... args) {
        return runAs(client, args);
    }

    private String runAs(ReplayClient sender, String... args) {
        byte[][] command = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            command[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        logged.clear();
        dispatcher.dispatch(sender, command);
        return String.join(" | ", logged);
    }

    @Test
    void plainWritesAreLoggedAsReceivedAndNoOpsNotAtAll() {
        assertEquals("rpush q a b", run("rpush", "q", "a", "b"));
        assertEquals("", run("get", "q"));
        assertEquals("", run("lpop", "missing"));
        assertEquals("set k v NX", run("set", "k", "v", "NX"));
        assertEquals("", run("set", "k", "v", "NX"));
        assertEquals("", run("incr", "q"), "a failed write is not logged");
    }

    @Test
    void relativeExpiryBecomesAbsolute() {
        long before = System.currentTimeMillis();
        String set = run("set", "k", "v", "EX", "100");
        assertTrue(set.startsWith("SET k v PXAT "), set);
        long at = Long.parseLong(set.substring("SET k v PXAT ".length()));
        assertTrue(at >= before + 100_000 && at <= System.currentTimeMillis() + 100_000, set);
        assertTrue(run("setex", "k", "10", "v").startsWith("SET k v PXAT "));
        assertTrue(run("psetex", "k", "10000", "v").startsWith("SET k v PXAT "));
        assertTrue(run("expire", "k", "50").startsWith("PEXPIREAT k "));
        assertTrue(run("getex", "k", "PX", "5000").startsWith("PEXPIREAT k "));
        assertEquals("PERSIST k", run("getex", "k", "PERSIST"));
        assertEquals("SET k v", run("set", "k", "v", "KEEPTTL"));
        assertEquals("DEL k", run("expire", "k", "-1"));
    }

    @Test
    void aBlockingPopIsLoggedAsItsNonBlockingTwinSoReplayNeverBlocks() {
        run("rpush", "q", "a", "b", "c");
        assertEquals("LPOP q", run("blpop", "missing", "q", "0"));
        assertEquals("RPOP q", run("brpop", "q", "0"));
        assertEquals("LMOVE q done LEFT RIGHT", run("blmove", "q", "done", "LEFT", "RIGHT", "0"));
        run("zadd", "z", "1", "m", "2", "n");
        assertEquals("ZPOPMAX z", run("bzpopmax", "z", "0"));
        assertEquals("ZMPOP 1 z MIN COUNT 5", run("bzmpop", "0", "1", "z", "MIN", "COUNT", "5"));
    }

    @Test
    void aPopServedToAWaitingClientIsLoggedAfterTheWriteThatServedIt() {
        ReplayClient consumer = new ReplayClient(engine);
        assertEquals("", runAs(consumer, "brpop", "jobs", "0"), "blocked: nothing changed yet");
        assertEquals("LPUSH jobs j1 j2 | RPOP jobs", run("LPUSH", "jobs", "j1", "j2"));
        assertEquals("", runAs(consumer, "blmove", "empty", "jobs", "RIGHT", "LEFT", "0"));
        assertEquals("RPUSH empty e | LMOVE empty jobs RIGHT LEFT", run("RPUSH", "empty", "e"));
    }

    @Test
    void spopIsLoggedAsTheRemovalOfWhatItPopped() {
        run("sadd", "s", "a", "b", "c", "d", "e");
        String one = run("spop", "s");
        assertTrue(one.matches("SREM s [a-e]"), one);
        String two = run("spop", "s", "2");
        assertTrue(two.matches("SREM s [a-e] [a-e]"), two);
        assertEquals("DEL s", run("spop", "s", "10"));
    }
}
