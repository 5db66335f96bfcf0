package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.InJvmPostboxExtension;
import io.postbox.it.support.InfoFields;
import io.postbox.it.support.RawConnection;
import io.postbox.it.support.ReferenceRedis;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.Slowlog;

/** INFO tells the truth about the server, CONFIG SET takes effect, SLOWLOG records, SHUTDOWN stops. */
class ServerAdministrationTest {

    @RegisterExtension
    final InJvmPostboxExtension postbox = new InJvmPostboxExtension();

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    /** INFO's fields as a map, from a raw RESP2 bulk reply. */
    private static Map<String, String> info(RawConnection connection, String... sections) throws IOException {
        String[] args = new String[sections.length + 1];
        args[0] = "INFO";
        System.arraycopy(sections, 0, args, 1, sections.length);
        return InfoFields.parse(text(connection.call(args)));
    }

    /** Retries until {@code condition} holds (connection closes are noticed asynchronously), at most 5 s. */
    private static void eventually(String what, Check condition) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened: " + what);
            }
            Thread.sleep(20);
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }

    @Test
    void infoCountsConnectedClients() throws Exception {
        try (RawConnection first = new RawConnection(postbox.port());
             RawConnection second = new RawConnection(postbox.port())) {
            RawConnection third = new RawConnection(postbox.port());
            third.call("PING");
            assertEquals("3", info(first, "clients").get("connected_clients"));
            third.close();
            eventually("connected_clients drops to 2", () -> info(second, "clients").get("connected_clients").equals("2"));
            assertEquals("10000", info(first, "clients").get("maxclients"));
            assertEquals("0", info(first, "clients").get("blocked_clients"));
        }
    }

    @Test
    void infoServerDescribesThisServer() throws Exception {
        try (RawConnection connection = new RawConnection(postbox.port())) {
            Map<String, String> server = info(connection, "server");
            assertEquals("7.0.15", server.get("redis_version"));
            assertEquals(Integer.toString(postbox.port()), server.get("tcp_port"));
            assertEquals(Long.toString(ProcessHandle.current().pid()), server.get("process_id"));
            assertEquals(40, server.get("run_id").length());
            assertEquals("", server.get("config_file"));
            assertEquals("10", server.get("hz"));
            assertTrue(server.containsKey("postbox_version"));
            assertEquals("master", info(connection, "replication").get("role"));
        }
    }

    @Test
    void commandAndErrorStatsCountCallsFailuresAndRejections() throws Exception {
        try (RawConnection connection = new RawConnection(postbox.port())) {
            assertEquals("+OK\r\n", text(connection.call("CONFIG", "RESETSTAT")));
            for (int i = 0; i < 3; i++) {
                connection.call("PING");
            }
            assertTrue(text(connection.call("CONFIG", "SET", "timeout", "x")).startsWith("-ERR CONFIG SET failed"));
            assertTrue(text(connection.call("CONFIG", "GET")).startsWith("-ERR wrong number of arguments"));
            connection.call("NOSUCHCOMMAND");
            Map<String, String> stats = info(connection, "commandstats", "errorstats", "stats");
            assertTrue(stats.get("cmdstat_ping").startsWith("calls=3,"), stats.get("cmdstat_ping"));
            assertTrue(stats.get("cmdstat_config|set").matches("calls=1,.*,rejected_calls=0,failed_calls=1"),
                    stats.get("cmdstat_config|set"));
            assertTrue(stats.get("cmdstat_config|get").matches("calls=0,.*,rejected_calls=1,failed_calls=0"),
                    stats.get("cmdstat_config|get"));
            assertTrue(stats.get("cmdstat_config|resetstat").startsWith("calls=1,"));
            assertFalse(stats.containsKey("cmdstat_nosuchcommand"));
            assertEquals("count=3", stats.get("errorstat_ERR"));
            assertEquals("3", stats.get("total_error_replies"));
            // Three PINGs, the failed CONFIG SET and the RESETSTAT ran; rejected and unknown ones did not.
            assertEquals("5", stats.get("total_commands_processed"));
        }
    }

    @Test
    void infoStatsCountTrafficAndSampleTheCommandRate() throws Exception {
        try (RawConnection connection = new RawConnection(postbox.port())) {
            long before = Long.parseLong(info(connection, "stats").get("total_net_input_bytes"));
            for (int i = 0; i < 2000; i++) {
                connection.call("PING");
            }
            Map<String, String> stats = info(connection, "stats");
            assertTrue(Long.parseLong(stats.get("total_net_input_bytes")) >= before + 2000 * 14);
            assertTrue(Long.parseLong(stats.get("total_net_output_bytes")) >= 2000 * 7);
            eventually("instantaneous_ops_per_sec is sampled",
                    () -> Long.parseLong(info(connection, "stats").get("instantaneous_ops_per_sec")) > 0);
        }
    }

    @Test
    void keyspaceCountsKeysPerDatabase() throws Exception {
        try (RawConnection connection = new RawConnection(postbox.port())) {
            connection.call("SET", "a", "1");
            connection.call("SET", "b", "2");
            assertEquals("keys=2,expires=0,avg_ttl=0", info(connection, "keyspace").get("db0"));
        }
    }

    @Test
    void slowlogRecordsCommandsWithSecretsRedacted() {
        try (Jedis jedis = new Jedis("127.0.0.1", postbox.port())) {
            jedis.configSet("slowlog-log-slower-than", "0");
            jedis.slowlogReset();
            jedis.configSet("masterauth", "s3cret");
            List<Slowlog> entries = jedis.slowlogGet(1);
            assertEquals(List.of("CONFIG", "SET", "masterauth", "(redacted)"), entries.get(0).getArgs());
            assertTrue(entries.get(0).getExecutionTime() >= 0);
            assertEquals("masterauth", jedis.configGet("masterauth").keySet().iterator().next());
            assertEquals("s3cret", jedis.configGet("masterauth").get("masterauth"));
        }
    }

    @Test
    void configSetPortMovesTheListener() throws Exception {
        int oldPort = postbox.port();
        int newPort = ReferenceRedis.freePort();
        try (RawConnection connection = new RawConnection(oldPort)) {
            assertEquals("+OK\r\n", text(connection.call("CONFIG", "SET", "port", Integer.toString(newPort))));
            eventually("the new port accepts", () -> {
                try (RawConnection moved = new RawConnection(newPort)) {
                    return text(moved.call("PING")).equals("+PONG\r\n");
                } catch (ConnectException notYet) {
                    return false;
                }
            });
            assertEquals(Integer.toString(newPort), info(connection, "server").get("tcp_port"));
            eventually("the old port refuses", () -> {
                try (RawConnection old = new RawConnection(oldPort)) {
                    return false;
                } catch (ConnectException refused) {
                    return true;
                }
            });
        }
    }

    @Test
    void configSetPortToABusyPortIsRefusedAndChangesNothing() throws Exception {
        try (ServerSocket busy = new ServerSocket(0);
             RawConnection connection = new RawConnection(postbox.port())) {
            String port = text(connection.call("CONFIG", "GET", "port"));
            assertEquals("-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. "
                    + "Check server logs.\r\n", text(connection.call("CONFIG", "SET", "timeout", "5", "port",
                    Integer.toString(busy.getLocalPort()))));
            assertEquals(port, text(connection.call("CONFIG", "GET", "port")));
            assertEquals("*2\r\n$7\r\ntimeout\r\n$1\r\n0\r\n", text(connection.call("CONFIG", "GET", "timeout")));
            assertEquals("+PONG\r\n", text(new RawConnection(postbox.port()).call("PING")));
        }
    }

    @Test
    void maxclientsRefusesConnectionsBeyondTheLimit() throws Exception {
        try (RawConnection first = new RawConnection(postbox.port());
             RawConnection second = new RawConnection(postbox.port())) {
            assertEquals("+OK\r\n", text(first.call("CONFIG", "SET", "maxclients", "2")));
            try (RawConnection third = new RawConnection(postbox.port())) {
                assertEquals("-ERR max number of clients reached\r\n", text(third.call("PING")));
            }
            assertEquals("1", info(second, "stats").get("rejected_connections"));
        }
    }

    @Test
    void shutdownStopsAnInJvmServerWithoutStoppingTheJvm() throws Exception {
        int port = postbox.port();
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            jedis.shutdown();
        }
        postbox.server().awaitTermination();
        assertThrows(ConnectException.class, () -> new RawConnection(port));
    }

    @Test
    void shutdownSaveIsRefusedWhenTheSnapshotCannotBeWritten() throws Exception {
        Path gone = Files.createTempDirectory("postbox-gone");
        try (InJvmPostbox server = InJvmPostbox.start("--enable-protected-configs", "yes");
             RawConnection connection = new RawConnection(server.port())) {
            assertEquals("+OK\r\n", text(connection.call("CONFIG", "SET", "dir", gone.toString())));
            Files.delete(gone);
            assertEquals("-ERR Errors trying to SHUTDOWN. Check logs.\r\n", text(connection.call("SHUTDOWN", "SAVE")));
            assertEquals("-ERR No shutdown in progress.\r\n", text(connection.call("SHUTDOWN", "ABORT")));
            assertEquals("+PONG\r\n", text(connection.call("PING")));
        }
    }

    @Test
    void noShutdownWhileTheFirstAppendOnlyFileIsWrittenUnlessForced() throws Exception {
        Path dir = Files.createTempDirectory("postbox-initial-aof");
        try (InJvmPostbox server = InJvmPostbox.start("--dir", dir.toString());
             RawConnection connection = new RawConnection(server.port())) {
            connection.call("DEBUG", "POPULATE", "100");
            assertEquals("+OK\r\n", text(connection.call("CONFIG", "SET", "rdb-key-save-delay", "1000000")));
            assertEquals("+OK\r\n", text(connection.call("CONFIG", "SET", "appendonly", "yes")));
            assertEquals("-ERR Errors trying to SHUTDOWN. Check logs.\r\n", text(connection.call("SHUTDOWN", "NOSAVE")),
                    "the append-only file does not hold the dataset yet");
            assertEquals("+PONG\r\n", text(connection.call("PING")));
            connection.send(RawConnection.command("SHUTDOWN", "NOSAVE", "FORCE"));
            assertTrue(connection.closedByPeer(10_000), "FORCE stops it anyway");
            server.server().awaitTermination();
        }
    }
}
