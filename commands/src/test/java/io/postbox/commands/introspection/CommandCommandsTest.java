package io.postbox.commands.introspection;

import io.postbox.commands.TestClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.Dispatcher;
import io.postbox.commands.Engine;
import io.postbox.commands.KeySpec;
import io.postbox.commands.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * COMMAND against a table of commands declared as Redis 7.0.15 declares them, compared with replies
 * recorded from redis-server 7.0.15 (src/test/resources/introspection), in RESP2 and RESP3.
 */
class CommandCommandsTest {

    /** GET, MSET, EVAL, XREAD and SORT: each key-spec shape Redis has. Handlers are never run. */
    private static final CommandGroup REDIS_LIKE = () -> List.of(
            Command.builder("get").arity(2).flags("readonly fast").acl("@string").syntax("key")
                    .keys(KeySpec.range("RO access", 1, 0, 1)).handler(call -> { }).build(),
            Command.builder("mset").arity(-3).flags("write denyoom").acl("@string").syntax("key value [key value ...]")
                    .tips("request_policy:multi_shard", "response_policy:all_succeeded")
                    .keys(KeySpec.range("OW update", 1, -1, 2)).handler(call -> { }).build(),
            Command.builder("eval").arity(-3).flags("noscript stale skip_monitor no_mandatory_keys")
                    .acl("@scripting").group("scripting").summary("Runs a script.").since("2.6.0")
                    .syntax("script numkeys [key [key ...]] [arg [arg ...]]")
                    .keys(KeySpec.keyNum("RW access update", 2, 0, 1, 1)).handler(call -> { }).build(),
            Command.builder("xread").arity(-4).flags("readonly blocking").acl("@stream")
                    .syntax("[COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]")
                    .keys(KeySpec.keyword("RO access", "STREAMS", 1, -1, 1, 2)).handler(call -> { }).build(),
            Command.builder("sort").arity(-2).flags("write denyoom").acl("@set @sortedset @list @dangerous")
                    .syntax("key").keys(KeySpec.range("RO access", 1, 0, 1)).keys(KeySpec.unknown("RO access"))
                    .keys(KeySpec.unknown("OW update")).handler(call -> { }).build());

    private static final Map<String, String> REDIS_REPLIES = recordedReplies();

    /** Runs commands on an engine with COMMAND and the Redis-like table, and returns reply bytes as text. */
    private static final class Session {
        private final Engine engine;
        private final Dispatcher dispatcher;
        private final TestClient client;

        Session(int protocol) {
            this(protocol, REDIS_LIKE);
        }

        Session(int protocol, CommandGroup commands) {
            engine = new Engine(new Config(), List.of(new CommandCommands(), commands));
            dispatcher = new Dispatcher(engine);
            client = new TestClient(engine, protocol);
        }

        String call(String line) {
            String[] words = line.split(" ");
            byte[][] args = new byte[words.length][];
            for (int i = 0; i < words.length; i++) {
                args[i] = words[i].getBytes(StandardCharsets.ISO_8859_1);
            }
            dispatcher.dispatch(client, args);
            return client.replies();
        }
    }

    private static Map<String, String> recordedReplies() {
        String resource = "/introspection/redis-7.0.15-replies.txt";
        try (InputStream in = CommandCommandsTest.class.getResourceAsStream(resource)) {
            Map<String, String> replies = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).split("\n")) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    String[] fields = line.split("\t");
                    replies.put(fields[0] + " " + fields[1], fields[2].replace("\\r\\n", "\r\n"));
                }
            }
            return replies;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String redis(int protocol, String command) {
        return REDIS_REPLIES.get(protocol + " " + command);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void commandInfoMatchesRedisForEveryKeySpecShape(int protocol) {
        Session session = new Session(protocol);
        for (String name : List.of("get", "mset", "eval", "xread", "sort")) {
            assertEquals(redis(protocol, "command info " + name), session.call("command info " + name), name);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void keysComeFromTheKeySpecs(int protocol) {
        Session session = new Session(protocol);
        for (String line : List.of("command getkeysandflags mset a 1 b 2", "command getkeys eval s 2 a b c",
                "command getkeys xread count 1 streams a b 0 0")) {
            assertEquals(redis(protocol, line), session.call(line), line);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void commandDocsArgumentsMatchRedis(int protocol) {
        String docs = new Session(protocol).call("command docs eval");
        String head = protocol == 3 ? "%1\r\n$4\r\neval\r\n%4\r\n" : "*2\r\n$4\r\neval\r\n*8\r\n";
        assertTrue(docs.startsWith(head + "$7\r\nsummary\r\n$14\r\nRuns a script.\r\n$5\r\nsince\r\n$5\r\n2.6.0\r\n"
                + "$5\r\ngroup\r\n$9\r\nscripting\r\n"), docs);
        assertTrue(docs.endsWith(redis(protocol, "command docs eval")), docs);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void withoutNamesEveryCommandIsDescribed(int protocol) {
        Session session = new Session(protocol);
        String all = session.call("command");
        assertEquals(all, session.call("command info"));
        assertEquals(":6\r\n", session.call("command count"));
        StringBuilder oneByOne = new StringBuilder("*6\r\n");
        for (String name : List.of("command", "get", "mset", "eval", "xread", "sort")) {
            oneByOne.append(session.call("command info " + name).substring("*1\r\n".length()));
        }
        assertEquals(oneByOne.toString(), all);
        String docs = session.call("command docs");
        assertTrue(docs.startsWith(protocol == 3 ? "%6\r\n$7\r\ncommand\r\n" : "*12\r\n$7\r\ncommand\r\n"), docs);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void listNamesSubcommandsAfterTheirContainer(int protocol) {
        Session session = new Session(protocol);
        assertEquals("*13\r\n$7\r\ncommand\r\n$13\r\ncommand|count\r\n$12\r\ncommand|docs\r\n$15\r\ncommand|getkeys\r\n"
                + "$23\r\ncommand|getkeysandflags\r\n$12\r\ncommand|help\r\n$12\r\ncommand|info\r\n"
                + "$12\r\ncommand|list\r\n$3\r\nget\r\n$4\r\nmset\r\n$4\r\neval\r\n$5\r\nxread\r\n$4\r\nsort\r\n",
                session.call("command list"));
        assertEquals("*2\r\n$15\r\ncommand|getkeys\r\n$23\r\ncommand|getkeysandflags\r\n",
                session.call("command list filterby pattern *|G*"));
        assertEquals("*1\r\n$4\r\nsort\r\n", session.call("command list filterby aclcat DANGEROUS"));
        assertEquals("*0\r\n", session.call("command list filterby module sort"));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void commandDocsFieldsComeInRedisOrder(int protocol) {
        CommandGroup deprecated = () -> List.of(Command.builder("rpoplpush").arity(3).flags("write denyoom")
                .acl("@list").group("list").summary("Moves an element.").since("1.2.0").complexity("O(1)")
                .deprecated("6.2.0", "LMOVE").history("9.9.9", "Changed.").syntax("source destination")
                .keys(KeySpec.range("RW access delete", 1, 0, 1)).keys(KeySpec.range("RW insert", 2, 0, 1))
                .handler(call -> { }).build());
        String set = protocol == 3 ? "~" : "*";
        String expected = (protocol == 3 ? "%1" : "*2") + "\r\n$9\r\nrpoplpush\r\n" + (protocol == 3 ? "%9" : "*18")
                + "\r\n$7\r\nsummary\r\n$17\r\nMoves an element.\r\n$5\r\nsince\r\n$5\r\n1.2.0\r\n"
                + "$5\r\ngroup\r\n$4\r\nlist\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n"
                + "$9\r\ndoc_flags\r\n" + set + "1\r\n+deprecated\r\n"
                + "$16\r\ndeprecated_since\r\n$5\r\n6.2.0\r\n$11\r\nreplaced_by\r\n$5\r\nLMOVE\r\n"
                + "$7\r\nhistory\r\n" + set + "1\r\n*2\r\n$5\r\n9.9.9\r\n$8\r\nChanged.\r\n"
                + "$9\r\narguments\r\n*2\r\n"
                + (protocol == 3 ? "%3" : "*6") + "\r\n$4\r\nname\r\n$6\r\nsource\r\n$4\r\ntype\r\n$3\r\nkey\r\n"
                + "$14\r\nkey_spec_index\r\n:0\r\n"
                + (protocol == 3 ? "%3" : "*6") + "\r\n$4\r\nname\r\n$11\r\ndestination\r\n$4\r\ntype\r\n$3\r\nkey\r\n"
                + "$14\r\nkey_spec_index\r\n:1\r\n";
        assertEquals(expected, new Session(protocol, deprecated).call("command docs rpoplpush"));
    }
}
