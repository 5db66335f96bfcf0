package io.postbox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.postbox.commands.CommandGroup;
import io.postbox.commands.Commands;
import io.postbox.commands.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that fails to start leaves nothing running behind it. */
class StartupFailureTest {

    /** More keys than the parser thread's queue holds: a parse nobody stores waits for room forever. */
    private static final int KEYS = 200_000;

    @Test
    void anEngineThatCannotBeBuiltStopsTheSnapshotParseStartedBeforeIt(@TempDir Path dir) throws Exception {
        PostboxServer saver = new PostboxServer(config(dir), quietLog());
        saver.start();
        try (RespConnection client = new RespConnection(saver.port())) {
            assertEquals("+OK", client.call("EVAL", "for i = 1, " + KEYS + " do redis.call('SET', 'k' .. i, 'v') end"
                    + " return redis.status_reply('OK')", "0"));
            assertEquals("+OK", client.call("SAVE"));
        } finally {
            saver.close();
        }

        List<CommandGroup> groups = new ArrayList<>(Commands.groups());
        groups.add(() -> {
            throw new IllegalStateException("no commands today");
        });
        PostboxServer failing = new PostboxServer(config(dir), quietLog(), null, groups);
        assertThrows(IllegalStateException.class, failing::start);

        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals("postbox-rdb-parser") && thread.isAlive()),
                "the RDB parser thread outlived the failed start");
    }

    private static Config config(Path dir) throws Exception {
        Config config = new Config();
        ConfigFile.apply(config, new String[] {"--port", "0", "--bind", "127.0.0.1", "--save", "", "--dir", dir.toString()});
        return config;
    }

    private static ServerLog quietLog() {
        ServerLog log = new ServerLog();
        log.level("warning");
        return log;
    }
}
