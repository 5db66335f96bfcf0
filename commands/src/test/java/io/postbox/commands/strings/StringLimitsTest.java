package io.postbox.commands.strings;

import io.postbox.commands.TestClient;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.postbox.commands.Commands;
import io.postbox.commands.Dispatcher;
import io.postbox.commands.Engine;
import io.postbox.commands.config.Config;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proto-max-bulk-len limits of APPEND, SETRANGE and LCS, with the limit lowered to 1 MB so the
 * values stay small. Expected replies are Redis 7.0.15's with the same setting.
 */
class StringLimitsTest {

    private static final String TOO_LONG = "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n";

    private Dispatcher dispatcher;
    private TestClient client;

    @BeforeEach
    void lowerTheLimitToOneMegabyte() {
        Config config = new Config();
        config.set("proto-max-bulk-len", "1048576");
        Engine engine = new Engine(config, Commands.groups());
        dispatcher = new Dispatcher(engine);
        client = new TestClient(engine);
    }

    @Test
    void appendMayNotGrowAStringBeyondTheLimit() {
        assertEquals(":1048576\r\n", run("setrange", "k", "1048575", "x"));
        assertEquals(TOO_LONG, run("append", "k", "y"));
        assertEquals(":1048576\r\n", run("strlen", "k"));
    }

    @Test
    void setrangeMayReachTheLimitButNotPassIt() {
        assertEquals(TOO_LONG, run("setrange", "k", "1048576", "x"));
        assertEquals(TOO_LONG, run("setrange", "k", "1048575", "xy"));
        assertEquals(":0\r\n", run("strlen", "k"));
        assertEquals(":1\r\n", run("setnx", "k", "a"));
        assertEquals(":1048576\r\n", run("setrange", "k", "1048575", "x"));
        assertEquals(TOO_LONG, run("setrange", "k", "1048575", "xy"));
    }

    @Test
    void lcsRefusesATableLargerThanTheLimit() {
        run("setrange", "a", "510", "x");
        run("setrange", "b", "510", "x");
        run("setrange", "c", "511", "x");
        // 512 * 512 four-byte cells are exactly the limit; 512 * 513 are more.
        assertEquals(":511\r\n", run("lcs", "a", "b", "len"));
        assertEquals("-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n",
                run("lcs", "a", "c", "len"));
    }

    private String run(String... words) {
        dispatcher.dispatch(client, TestClient.request(words));
        return client.replies();
    }

}
