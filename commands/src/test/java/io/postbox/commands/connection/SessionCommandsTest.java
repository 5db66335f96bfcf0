package io.postbox.commands.connection;

import io.postbox.commands.TestClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.Dispatcher;
import io.postbox.commands.Engine;
import io.postbox.commands.config.Config;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HELLO, AUTH and RESET with {@code requirepass} set: what side-by-side cases cannot reach. */
class SessionCommandsTest {

    private final Config config = new Config();
    private final Engine engine;
    private final Dispatcher dispatcher;
    private final TestClient client;

    SessionCommandsTest() {
        config.set("requirepass", "s3cret");
        engine = new Engine(config, List.of(new ConnectionCommands(), new ClientCommands()));
        dispatcher = new Dispatcher(engine);
        client = new TestClient(engine);
    }

    private String run(String... args) {
        assertTrue(dispatcher.dispatch(client, TestClient.request(args)));
        return client.replies();
    }

    @Test
    void commandsNeedAuthenticationButSessionCommandsDoNot() {
        assertEquals("-NOAUTH Authentication required.\r\n", run("ping"));
        assertEquals("-NOAUTH Authentication required.\r\n", run("client", "id"));
        assertTrue(run("hello").startsWith("-NOAUTH HELLO must be called with the client already authenticated"));
        assertEquals("+RESET\r\n", run("reset"));
    }

    @Test
    void authWithTheOneArgumentFormUsesTheDefaultUser() {
        assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n", run("auth", "nope"));
        assertEquals("+OK\r\n", run("auth", "s3cret"));
        assertEquals("+PONG\r\n", run("ping"));
    }

    @Test
    void aFailedAuthLeavesAnAuthenticatedClientLoggedIn() {
        run("auth", "default", "s3cret");
        assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n", run("auth", "default", "x"));
        assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n", run("auth", "bob", "s3cret"));
        assertEquals("+PONG\r\n", run("ping"));
    }

    @Test
    void helloAuthLogsInEvenWhenItsNameIsThenRejected() {
        assertEquals("-ERR Client names cannot contain spaces, newlines or special characters.\r\n",
                run("hello", "3", "auth", "default", "s3cret", "setname", "a b"));
        assertEquals(2, client.protocol(), "the protocol does not switch");
        assertEquals("+PONG\r\n", run("ping"));
    }

    @Test
    void helloSetsTheNameBeforeRefusingAnUnauthenticatedClient() {
        assertTrue(run("hello", "3", "setname", "early").startsWith("-NOAUTH HELLO"));
        assertEquals("early", client.name());
        assertEquals(2, client.protocol());
    }

    @Test
    void helloAuthSwitchesProtocolAndDescribesTheServer() {
        String reply = run("hello", "3", "auth", "default", "s3cret", "setname", "worker");
        assertTrue(reply.startsWith("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n"
                + "$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:" + client.id() + "\r\n"), reply);
        assertEquals("worker", client.name());
    }

    @Test
    void resetLogsOutAndRestoresTheDefaults() {
        run("hello", "3", "auth", "default", "s3cret", "setname", "worker");
        client.database(engine.database(5));
        assertEquals("+RESET\r\n", run("reset"));
        assertFalse(client.authenticated());
        assertEquals(2, client.protocol());
        assertEquals("", client.name());
        assertEquals(0, client.database().index());
        assertEquals("-NOAUTH Authentication required.\r\n", run("ping"));
    }

    @Test
    void aPasswordRemovedAtRuntimeStopsBeingRequired() {
        assertEquals("-NOAUTH Authentication required.\r\n", run("ping"));
        config.set("requirepass", "");
        assertEquals("+PONG\r\n", run("ping"));
        assertEquals("+OK\r\n", run("auth", "default", "anything"));
    }

    @Test
    void debugIsRefusedUnlessEnabledOrLocal() {
        run("auth", "s3cret");
        assertTrue(run("debug", "sleep", "0").startsWith("-ERR DEBUG command not allowed."));
        config.set("enable-debug-command", "local");
        assertEquals("+OK\r\n", run("debug", "sleep", "0"), "TestClient's peer is 127.0.0.1");
    }

    @Test
    void clientReplySkipIsIgnoredWhileRepliesAreOff() {
        run("auth", "s3cret");
        run("client", "reply", "off");
        run("client", "reply", "skip");
        assertFalse(client.skipNextReply());
        assertEquals("+OK\r\n", run("client", "reply", "on"));
        run("client", "reply", "skip");
        assertTrue(client.skipNextReply());
    }
}
