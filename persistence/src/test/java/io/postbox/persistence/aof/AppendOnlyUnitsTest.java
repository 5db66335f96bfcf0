package io.postbox.persistence.aof;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.Commands;
import io.postbox.commands.Dispatcher;
import io.postbox.commands.Engine;
import io.postbox.commands.Invocation;
import io.postbox.commands.config.Config;
import io.postbox.persistence.RecordingLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one top-level command writes reaches the file as one unit, as Redis 7.0 propagates: a single
 * command as it is, several between MULTI and EXEC, never nested. The bytes are what redis-server
 * 7.0.15 wrote for the same commands (read from its appendonlydir).
 */
class AppendOnlyUnitsTest {

    @TempDir
    Path dir;

    private Engine engine;
    private ReplayClient client;
    private AppendOnlyFile file;

    @BeforeEach
    void setUp() throws IOException {
        List<CommandGroup> groups = new ArrayList<>(Commands.groups());
        groups.add(new NestedCalls());
        engine = new Engine(new Config(), groups);
        engine.scheduler((delay, task) -> task.run());
        client = new ReplayClient(engine);
        AofManifest manifest = new AofManifest("appendonly.aof");
        manifest.addIncr();
        file = new AppendOnlyFile(engine, dir, manifest, true, new RecordingLog());
        engine.attach(file);
    }

    /**
     * A stand-in for a script: {@code nested <command> [args] ; <command> [args] ; ...} runs each
     * command through the dispatcher inside itself, as EVAL's redis.call does. Not a write itself.
     */
    private static final class NestedCalls implements CommandGroup {
        @Override
        public List<Command> commands() {
            return List.of(Command.builder("nested").arity(-2).flags("noscript").acl("@scripting")
                    .group("scripting").summary("test").since("7.0.0").complexity("O(1)").syntax("command ...")
                    .handler(call -> run(call, call.engine().dispatcher())).build(),
                    Command.builder("nestedapart").arity(-2).flags("noscript").acl("@scripting")
                    .group("scripting").summary("test").since("7.0.0").complexity("O(1)").syntax("command ...")
                    .handler(call -> run(call, new Dispatcher(call.engine()))).build());
        }

        /** Runs the commands through {@code dispatcher}: the engine's, or one of the caller's own. */
        static void run(Invocation call, Dispatcher dispatcher) {
            List<byte[]> command = new ArrayList<>();
            for (int i = 1; i <= call.argc(); i++) {
                if (i == call.argc() || call.argIs(i, ";")) {
                    byte[][] args = command.toArray(new byte[0][]);
                    dispatcher.call(call.client(), call.engine().commands().lookup(args[0]), args);
                    command.clear();
                } else {
                    command.add(call.arg(i));
                }
            }
        }
    }

    /** The file's commands, one per line, arguments separated by spaces. */
    private String written(String... lines) throws IOException {
        for (String line : lines) {
            String[] words = line.split(" ");
            byte[][] args = new byte[words.length][];
            for (int i = 0; i < words.length; i++) {
                args[i] = words[i].getBytes(StandardCharsets.ISO_8859_1);
            }
            engine.dispatcher().dispatch(client, args);
        }
        file.submit();
        file.close();
        List<String> commands = new ArrayList<>();
        CommandReader reader = new CommandReader(Files.newInputStream(dir.resolve("appendonly.aof.1.incr.aof")), 0);
        for (byte[][] command = reader.next(); command != null; command = reader.next()) {
            List<String> words = new ArrayList<>();
            for (byte[] arg : command) {
                words.add(new String(arg, StandardCharsets.ISO_8859_1));
            }
            commands.add(String.join(" ", words));
        }
        return String.join("\n", commands);
    }

    @Test
    void execWithOneWriteLogsThatCommandAlone() throws IOException {
        assertEquals("SELECT 0\nSET a 1", written("MULTI", "SET a 1", "GET a", "EXEC"));
    }

    @Test
    void execWithSeveralWritesLogsThemBetweenMultiAndExec() throws IOException {
        assertEquals("SELECT 0\nMULTI\nSET b 1\nINCR c\nLPUSH q x y\nEXEC",
                written("MULTI", "SET b 1", "INCR c", "LPUSH q x y", "EXEC"));
    }

    @Test
    void execWithoutChangesLogsNothing() throws IOException {
        assertEquals("", written("MULTI", "GET a", "DEL missing", "EXEC"));
    }

    @Test
    void writesThatChangeNothingDoNotCountTowardsTheBlock() throws IOException {
        assertEquals("SELECT 0\nSET t 1", written("MULTI", "DEL missing", "SET t 1", "EXEC"));
    }

    @Test
    void aDatabaseSwitchInsideTheBlockIsLoggedInsideIt() throws IOException {
        assertEquals("SELECT 0\nMULTI\nSET x 1\nSELECT 3\nSET y 2\nEXEC\nSET z 1",
                written("MULTI", "SET x 1", "SELECT 3", "SET y 2", "EXEC", "SET z 1"));
    }

    @Test
    void nestedCallsOfOneCommandFormOneBlockSelectingTheFirstDatabaseBeforeMulti() throws IOException {
        assertEquals("SELECT 5\nMULTI\nset s7 1\nSELECT 0\nset s8 1\nEXEC",
                written("nested select 5 ; set s7 1 ; select 0 ; set s8 1"));
    }

    @Test
    void callsThroughAnotherDispatcherStillJoinTheOutermostUnit() throws IOException {
        assertEquals("SELECT 0\nMULTI\nset a 1\nset b 2\nEXEC", written("nestedapart set a 1 ; set b 2"));
    }

    @Test
    void oneNestedWriteIsLoggedAlone() throws IOException {
        assertEquals("SELECT 0\nset s3 1", written("nested set s3 1 ; get s3"));
    }

    @Test
    void nestedCallsInsideExecAreNotNested() throws IOException {
        assertEquals("SELECT 0\nMULTI\nset s4 1\nset s5 2\nSET s6 1\nEXEC",
                written("MULTI", "nested set s4 1 ; set s5 2", "SET s6 1", "EXEC"));
    }

    @Test
    void aBlockingPopInsideExecIsLoggedAsItsTwinInTheBlock() throws IOException {
        assertEquals("SELECT 0\nRPUSH q a b\nMULTI\nLPOP q\nSET k v\nEXEC",
                written("RPUSH q a b", "MULTI", "BLPOP q 0", "SET k v", "EXEC"));
    }
}
