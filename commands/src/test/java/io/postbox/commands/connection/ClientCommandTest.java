package io.postbox.commands.connection;

import io.postbox.commands.TestClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.Dispatcher;
import io.postbox.commands.Engine;
import io.postbox.commands.config.Config;
import io.postbox.commands.connection.ClientPause.Purpose;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** CLIENT subcommands whose replies side-by-side cases compare only by shape or not at all. */
class ClientCommandTest {

    /** The fields of a Redis 7.0.15 CLIENT LIST line, in order (captured from the reference). */
    private static final List<String> REDIS_7_0_FIELDS = List.of("id", "addr", "laddr", "fd", "name", "age",
            "idle", "flags", "db", "sub", "psub", "ssub", "multi", "qbuf", "qbuf-free", "argv-mem", "multi-mem",
            "rbs", "rbp", "obl", "oll", "omem", "tot-mem", "events", "cmd", "user", "redir", "resp");

    private final Engine engine = new Engine(new Config(), List.of(new ConnectionCommands(), new ClientCommands()));
    private final Dispatcher dispatcher = new Dispatcher(engine);
    private final TestClient client = new TestClient(engine);

    private String run(TestClient as, String... args) {
        assertTrue(dispatcher.dispatch(as, TestClient.request(args)));
        return as.replies();
    }

    /** The text of a bulk-string reply. */
    private static String bulkText(String reply) {
        return reply.substring(reply.indexOf("\r\n") + 2, reply.length() - 2);
    }

    @Test
    void clientInfoHasRedis70FieldsInOrder() {
        run(client, "client", "setname", "worker");
        String line = bulkText(run(client, "client", "info"));
        assertTrue(line.endsWith("\n"));
        List<String> fields = new ArrayList<>();
        for (String pair : line.strip().split(" ")) {
            fields.add(pair.substring(0, pair.indexOf('=')));
        }
        assertEquals(REDIS_7_0_FIELDS, fields);
        // Age and idle time by pattern: a second may tick over between creating the client and CLIENT INFO.
        Pattern start = Pattern.compile(Pattern.quote("id=" + client.id() + " addr=" + client.address()
                + " laddr=127.0.0.1:6379 fd=-1 name=worker ") + "age=\\d+ idle=\\d+ flags=N db=0 ");
        assertTrue(start.matcher(line).lookingAt(), line);
        assertTrue(line.endsWith(" cmd=client|info user=default redir=-1 resp=2\n"), line);
    }

    @Test
    void clientListShowsEveryClientOrThoseAsked() {
        TestClient other = new TestClient(engine);
        String all = bulkText(run(client, "client", "list"));
        assertEquals(2, all.split("\n").length);
        assertTrue(all.startsWith("id=" + client.id() + " "));
        String some = bulkText(run(client, "client", "list", "id", Long.toString(other.id()), "999",
                Long.toString(other.id())));
        assertEquals(2, some.split("\n").length, "ids in argument order, repeats repeated, unknown skipped");
        assertTrue(some.startsWith("id=" + other.id() + " "));
        assertTrue(some.contains(" cmd=NULL "), "a client that ran nothing yet");
    }

    @Test
    void aReplicaIsOfTypeReplicaWithFlagS() {
        TestClient replica = new TestClient(engine);
        replica.awaitSnapshot();
        String replicas = bulkText(run(client, "client", "list", "type", "replica"));
        assertTrue(replicas.startsWith("id=" + replica.id() + " "), replicas);
        assertTrue(replicas.contains(" flags=S "), replicas);
        assertEquals(replicas, bulkText(run(client, "client", "list", "type", "slave")));
        assertFalse(bulkText(run(client, "client", "list", "type", "normal")).contains("id=" + replica.id() + " "));
        assertEquals(":1\r\n", run(client, "client", "kill", "type", "replica"));
    }

    @Test
    void flagsShowNoEvictAndClientsHeldByAPause() {
        run(client, "client", "no-evict", "on");
        assertTrue(bulkText(run(client, "client", "info")).contains(" flags=e "));
        TestClient held = new TestClient(engine);
        engine.pause().postpone(held);
        String line = bulkText(run(client, "client", "list", "id", Long.toString(held.id())));
        assertTrue(line.contains(" flags=b "), line);
    }

    @Test
    void setInfoChecksItsOptionAndValueAsRedis72() {
        assertEquals("+OK\r\n", run(client, "client", "setinfo", "LIB-NAME", "jedis"));
        assertEquals("+OK\r\n", run(client, "client", "setinfo", "lib-ver", "8.0.2"));
        assertEquals("jedis", client.libName());
        assertEquals("8.0.2", client.libVersion());
        assertEquals("-ERR Unrecognized option 'lib-foo'\r\n", run(client, "client", "setinfo", "lib-foo", "x"));
        assertEquals("-ERR LIB-NAME cannot contain spaces, newlines or special characters.\r\n",
                run(client, "client", "setinfo", "LIB-NAME", "a b"));
        assertEquals("-ERR wrong number of arguments for 'client|setinfo' command\r\n",
                run(client, "client", "setinfo", "lib-name"));
    }

    @Test
    void killClosesOthersAtOnceAndTheCallerAfterItsReply() {
        TestClient victim = new TestClient(engine);
        assertEquals(":1\r\n", run(client, "client", "kill", "id", Long.toString(victim.id())));
        assertTrue(victim.closed());
        assertFalse(client.closed());
        assertEquals(":1\r\n", run(client, "client", "kill", "id", Long.toString(client.id()), "skipme", "no"));
        assertTrue(client.closed());
    }

    @Test
    void killSparesTheCallerUnlessAskedOrInTheOldForm() {
        TestClient other = new TestClient(engine);
        assertEquals(":1\r\n", run(client, "client", "kill", "type", "normal"));
        assertTrue(other.closed());
        assertFalse(client.closed());
        assertEquals("+OK\r\n", run(client, "client", "kill", client.address()));
        assertTrue(client.closed());
    }

    @Test
    void pauseHoldsCommandsUntilUnpause() {
        ManualScheduler scheduler = new ManualScheduler();
        engine.scheduler(scheduler);
        TestClient worker = new TestClient(engine);
        assertEquals("+OK\r\n", run(client, "client", "pause", "60000"));
        assertFalse(dispatcher.dispatch(worker, new byte[][] {"ping".getBytes()}), "held, not run");
        assertEquals("", worker.replies());
        engine.pause().postpone(worker);
        assertFalse(dispatcher.dispatch(client, new byte[][] {"client".getBytes(), "unpause".getBytes()}),
                "under ALL even CLIENT UNPAUSE waits");
        engine.pause().unpause(Purpose.CLIENT_COMMAND);
        scheduler.runAll();
        assertEquals(1, worker.resumes());
        assertTrue(dispatcher.dispatch(worker, new byte[][] {"ping".getBytes()}));
        assertEquals("+PONG\r\n", worker.replies());
    }
}
