package io.postbox.commands.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.Command;
import io.postbox.commands.Dispatcher;
import io.postbox.commands.Engine;
import io.postbox.commands.Errors;
import io.postbox.commands.Stats;
import io.postbox.commands.TestClient;
import io.postbox.commands.admin.SlowLog;
import io.postbox.commands.config.Config;
import io.postbox.resp.ErrorReply;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A call that freezes the server (SAVE, DEBUG RELOAD, FLUSHALL's save) lasts until its work is done,
 * as Redis's runs on its only thread for all that time: its statistics, slow log entry and latency are
 * recorded then, with the whole duration and whether the work failed.
 */
class FrozenServerWorkTest {

    private static final long HELD_MILLIS = 30;

    private Consumer<ErrorReply> pendingWork;
    private final Command hold = Command.builder("hold").arity(1).flags("admin")
            .handler(call -> FrozenServerWork.run(call, ClientPause.Purpose.SAVE, done -> pendingWork = done))
            .build();
    private final Engine engine = new Engine(new Config(), List.of(() -> List.of(hold)));
    private final Dispatcher dispatcher = new Dispatcher(engine);
    private final TestClient client = new TestClient(engine);

    FrozenServerWorkTest() {
        engine.config().set("slowlog-log-slower-than", "0");
    }

    @Test
    void aCallThatFreezesTheServerIsTimedUntilItsWorkIsDone() throws InterruptedException {
        dispatcher.dispatch(client, TestClient.request("hold"));
        assertEquals("", client.replies());
        assertEquals(0, stats().calls, "not counted before it ends");
        assertEquals(0, engine.slowLog().size());

        Thread.sleep(HELD_MILLIS);
        pendingWork.accept(null);

        assertEquals("+OK\r\n", client.replies());
        assertEquals(1, stats().calls);
        assertEquals(0, stats().failedCalls);
        assertTrue(stats().micros >= HELD_MILLIS * 1000, stats().micros + " us");
        SlowLog.Entry entry = engine.slowLog().newest(1).get(0);
        assertTrue(entry.micros() >= HELD_MILLIS * 1000, entry.micros() + " us in the slow log");
    }

    @Test
    void workThatFailsCountsAsAFailedCall() {
        dispatcher.dispatch(client, TestClient.request("hold"));
        pendingWork.accept(Errors.err("Background save already in progress"));

        assertEquals("-ERR Background save already in progress\r\n", client.replies());
        assertEquals(1, stats().calls);
        assertEquals(1, stats().failedCalls);
    }

    private Stats.CommandStats stats() {
        return engine.stats().of(hold);
    }
}
