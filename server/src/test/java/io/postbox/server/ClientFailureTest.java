package io.postbox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.Commands;
import io.postbox.commands.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command that fails unexpectedly (a bug): its client is closed, the log says where, others go on. */
class ClientFailureTest {

    /** {@code FAILING}: throws as a bug in a handler would. */
    private static final class Failing implements CommandGroup {
        @Override
        public List<Command> commands() {
            return List.of(Command.builder("failing").arity(1).flags("fast").acl("@connection")
                    .group("connection").summary("Fails as a bug would (tests only).").since("0.1.0")
                    .complexity("O(1)").syntax("").handler(call -> {
                        throw new IllegalStateException("a bug");
                    }).build());
        }
    }

    @Test
    void theClientIsClosedAndTheFailureLogged(@TempDir Path dir) throws Exception {
        Config config = new Config();
        ConfigFile.apply(config, new String[] {"--port", "0", "--bind", "127.0.0.1", "--save", "",
                "--dir", dir.toString()});
        Path logFile = dir.resolve("server.log");
        ServerLog log = new ServerLog();
        log.file(logFile.toString());
        List<CommandGroup> groups = new ArrayList<>(Commands.groups());
        groups.add(new Failing());
        PostboxServer server = new PostboxServer(config, log, null, groups);
        server.start();
        try (RespConnection failing = new RespConnection(server.port());
             RespConnection other = new RespConnection(server.port())) {
            assertEquals("+OK", failing.call("CLIENT", "SETNAME", "doomed"));
            failing.send("FAILING");
            assertThrows(IOException.class, failing::read, "the connection is closed");

            assertEquals("+PONG", other.call("PING"));
            String logged = Files.readString(logFile);
            assertTrue(logged.contains("# Closing client after an unexpected error: id="), logged);
            assertTrue(logged.contains("name=doomed cmd=failing: java.lang.IllegalStateException: a bug at "
                    + "io.postbox.server.ClientFailureTest"), logged);
        } finally {
            server.close();
        }
    }
}
