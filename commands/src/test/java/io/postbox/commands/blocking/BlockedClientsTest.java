package io.postbox.commands.blocking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.Commands;
import io.postbox.commands.Dispatcher;
import io.postbox.commands.Engine;
import io.postbox.commands.Invocation;
import io.postbox.commands.Scheduler;
import io.postbox.commands.TestClient;
import io.postbox.commands.config.Config;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The blocking machinery without sockets: who is served, when ready keys are served (after the
 * outermost command), timers, SWAPDB, disconnects, and the scale the queues are built for.
 */
class BlockedClientsTest {

    /** Timers and deferred tasks, run when the test says; delays ignored. */
    private static final class ManualTimers implements Scheduler {
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void schedule(long delayMillis, Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                tasks.remove(0).run();
            }
        }
    }

    private final ManualTimers timers = new ManualTimers();
    private Engine engine;
    private Dispatcher dispatcher;

    /**
     * TWOSTEP key runs RPUSH key a and LPOP key through the dispatcher, as EXEC runs its queued
     * commands: nothing is ready once it ends, so no waiter may get the element.
     */
    private final class Nested implements CommandGroup {
        @Override
        public List<Command> commands() {
            return List.of(Command.builder("twostep").arity(2).flags("write").group("generic")
                    .summary("test").syntax("key").handler(this::twostep).build());
        }

        /** Runs two commands inside itself, through the dispatcher's call, as EXEC runs its queue. */
        private void twostep(Invocation call) {
            String key = call.argString(1);
            nested(call, "rpush", key, "a");
            nested(call, "lpop", key);
        }

        private void nested(Invocation call, String... args) {
            byte[][] request = TestClient.request(args);
            dispatcher.call(call.client(), call.engine().commands().lookup(request[0]), request);
        }
    }

    @BeforeEach
    void start() {
        List<CommandGroup> groups = new ArrayList<>(Commands.groups());
        groups.add(new Nested());
        engine = new Engine(new Config(), groups);
        engine.scheduler(timers);
        dispatcher = new Dispatcher(engine);
    }

    private String run(TestClient client, String... args) {
        assertTrue(dispatcher.dispatch(client, TestClient.request(args)));
        return client.replies();
    }

    private int blocked() {
        return engine.clients().blockedCount();
    }

    @Test
    void tenThousandWaitersOnDistinctKeysAndAThousandOnOneAreServedOneAtATime() {
        List<TestClient> distinct = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            TestClient client = new TestClient(engine);
            assertEquals("", run(client, "brpop", "queue:" + i, "0"));
            distinct.add(client);
        }
        List<TestClient> shared = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            TestClient client = new TestClient(engine);
            assertEquals("", run(client, "brpop", "shared", "0"));
            shared.add(client);
        }
        assertEquals(11_000, blocked());
        assertEquals(10_001, engine.database(0).blockedKeys().size());

        TestClient producer = new TestClient(engine);
        assertEquals(":1\r\n", run(producer, "lpush", "unwatched", "x"));
        assertEquals(11_000, blocked());

        assertEquals(":1\r\n", run(producer, "lpush", "shared", "m1"));
        assertEquals("*2\r\n$6\r\nshared\r\n$2\r\nm1\r\n", shared.get(0).replies());
        assertEquals("", shared.get(1).replies());
        assertEquals(":1\r\n", run(producer, "lpush", "queue:5000", "m2"));
        assertEquals("*2\r\n$10\r\nqueue:5000\r\n$2\r\nm2\r\n", distinct.get(5000).replies());
        assertEquals("", distinct.get(4999).replies());
        assertEquals(10_998, blocked());
        assertEquals(10_000, engine.database(0).blockedKeys().size());

        timers.runAll();
        assertEquals(1, shared.get(0).resumes());
        assertEquals(1, distinct.get(5000).resumes());
        assertEquals(0, shared.get(1).resumes());
    }

    @Test
    void readyKeysAreServedOnceTheOutermostCommandHasRun() {
        TestClient waiter = new TestClient(engine);
        TestClient other = new TestClient(engine);
        run(waiter, "blpop", "k", "0");
        run(other, "twostep", "k");
        assertEquals("", waiter.replies(), "the element pushed and popped inside one command is never seen");
        assertEquals(1, blocked());
        run(other, "rpush", "k", "b");
        assertEquals("*2\r\n$1\r\nk\r\n$1\r\nb\r\n", waiter.replies());
    }

    @Test
    void aServedWaiterCancelsItsTimeoutAndAnUnservedOneTimesOut() {
        TestClient served = new TestClient(engine);
        TestClient timedOut = new TestClient(engine);
        TestClient producer = new TestClient(engine);
        run(served, "blpop", "k", "5");
        run(timedOut, "blmove", "other", "dest", "left", "left", "0.5");
        assertEquals(2, engine.blockedClients().withTimeout());
        run(producer, "rpush", "k", "v");
        assertEquals(1, engine.blockedClients().withTimeout());
        timers.runAll();
        assertEquals("*2\r\n$1\r\nk\r\n$1\r\nv\r\n", served.replies(), "no second reply from its timer");
        assertEquals("*-1\r\n", timedOut.replies(), "BLMOVE times out with a null array, as in Redis 7.0");
        assertEquals(0, blocked());
        assertEquals(0, engine.blockedClients().withTimeout());
        assertEquals(1, timedOut.resumes());
    }

    @Test
    void aClientThatMayNotBlockGetsTheNonBlockingTwinsReply() {
        TestClient client = new TestClient(engine);
        client.denyBlocking(true);
        assertEquals("*-1\r\n", run(client, "blpop", "k", "0"));
        assertEquals("$-1\r\n", run(client, "blmove", "k", "d", "left", "left", "0"));
        assertEquals("$-1\r\n", run(client, "brpoplpush", "k", "d", "0"));
        assertEquals("*-1\r\n", run(client, "blmpop", "0", "1", "k", "left"));
        assertEquals(0, blocked());
        run(client, "rpush", "k", "v");
        assertEquals("*2\r\n$1\r\nk\r\n$1\r\nv\r\n", run(client, "brpop", "k", "0"));
    }

    @Test
    void aDisconnectedWaiterLeavesNoTrace() {
        TestClient leaving = new TestClient(engine);
        TestClient staying = new TestClient(engine);
        run(leaving, "blpop", "a", "b", "1");
        run(staying, "blpop", "b", "0");
        engine.clients().remove(leaving);
        assertNull(leaving.blockedOn());
        assertEquals(1, blocked());
        assertEquals(0, engine.blockedClients().withTimeout());
        assertEquals(1, engine.database(0).blockedKeys().size(), "only b is waited on");
        run(staying, "rpush", "a", "kept");
        run(staying, "rpush", "b", "taken");
        assertEquals("", leaving.replies());
        assertEquals(0, blocked());
        timers.runAll();
        assertEquals(0, leaving.resumes());
        assertEquals(1, staying.resumes());
        assertEquals(":1\r\n", run(staying, "llen", "a"));
    }

    @Test
    void swapdbServesClientsWaitingOnKeysThatNowHoldData() {
        TestClient waiter = new TestClient(engine);
        TestClient other = new TestClient(engine);
        run(waiter, "blpop", "k", "0");
        run(other, "select", "1");
        run(other, "rpush", "k", "from-db-1");
        assertEquals("", waiter.replies());
        run(other, "swapdb", "0", "1");
        assertEquals("*2\r\n$1\r\nk\r\n$9\r\nfrom-db-1\r\n", waiter.replies());
    }

    @Test
    void clientUnblockEndsTheWaitAndCountsAFailedCall() {
        TestClient waiter = new TestClient(engine);
        TestClient admin = new TestClient(engine);
        run(waiter, "brpop", "k", "0");
        assertEquals(":1\r\n", run(admin, "client", "unblock", Long.toString(waiter.id()), "error"));
        assertEquals("-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n", waiter.replies());
        assertEquals(":0\r\n", run(admin, "client", "unblock", Long.toString(waiter.id())));
        run(waiter, "brpop", "k", "0");
        assertEquals(":1\r\n", run(admin, "client", "unblock", Long.toString(waiter.id()), "timeout"));
        assertEquals("*-1\r\n", waiter.replies());
        Command brpop = engine.commands().lookup("brpop".getBytes(StandardCharsets.US_ASCII));
        assertEquals(2, engine.stats().of(brpop).calls);
        assertEquals(2, engine.stats().of(brpop).failedCalls);
        assertEquals(1L, engine.stats().errors().get("UNBLOCKED"));
        Command unblock = engine.commands().lookup("client".getBytes(StandardCharsets.US_ASCII))
                .subcommands().get("unblock");
        assertEquals(1, engine.stats().of(unblock).failedCalls, "as Redis, for the error reply sent during it");
    }

    @Test
    void aWaitForReplicasWaitsOnNoKeyUntilItsTimeoutOrClientUnblock() {
        TestClient waiter = new TestClient(engine);
        TestClient admin = new TestClient(engine);
        assertEquals("", run(waiter, "wait", "1", "100"));
        assertEquals(1, blocked());
        assertEquals(1, engine.blockedClients().withTimeout());
        assertEquals(0, engine.database(0).blockedKeys().size());
        timers.runAll();
        assertEquals(":0\r\n", waiter.replies());
        assertEquals(0, engine.blockedClients().withTimeout());
        assertEquals(1, waiter.resumes());

        assertEquals("", run(waiter, "wait", "2", "0"));
        assertEquals(0, engine.blockedClients().withTimeout(), "0 waits for ever");
        assertEquals(":1\r\n", run(admin, "client", "unblock", Long.toString(waiter.id()), "error"));
        assertEquals("-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n", waiter.replies());
        assertEquals(0, blocked());

        waiter.denyBlocking(true);
        assertEquals(":0\r\n", run(waiter, "wait", "1", "0"));
        assertEquals(0, blocked());
    }

    @Test
    void aKeyOfAnotherTypeLeavesListWaitersWaiting() {
        TestClient waiter = new TestClient(engine);
        TestClient other = new TestClient(engine);
        run(waiter, "blpop", "k", "0");
        run(other, "set", "k", "string");
        assertEquals("", waiter.replies());
        assertEquals(1, blocked());
        run(other, "del", "k");
        run(other, "lpush", "k", "v");
        assertEquals("*2\r\n$1\r\nk\r\n$1\r\nv\r\n", waiter.replies());
    }
}
