package io.postbox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.config.CommandRename;
import io.postbox.commands.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {

    @TempDir
    Path dir;

    private final Config config = new Config();

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private String error(String... args) {
        return assertThrows(ConfigFile.ConfigException.class, () -> ConfigFile.apply(config, args)).getMessage();
    }

    @Test
    void appliesTheFileThenTheCommandLineAndReturnsTheFileAbsolute() throws IOException {
        Path conf = file("redis.conf", "# comment\n\nport 7000\nmaxmemory 100mb\r\n  timeout 30  \n");
        Path returned = ConfigFile.apply(config, new String[] {conf.toString(), "--maxmemory", "1gb"});
        assertEquals(conf.toAbsolutePath(), returned);
        assertEquals(7000, config.getLong("port"));
        assertEquals(1L << 30, config.getLong("maxmemory"));
        assertEquals(30, config.getLong("timeout"));
    }

    @Test
    void withoutAFileThereIsNoneToReturn() throws IOException {
        assertNull(ConfigFile.apply(config, new String[] {"--port", "7000"}));
        assertEquals(7000, config.getLong("port"));
    }

    @Test
    void multiArgumentDirectivesAndRepeatedSaveLinesAsRedis() throws IOException {
        Path conf = file("redis.conf", "save 900 1\nsave 300 10\nbind 127.0.0.1 -::1\n");
        ConfigFile.apply(config, new String[] {conf.toString(), "--save", "60", "5"});
        assertEquals("900 1 300 10 60 5", config.getString("save"));
        assertEquals("127.0.0.1 -::1", config.getString("bind"));
    }

    @Test
    void oneArgumentOfAMultiArgumentOptionHoldsItsWordsAsInRedis() throws IOException {
        ConfigFile.apply(config, new String[] {"--save", "3600 1 300 100", "--bind", "127.0.0.1 -::1"});
        assertEquals("3600 1 300 100", config.getString("save"));
        assertEquals("127.0.0.1 -::1", config.getString("bind"));
        ConfigFile.apply(config, new String[] {"--save", ""});
        assertEquals("", config.getString("save"));
    }

    @Test
    void aBareSaveOptionMeansNoSnapshots() throws IOException {
        ConfigFile.apply(config, new String[] {"--save", "--port", "7000"});
        assertEquals("", config.getString("save"));
        assertEquals(7000, config.getLong("port"));
        ConfigFile.apply(config, new String[] {"--port", "7001", "--save"});
        assertEquals("", config.getString("save"));
    }

    @Test
    void valuesWithSpacesAndQuotesSurviveTheCommandLine() throws IOException {
        ConfigFile.apply(config, new String[] {"--requirepass", "se\"cr et\\x", "--notify-keyspace-events", ""});
        assertEquals("se\"cr et\\x", config.getString("requirepass"));
        assertEquals("--port 7000", "--" + ConfigFile.options(new String[] {"--port 7000"}, 0).strip());
    }

    @Test
    void anUnknownDirectiveStopsWithTheLineAndRedisReason() throws IOException {
        Path conf = file("bad.conf", "# comment\nport 7141\nfoo bar\n");
        assertEquals("\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n"
                + "Reading the configuration file, at line 3\n"
                + ">>> 'foo bar'\n"
                + "Bad directive or wrong number of arguments\n", error(conf.toString()));
    }

    @Test
    void aSingleValueOptionWithTwoValuesIsRefused() throws IOException {
        Path conf = file("bad.conf", "port 7141 7142\n");
        assertTrue(error(conf.toString()).endsWith(">>> 'port 7141 7142'\nwrong number of arguments\n"));
    }

    @Test
    void commandLineOptionsAreNumberedAfterTheFileAndShownQuoted() {
        assertEquals("\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n"
                + "Reading the configuration file, at line 3\n"
                + ">>> 'timeout \"abc\"'\n"
                + "argument couldn't be parsed into an integer\n", error("--port", "7141", "--timeout", "abc"));
        assertTrue(error("--port").endsWith("at line 2\n>>> 'port'\nwrong number of arguments\n"));
    }

    @Test
    void unbalancedQuotesAndBadValuesAreReportedWithRedisWords() throws IOException {
        assertTrue(error(file("q.conf", "port \"7141\n").toString())
                .endsWith(">>> 'port \"7141'\nUnbalanced quotes in configuration line\n"));
        assertTrue(error("--maxmemory", "1zb").endsWith("argument must be a memory value\n"));
        assertTrue(error("--dir", "/definitely/not/here").endsWith("No such file or directory\n"));
    }

    @Test
    void daemonizeYesIsAClearStartupError() {
        String message = error("--daemonize", "yes");
        assertTrue(message.contains(">>> 'daemonize \"yes\"'\nPostbox does not fork"), message);
    }

    @Test
    void directivesOfFeaturesPostboxLacksAreRefusedByName() throws IOException {
        String message = error(file("m.conf", "loadmodule /usr/lib/redis/modules/x.so\n").toString());
        assertTrue(message.endsWith("Postbox does not support 'loadmodule' (loadmodule)\n"), message);
    }

    @Test
    void userDirectivesAreKeptForTheStartupInTheirOrder() throws IOException {
        ConfigFile.apply(config, new String[] {file("u.conf", String.join("\n",
                "user worker on >secret ~jobs:* +@list",
                "user ops on >o (+get ~a) +info", "")).toString()});
        assertEquals(List.of("worker", "ops"), List.copyOf(config.userDefinitions().keySet()));
        assertEquals(List.of("on", ">o", "(+get", "~a)", "+info"), config.userDefinitions().get("ops"));
    }

    @Test
    void userDirectivesThatCannotApplyAreRefusedAsRedisRefusesThem() throws IOException {
        // Redis names the directive's word at the failing rule's index, not the rule.
        assertTrue(error(file("u1.conf", "user app on >pw foo\n").toString())
                .endsWith(">>> 'user app on >pw foo'\nError in user declaration 'on': Syntax error\n"));
        assertTrue(error(file("u2.conf", "user app on\nuser app off\n").toString())
                .endsWith("Error in user declaration 'app': Duplicate user found. A user can only be defined once "
                        + "in config files\n"));
        // An unknown command passes the file's check; the startup's load refuses it.
        ConfigFile.apply(config, new String[] {file("u3.conf", "user later on +nosuch\n").toString()});
        assertEquals(List.of("on", "+nosuch"), config.userDefinitions().get("later"));
    }

    @Test
    void renameCommandDirectivesAreKeptInOrderForTheCommandTable() throws IOException {
        ConfigFile.apply(config, new String[] {file("r.conf", String.join("\n",
                "rename-command FLUSHALL \"\"",
                "rename-command config admin-config",
                "rename-command ADMIN-CONFIG cfg", "")).toString(), "--rename-command", "keys", ""});
        assertEquals(List.of(new CommandRename("FLUSHALL", ""), new CommandRename("config", "admin-config"),
                new CommandRename("ADMIN-CONFIG", "cfg"), new CommandRename("keys", "")), config.commandRenames());
    }

    @Test
    void renameCommandRefusesWhatRedisRefuses() throws IOException {
        assertTrue(error("--rename-command", "nosuchcommand", "x")
                .endsWith(">>> 'rename-command \"nosuchcommand\" \"x\"'\nNo such command in rename-command\n"));
        assertTrue(error("--rename-command", "get", "SET").endsWith("\nTarget command name already exists\n"));
        String renamedAway = error(file("twice.conf", "rename-command flushdb badger\nrename-command flushdb x\n")
                .toString());
        assertTrue(renamedAway.endsWith(
                "at line 2\n>>> 'rename-command flushdb x'\nNo such command in rename-command\n"), renamedAway);
        assertTrue(error("--rename-command", "config|get", "x").endsWith("\nNo such command in rename-command\n"));
    }

    @Test
    void deprecatedDirectivesAreIgnoredAsInRedis() throws IOException {
        ConfigFile.apply(config, new String[] {file("d.conf", "list-max-ziplist-entries 512\n").toString()});
    }

    @Test
    void includeReadsAnotherFile() throws IOException {
        Path other = file("other.conf", "hz 20\n");
        ConfigFile.apply(config, new String[] {file("main.conf", "include " + other + "\n").toString()});
        assertEquals(20, config.getLong("hz"));
    }

    @Test
    void anUnreadableFileIsReportedAsRedisLogsIt() {
        Path missing = dir.resolve("missing.conf");
        IOException e = assertThrows(ConfigFile.UnreadableConfigFile.class,
                () -> ConfigFile.apply(config, new String[] {missing.toString()}));
        assertEquals("Fatal error, can't open config file '" + missing + "': No such file or directory", e.getMessage());
    }

    @Test
    void aLogFileThatCannotBeOpenedStopsTheStartWithoutALine() {
        String message = error("--logfile", "/definitely/not/here/postbox.log");
        assertEquals("\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nCan't open the log file: No such file or directory\n",
                message);
    }
}
