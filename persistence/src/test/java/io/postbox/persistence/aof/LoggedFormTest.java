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
            /** As the append-only file takes them: what is propagated to it, in its logged form. */
            @Override
            public void written(Invocation call) {
                if ((call.propagationTargets() & CommandLog.TO_AOF) == 0) {
                    return;
                }
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
        String greater = run("expire", "k", "60", "GT");
        assertTrue(greater.startsWith("PEXPIREAT k ") && greater.endsWith(" GT"), "the condition kept: " + greater);
        assertTrue(run("getex", "k", "PX", "5000").startsWith("PEXPIREAT k "));
        assertEquals("PERSIST k", run("getex", "k", "PERSIST"));
        assertEquals("set k v KEEPTTL", run("set", "k", "v", "KEEPTTL"));
        assertEquals("DEL k", run("expire", "k", "-1"));
    }

    @Test
    void aBlockingPopIsLoggedAsItsNonBlockingTwinSoReplayNeverBlocks() {
        run("rpush", "q", "a", "b", "c");
        assertEquals("LPOP q", run("blpop", "missing", "q", "0"));
        assertEquals("RPOP q", run("brpop", "q", "0"));
        // Served at once, with the sides as the client wrote them (once a client waited, Redis's own words).
        assertEquals("LMOVE q done LEFT right", run("blmove", "q", "done", "LEFT", "right", "0"));
        assertEquals("RPOPLPUSH done q", run("brpoplpush", "done", "q", "0"));
        assertEquals("LPOP q 1", run("blmpop", "0", "1", "q", "LEFT", "COUNT", "5"));
        run("zadd", "z", "1", "m", "2", "n", "3", "o");
        assertEquals("ZPOPMAX z", run("bzpopmax", "z", "0"));
        assertEquals("ZPOPMIN z 2", run("bzmpop", "0", "1", "z", "MIN", "COUNT", "5"));
    }

    @Test
    void multiPopsAreLoggedAsPopsOfTheNumberTheyTook() {
        run("rpush", "q", "a", "b", "c");
        assertEquals("RPOP q 1", run("lmpop", "2", "missing", "q", "RIGHT"));
        assertEquals("LPOP q 2", run("lmpop", "1", "q", "LEFT", "COUNT", "10"));
        run("zadd", "z", "1", "m", "2", "n");
        assertEquals("ZPOPMAX z 1", run("zmpop", "1", "z", "MAX"));
        assertEquals("ZPOPMIN z 1", run("zmpop", "1", "z", "MIN", "COUNT", "3"));
        assertEquals("", run("zmpop", "1", "z", "MIN"));
    }

    @Test
    void floatIncrementsAreLoggedAsTheValuesTheyGave() {
        run("set", "f", "10");
        assertEquals("SET f 10.1 KEEPTTL", run("incrbyfloat", "f", "0.1"));
        assertEquals("HSET h x 1.5", run("hincrbyfloat", "h", "x", "1.5"));
        assertEquals("HSET h x 1.75", run("hincrbyfloat", "h", "x", "0.25"));
    }

    @Test
    void getOptionsGetsetAndGetdelAreLoggedAsTheWritesAlone() {
        assertEquals("set k v", run("set", "k", "v", "get"));
        assertEquals("set k w XX", run("set", "k", "w", "GET", "XX", "get"));
        assertEquals("SET k x", run("getset", "k", "x"));
        assertEquals("DEL k", run("getdel", "k"));
        assertEquals("", run("getdel", "k"));
        run("config", "set", "lazyfree-lazy-user-del", "yes");
        run("set", "k", "v");
        assertEquals("UNLINK k", run("getdel", "k"));
    }

    @Test
    void aPopServedToAWaitingClientIsLoggedAfterTheWriteThatServedIt() {
        ReplayClient consumer = new ReplayClient(engine);
        assertEquals("", runAs(consumer, "brpop", "jobs", "0"), "blocked: nothing changed yet");
        assertEquals("LPUSH jobs j1 j2 | RPOP jobs", run("LPUSH", "jobs", "j1", "j2"));
        assertEquals("", runAs(consumer, "blmove", "empty", "jobs", "RIGHT", "LEFT", "0"));
        assertEquals("RPUSH empty e | LMOVE empty jobs right left", run("RPUSH", "empty", "e"));
        assertEquals("", runAs(consumer, "blmpop", "0", "1", "batch", "LEFT", "COUNT", "3"));
        assertEquals("RPUSH batch x y | LPOP batch 2", run("RPUSH", "batch", "x", "y"));
        assertEquals("", runAs(consumer, "brpoplpush", "none", "jobs", "0"));
        assertEquals("RPUSH none n | RPOPLPUSH none jobs", run("RPUSH", "none", "n"));
    }

    @Test
    void aScriptsWritesAreLoggedUntilSetReplTakesTheAofAway() {
        String script = "redis.call('set', 'a', '1') redis.set_repl(redis.REPL_NONE) redis.call('set', 'b', '2') "
                + "redis.set_repl(redis.REPL_REPLICA) redis.call('set', 'c', '3') "
                + "redis.set_repl(redis.REPL_AOF) redis.call('set', 'd', '4') "
                + "redis.set_repl(redis.REPL_ALL) redis.call('set', 'e', '5')";
        assertEquals("set a 1 | set d 4 | set e 5", run("eval", script, "0"));
        assertEquals("set f 6", run("eval", "redis.call('set', 'f', '6')", "0"), "the next script logs again");
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

    @Test
    void xaddIsLoggedWithTheIdItGeneratedAndAnApproximateTrimAsTheExactOneItDid() {
        String added = run("xadd", "s", "*", "f", "v");
        assertTrue(added.matches("xadd s \\d+-0 f v"), added);
        assertEquals("xadd t 5-0 f v", run("xadd", "t", "5-*", "f", "v"));
        assertEquals("xadd t 5-2 f v", run("xadd", "t", "5-2", "f", "v"));
        assertEquals("xadd t MAXLEN = 3 6 f v", run("xadd", "t", "MAXLEN", "~", "1", "6", "f", "v"));
        assertEquals("", run("xadd", "t", "1-1", "f", "v"), "a failed XADD is not logged");
    }

    @Test
    void groupReadsAndClaimsAreLoggedAsTheStateTheyLeave() {
        run("xadd", "s", "1-1", "f", "v");
        run("xadd", "s", "1-2", "f", "v");
        run("xgroup", "create", "s", "g", "0");
        String read = run("xreadgroup", "GROUP", "g", "alice", "STREAMS", "s", ">");
        String[] logged = read.split(" \\| ");
        assertEquals(4, logged.length, read);
        assertEquals("XGROUP CREATECONSUMER s g alice", logged[0]);
        assertTrue(logged[1].matches("XCLAIM s g alice 0 1-1 TIME \\d+ RETRYCOUNT 1 FORCE JUSTID LASTID 1-1"), read);
        assertTrue(logged[2].matches("XCLAIM s g alice 0 1-2 TIME \\d+ RETRYCOUNT 1 FORCE JUSTID LASTID 1-2"), read);
        assertEquals("XGROUP SETID s g 1-2 ENTRIESREAD 2", logged[3]);
        assertEquals("", run("xreadgroup", "GROUP", "g", "alice", "STREAMS", "s", ">"), "nothing new: nothing logged");
        String claimed = run("xautoclaim", "s", "g", "bob", "0", "0", "COUNT", "1");
        assertTrue(claimed.matches("XCLAIM s g bob 0 1-1 TIME \\d+ RETRYCOUNT 2"
                + " FORCE JUSTID LASTID 1-2"), claimed);
        assertEquals("xack s g 1-1", run("xack", "s", "g", "1-1"));
        assertEquals("", run("xread", "STREAMS", "s", "0"));
    }

    @Test
    void aGroupReadServedToAWaitingClientIsLoggedAfterTheWriteThatServedIt() {
        run("xgroup", "create", "s", "g", "$", "MKSTREAM");
        ReplayClient consumer = new ReplayClient(engine);
        assertEquals("", runAs(consumer, "xreadgroup", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"));
        String served = run("xadd", "s", "1-1", "f", "v");
        assertTrue(served.matches("xadd s 1-1 f v \\| XGROUP CREATECONSUMER s g c \\| XCLAIM s g c 0 1-1 TIME \\d+"
                + " RETRYCOUNT 1 FORCE JUSTID LASTID 1-1 \\| XGROUP SETID s g 1-1 ENTRIESREAD 1"), served);
    }
}
