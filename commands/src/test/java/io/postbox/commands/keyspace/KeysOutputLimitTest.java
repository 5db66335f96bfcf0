package io.postbox.commands.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.Commands;
import io.postbox.commands.Dispatcher;
import io.postbox.commands.Engine;
import io.postbox.commands.TestClient;
import io.postbox.commands.config.Config;
import org.junit.jupiter.api.Test;

/** KEYS stops writing its reply once the client's output passes its hard limit: the client is closed without it. */
class KeysOutputLimitTest {

    private static final int KEYS = 20_000;

    @Test
    void keysStopsWritingPastTheHardLimit() {
        Engine engine = new Engine(new Config(), Commands.groups());
        Dispatcher dispatcher = new Dispatcher(engine);
        TestClient client = new TestClient(engine);
        for (int i = 0; i < KEYS; i++) {
            dispatcher.dispatch(client, TestClient.request("SET", "key:" + i, "v"));
        }
        client.dropReplies();

        dispatcher.dispatch(client, TestClient.request("KEYS", "*"));
        int whole = client.dropReplies();
        assertTrue(whole > KEYS * 10, "without a limit every key is written: " + whole + " bytes");

        client.hardOutputLimit(10_000);
        dispatcher.dispatch(client, TestClient.request("KEYS", "*"));
        int written = client.dropReplies();
        assertTrue(written > 10_000 && written < 10_000 + 1024 * 20, "stops within a check's worth of keys of "
                + "the limit: " + written + " bytes of " + whole);
        client.hardOutputLimit(0);
        dispatcher.dispatch(client, TestClient.request("DBSIZE"));
        assertEquals(":" + KEYS + "\r\n", client.replies());
    }
}
