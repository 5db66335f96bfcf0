package io.postbox.commands.admin.info;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.Commands;
import io.postbox.commands.Engine;
import io.postbox.commands.config.Config;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InfoTest {

    private final Engine engine = new Engine(new Config(), Commands.groups());
    private final Info info = new Info();

    private List<String> titles(String... args) {
        List<String> titles = new ArrayList<>();
        for (String line : info.render(engine, List.of(args)).split("\r\n")) {
            if (line.startsWith("# ")) {
                titles.add(line.substring(2));
            }
        }
        return titles;
    }

    @Test
    void defaultIsEverySectionButCommandAndLatencyStats() {
        List<String> expected = List.of("Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU",
                "Modules", "Errorstats", "Cluster", "Keyspace");
        assertEquals(expected, titles());
        assertEquals(expected, titles("default"));
    }

    @Test
    void allAndEverythingAddCommandAndLatencyStatsInRedisOrder() {
        List<String> all = List.of("Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU",
                "Modules", "Commandstats", "Errorstats", "Latencystats", "Cluster", "Keyspace");
        assertEquals(all, titles("all"));
        assertEquals(all, titles("everything"));
        assertEquals(all, titles("default", "commandstats", "latencystats"));
    }

    @Test
    void namedSectionsComeInRedisOrderOnceWhateverTheArgumentsAndUnknownOnesAreIgnored() {
        assertEquals(List.of("Clients", "Cluster"), titles("CLUSTER", "clients", "cluster", "nosuch"));
        assertEquals("", info.render(engine, List.of("nosuch")));
    }

    @Test
    void sectionsAreSeparatedByAnEmptyLineAndEveryLineEndsWithCrLf() {
        assertEquals("# Cluster\r\ncluster_enabled:0\r\n\r\n# Keyspace\r\n",
                info.render(engine, List.of("cluster", "keyspace")));
    }

    @Test
    void serverSectionStartsWithTheRedisVersionAndNamesPostboxToo() {
        String server = info.render(engine, List.of("server"));
        assertTrue(server.startsWith("# Server\r\nredis_version:7.0.15\r\n"), server);
        assertTrue(server.contains("\r\npostbox_version:"), server);
        assertTrue(server.contains("\r\nprocess_id:" + ProcessHandle.current().pid() + "\r\n"), server);
    }

    @Test
    void keyspaceListsOnlyDatabasesWithKeys() {
        engine.database(3).set("k".getBytes(), "v".getBytes());
        String keyspace = info.render(engine, List.of("keyspace"));
        assertEquals("# Keyspace\r\ndb3:keys=1,expires=0,avg_ttl=0\r\n", keyspace);
        assertFalse(keyspace.contains("db0"));
    }

    @Test
    void humanSizesAreRedisBytesToHuman() {
        assertEquals("0B", InfoLines.human(0));
        assertEquals("1023B", InfoLines.human(1023));
        assertEquals("894.91K", InfoLines.human(916384));
        assertEquals("1.00M", InfoLines.human(1 << 20));
        assertEquals("23.54G", InfoLines.human(25276518400L));
    }
}
