package io.postbox.commands.transactions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.postbox.commands.Commands;
import io.postbox.commands.Dispatcher;
import io.postbox.commands.Engine;
import io.postbox.commands.TestClient;
import io.postbox.commands.config.Config;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which writes abort a WATCH: those that change the key, as Redis signals them; not those that change nothing. */
class WatchedKeysTest {

    private static final String EXECUTED = "*1\r\n+PONG\r\n";
    private static final String ABORTED = "*-1\r\n";

    private Dispatcher dispatcher;
    private TestClient client;

    @BeforeEach
    void start() {
        Engine engine = new Engine(new Config(), Commands.groups());
        dispatcher = new Dispatcher(engine);
        client = new TestClient(engine);
    }

    private String run(String... args) {
        dispatcher.dispatch(client, TestClient.request(args));
        return client.replies();
    }

    /** WATCH {@code key}, run {@code write}, then a transaction: EXEC's reply. */
    private String execAfter(String key, String... write) {
        run("watch", key);
        run(write);
        run("multi");
        run("ping");
        return run("exec");
    }

    @Test
    void aBitfieldWhoseWritesAllFailOnAMissingKeyKeepsItsStringButLeavesTheWatchAlone() {
        assertEquals(EXECUTED,
                execAfter("counter", "bitfield", "counter", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "7"));
        assertEquals(":1\r\n", run("strlen", "counter"), "Redis keeps the zero byte it made");
        assertEquals(ABORTED, execAfter("other", "bitfield", "other", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "1"));
    }

    @Test
    void writesThatChangeNothingLeaveTheWatchAlone() {
        run("setbit", "flags", "3", "1");
        assertEquals(EXECUTED, execAfter("flags", "setbit", "flags", "3", "1"));
        assertEquals(EXECUTED, execAfter("jobs", "lrem", "jobs", "0", "x"));
        assertEquals(ABORTED, execAfter("flags", "setbit", "flags", "3", "0"));
    }
}
