package io.postbox.commands.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigTest {

    private final Config config = new Config();

    private String refusal(String name, String value) {
        return assertThrows(InvalidConfigValue.class, () -> config.set(name, value)).reason();
    }

    @Test
    void startsWithRedisDefaults() {
        assertEquals(6379, config.getLong("port"));
        assertEquals("127.0.0.1 -::1", config.getString("bind"), "loopback only, as the redis.conf Redis ships");
        assertTrue(config.getBool("protected-mode"));
        assertEquals("", config.getString("requirepass"));
        assertEquals(16, config.getLong("databases"));
        assertEquals("3600 1 300 100 60 10000", config.getString("save"));
        assertEquals("536870912", config.getString("proto-max-bulk-len"));
        assertEquals("noeviction", config.getString("maxmemory-policy"));
        assertEquals("normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
                config.getString("client-output-buffer-limit"));
        assertEquals("50 99 99.9", config.getString("latency-tracking-info-percentiles"));
    }

    @Test
    void knowsEveryNameAndAliasOfRedis7() {
        // As many as CONFIG GET * lists in Redis 7.0, besides its hidden test hooks.
        assertEquals(192, config.names().values().stream()
                .filter(option -> !option.is(ConfigOption.Flag.HIDDEN)).count());
        assertTrue(config.lookup("rdb-key-save-delay").is(ConfigOption.Flag.HIDDEN));
        assertSame(config.lookup("busy-reply-threshold"), config.lookup("lua-time-limit"));
        assertSame(config.lookup("replica-priority"), config.lookup("SLAVE-PRIORITY"));
        assertNull(config.lookup("no-such-option"));
    }

    @Test
    void memoryOptionsTakeUnitsAndShowBytes() {
        config.set("maxmemory", "1gb");
        assertEquals("1073741824", config.getString("maxmemory"));
        config.set("maxmemory", "10K");
        assertEquals(10_000, config.getLong("maxmemory"));
        config.set("maxmemory", "18446744073709551615");
        assertEquals("18446744073709551615", config.getString("maxmemory"));
        assertEquals("argument must be a memory value", refusal("maxmemory", "1.5gb"));
        assertEquals("argument must be between 1048576 and 9223372036854775807 inclusive",
                refusal("proto-max-bulk-len", "100"));
    }

    @Test
    void percentOptionsKeepThePercentSign() {
        config.set("maxmemory-clients", "10%");
        assertEquals("10%", config.getString("maxmemory-clients"));
        assertEquals("percentage argument must be less or equal to 100", refusal("maxmemory-clients", "101%"));
        assertEquals("argument must be a memory or percent value", refusal("maxmemory-clients", "x"));
    }

    @Test
    void booleansAreYesOrNoInAnyCase() {
        config.set("protected-mode", "NO");
        assertFalse(config.getBool("protected-mode"));
        assertEquals("no", config.getString("protected-mode"));
        assertEquals("argument must be 'yes' or 'no'", refusal("protected-mode", "maybe"));
    }

    @Test
    void integersAreStrictAndBounded() {
        assertEquals("argument couldn't be parsed into an integer", refusal("timeout", "01"));
        assertEquals("argument couldn't be parsed into an integer", refusal("timeout", "abc"));
        assertEquals("argument must be between 0 and 2147483647 inclusive", refusal("timeout", "-1"));
        assertEquals("argument must be between 1 and 4294967295 inclusive", refusal("maxclients", "0"));
        assertEquals("argument must be between 1 and 4294967295 inclusive", refusal("maxclients", "-1"));
        assertEquals("argument must be between -1 and 9223372036854775807 inclusive",
                refusal("slowlog-log-slower-than", "-2"));
        config.set("list-max-listpack-size", "-5");
        assertEquals(-5, config.getLong("list-max-ziplist-size"));
    }

    @Test
    void hzIsAcceptedThenCapped() {
        config.set("hz", "1000");
        assertEquals(500, config.getLong("hz"));
        config.set("hz", "0");
        assertEquals(1, config.getLong("hz"));
    }

    @Test
    void enumsMatchInAnyCaseAndListTheChoices() {
        config.set("loglevel", "VERBOSE");
        assertEquals("verbose", config.getString("loglevel"));
        assertEquals("argument(s) must be one of the following: debug, verbose, notice, warning",
                refusal("loglevel", "loud"));
        config.set("oom-score-adj", "relative");
        assertEquals("yes", config.getString("oom-score-adj"));
    }

    @Test
    void flagSetsShowTheirFlagsInDeclarationOrder() {
        config.set("shutdown-on-sigterm", "force NOW save");
        assertEquals("save now force", config.getString("shutdown-on-sigterm"));
        config.set("shutdown-on-sigterm", "default now");
        assertEquals("now", config.getString("shutdown-on-sigterm"));
        assertEquals("shutdown options SAVE and NOSAVE can't be used simultaneously",
                refusal("shutdown-on-sigterm", "save nosave"));
    }

    @Test
    void saveTakesPairsOfSecondsAndChanges() {
        config.set("save", "900 1 300 10");
        assertEquals(List.of(new SavePoint(900, 1), new SavePoint(300, 10)), config.savePoints());
        config.set("save", "");
        assertTrue(config.savePoints().isEmpty());
        assertEquals("Invalid save parameters", refusal("save", "900 1 300"));
        assertEquals("Invalid save parameters", refusal("save", "0 1"));
        assertEquals("Invalid save parameters", refusal("save", "900 -1"));
        // CONFIG SET splits on single spaces: two spaces make an empty word.
        assertEquals("Invalid save parameters", refusal("save", "900  1"));
    }

    @Test
    void repeatedSaveLinesOfOneFileAddUpAndAnEmptyOneClears() {
        ConfigOption<?> save = config.lookup("save");
        config.load(save, List.of("900", "1"), false);
        config.load(save, List.of("300", "10"), true);
        assertEquals("900 1 300 10", config.getString("save"));
        config.load(save, List.of(""), true);
        assertEquals("", config.getString("save"));
        config.load(save, List.of("60", "5"), true);
        assertEquals("60 5", config.getString("save"));
    }

    @Test
    void repeatedSingleValueDirectivesKeepTheLast() {
        ConfigOption<?> port = config.lookup("port");
        config.load(port, List.of("7000"), false);
        config.load(port, List.of("7001"), true);
        assertEquals(7001, config.getLong("port"));
    }

    @Test
    void keyspaceEventsShowInRedisCanonicalOrder() {
        config.set("notify-keyspace-events", "KEA");
        assertEquals("AKE", config.getString("notify-keyspace-events"));
        config.set("notify-keyspace-events", "nmEKgx");
        assertEquals("gxnKEm", config.getString("notify-keyspace-events"));
        assertEquals("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.", refusal("notify-keyspace-events", "q"));
    }

    @Test
    void outputBufferLimitsChangeOnlyTheNamedClasses() {
        config.set("client-output-buffer-limit", "normal 1mb 2 3");
        assertEquals("normal 1048576 2 3 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
                config.getString("client-output-buffer-limit"));
        assertEquals("Invalid client class specified in buffer limit configuration.",
                refusal("client-output-buffer-limit", "master 1 1 1"));
        assertEquals("Wrong number of arguments in buffer limit configuration.",
                refusal("client-output-buffer-limit", "normal 1 1"));
    }

    @Test
    void featuresPostboxLacksAreRefusedNotIgnored() {
        ConfigOption<?> daemonize = config.lookup("daemonize");
        InvalidConfigValue refused = assertThrows(InvalidConfigValue.class,
                () -> config.load(daemonize, List.of("yes"), false));
        assertTrue(refused.reason().startsWith("Postbox does not fork"), refused.reason());
        config.load(daemonize, List.of("no"), false);
        assertThrows(InvalidConfigValue.class, () -> config.load(config.lookup("tls-port"), List.of("6380"), false));
    }

    @Test
    void replicaofNamesTheMasterToFollowFromTheStart() {
        ConfigOption<?> replicaOf = config.lookup("replicaof");
        config.load(replicaOf, List.of("10.0.0.1", "6380"), false);
        assertEquals("10.0.0.1 6380", config.getString("replicaof"));
        assertEquals("Invalid master port", assertThrows(InvalidConfigValue.class,
                () -> config.load(replicaOf, List.of("10.0.0.1", "65536"), false)).reason());
        config.load(replicaOf, List.of("no", "one"), false);
        assertEquals("", config.getString("replicaof"));
    }

    @Test
    void dirMustExistAndIsShownAbsolute() {
        config.set("dir", System.getProperty("java.io.tmpdir"));
        assertTrue(config.dir().isAbsolute());
        assertEquals("No such file or directory", refusal("dir", "/definitely/not/here"));
    }

    @Test
    void aHookSharedByTwoOptionsRunsOnceAndOnlyForChanges() {
        List<String> ran = new ArrayList<>();
        ConfigOption.ApplyHook hook = c -> ran.add(c.getString("port") + "/" + c.getString("bind"));
        config.onApply("port", hook);
        config.onApply("bind", hook);
        config.change(List.of(
                new Config.Change("port", config.lookup("port"), 7000L),
                new Config.Change("bind", config.lookup("bind"), List.of("127.0.0.1"))));
        assertEquals(List.of("7000/127.0.0.1"), ran);
        config.set("port", "7000");
        assertEquals(1, ran.size(), "an unchanged value runs no hook");
    }

    @Test
    void aRefusedHookUndoesTheWholeChange() {
        config.onApply("port", c -> {
            if (c.getLong("port") == 1) {
                throw new InvalidConfigValue("Unable to listen on this port. Check server logs.");
            }
        });
        Config.ChangeRefused refused = assertThrows(Config.ChangeRefused.class, () -> config.change(List.of(
                new Config.Change("timeout", config.lookup("timeout"), 30L),
                new Config.Change("port", config.lookup("port"), 1L))));
        assertEquals("port", refused.name());
        assertEquals("Unable to listen on this port. Check server logs.", refused.reason());
        assertEquals(0, config.getLong("timeout"));
        assertEquals(6379, config.getLong("port"));
    }
}
