package io.postbox.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.admin.ModuleCommands;
import io.postbox.commands.config.Config;
import io.postbox.commands.connection.ClientCommands;
import io.postbox.commands.connection.ConnectionCommands;
import io.postbox.commands.connection.Loopback;
import io.postbox.commands.transactions.TransactionCommands;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Protected commands (DEBUG; MODULE LOAD, LOADEX and UNLOAD) with the settings that allow them, which
 * side-by-side cases cannot vary: both servers there start with one configuration.
 */
class ProtectedCommandsTest {

    private static final String MODULE_NOT_ALLOWED = "-ERR MODULE command not allowed. If the enable-module-command"
            + " option is set to \"local\", you can run it from a local connection, otherwise you need to set this"
            + " option in the configuration file, and then restart the server.\r\n";

    private final Config config = new Config();
    private final Engine engine = new Engine(config,
            List.of(new ConnectionCommands(), new ClientCommands(), new ModuleCommands(), new TransactionCommands()));
    private final Dispatcher dispatcher = new Dispatcher(engine);
    private final TestClient client = new TestClient(engine);

    private String run(String... args) {
        assertTrue(dispatcher.dispatch(client, TestClient.request(args)));
        return client.replies();
    }

    @Test
    void moduleListIsNotProtectedButLoadingAndUnloadingAre() {
        assertEquals("*0\r\n", run("module", "list"));
        assertEquals(MODULE_NOT_ALLOWED, run("module", "load", "/x.so"));
        assertEquals(MODULE_NOT_ALLOWED, run("module", "loadex", "/x.so", "ARGS", "a"));
        assertEquals(MODULE_NOT_ALLOWED, run("module", "unload", "x"));
        assertEquals("-ERR wrong number of arguments for 'module|load' command\r\n", run("module", "load"),
                "arity is checked first");
    }

    @Test
    void whereAllowedModulesFailToLoadAndThereIsNoneToUnload() {
        config.set("enable-module-command", "local");
        assertEquals("-ERR Error loading the extension. Please check the server logs.\r\n",
                run("module", "load", "/x.so", "arg"));
        assertEquals("-ERR Error unloading module: no such module with that name\r\n", run("module", "unload", "x"));
    }

    @Test
    void aRefusalInATransactionComesAtOnceAndAbortsIt() {
        assertEquals("+OK\r\n", run("multi"));
        assertEquals("+QUEUED\r\n", run("module", "list"));
        assertEquals(MODULE_NOT_ALLOWED, run("module", "unload", "x"));
        assertTrue(run("debug", "sleep", "0")
                .startsWith("-ERR DEBUG command not allowed. If the enable-debug-command option is set"));
        assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", run("exec"));
    }

    @Test
    void theRefusalComesBeforeAuthentication() {
        config.set("requirepass", "s3cret");
        TestClient stranger = new TestClient(engine);
        assertTrue(dispatcher.dispatch(stranger, TestClient.request("module", "unload", "x")));
        assertEquals(MODULE_NOT_ALLOWED, stranger.replies());
        assertTrue(dispatcher.dispatch(stranger, TestClient.request("module", "list")));
        assertEquals("-NOAUTH Authentication required.\r\n", stranger.replies());
    }

    @Test
    void localMeansExactly127001OrIpv6Loopback() {
        assertTrue(Loopback.isLocal("127.0.0.1:6000"));
        assertTrue(Loopback.isLocal("[::1]:6000"));
        assertFalse(Loopback.isLocal("127.0.0.2:6000"), "not local to Redis either");
        assertFalse(Loopback.isLocal("10.0.0.1:6000"));
        assertTrue(Loopback.allows("local", true));
        assertFalse(Loopback.allows("local", false));
        assertTrue(Loopback.allows("yes", false));
        assertFalse(Loopback.allows("no", true));
    }
}
