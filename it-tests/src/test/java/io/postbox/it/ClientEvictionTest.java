package io.postbox.it;

import static io.postbox.it.support.Await.awaitTrue;
import static io.postbox.it.support.Exchange.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.RawConnection;
import io.postbox.it.support.RedisServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * What clients take in memory, as CLIENT LIST shows it, and {@code maxmemory-clients}: past the limit
 * the largest clients are disconnected; {@code maxmemory} counts it too. Each scenario runs on Postbox,
 * whose observations are checked, then on a redis-server of its own, which must observe the same
 * (skipped without redis-server).
 */
class ClientEvictionTest {

    private static final int KB = 1024;
    private static final int MB = 1024 * 1024;

    @TempDir
    Path dir;

    /** Runs {@code scenario} on Postbox, expecting {@code expected}, then on redis-server. */
    private void sideBySide(Scenario scenario, List<String> expected) throws Exception {
        try (InJvmPostbox postbox = InJvmPostbox.start()) {
            assertEquals(expected, scenario.observe(postbox.port()), "Postbox");
        }
        try (RedisServerProcess redis = RedisServerProcess.start(Files.createDirectories(dir.resolve("redis")))) {
            assertEquals(expected, scenario.observe(redis.port()), "redis-server");
        }
    }

    @FunctionalInterface
    private interface Scenario {
        List<String> observe(int port) throws Exception;
    }

    @Test
    void theRequestBeingReceivedTheBlockedCommandAndTheTransactionAreMeasured() throws Exception {
        sideBySide(port -> {
            try (Jedis admin = new Jedis("127.0.0.1", port);
                 RawConnection big = named(port, "big");
                 RawConnection small = named(port, "small");
                 RawConnection queuing = named(port, "queuing");
                 RawConnection waiting = named(port, "waiting")) {
                waiting.sendRaw(bytes("BLPOP nothing 0\r\n"));
                big.sendRaw(bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\n" + "x".repeat(50_000)));
                small.sendRaw(bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100\r\n" + "x".repeat(50)));
                queuing.call("MULTI");
                queuing.call("SET", "k", "y".repeat(1000));
                awaitTrue(() -> field(admin, "big", "qbuf").equals("50000"), "the big request arrived");
                awaitTrue(() -> field(admin, "small", "qbuf").equals("50"), "the small one arrived");
                awaitTrue(() -> field(admin, "waiting", "flags").equals("b"), "the BLPOP waits");
                long transaction = Long.parseLong(field(admin, "queuing", "multi-mem"));
                return List.of(fields(admin, "big", "qbuf", "argv-mem"), fields(admin, "small", "qbuf", "argv-mem"),
                        fields(admin, "waiting", "qbuf", "argv-mem"),
                        "multi-mem holds the queued arguments: " + (transaction >= 1004 && transaction < 1200),
                        "tot-mem counts the request: " + (Long.parseLong(field(admin, "big", "tot-mem")) > 100_000));
            }
        }, List.of("qbuf=50000 argv-mem=4", "qbuf=50 argv-mem=4", "qbuf=0 argv-mem=13",
                "multi-mem holds the queued arguments: true",
                "tot-mem counts the request: true"));
    }

    @Test
    void clientsOverTheLimitAreEvictedUnlessExempt() throws Exception {
        sideBySide(port -> {
            List<String> seen = new ArrayList<>();
            try (Jedis admin = new Jedis("127.0.0.1", port)) {
                admin.clientSetname("admin");
                admin.sendCommand(() -> bytes("CLIENT"), "NO-EVICT", "on");
                admin.configSet("maxmemory-clients", "3mb");
                admin.set("k".getBytes(), new byte[200 * KB]);
                try (RawConnection partial = named(port, "partial")) {
                    partial.sendRaw(bytes("*1\r\n$" + 3 * MB + "\r\n" + "v".repeat(3 * MB)));
                    seen.add("a request being received past the limit: closed " + partial.endsAfterSkipping(10_000));
                } catch (IOException reset) {
                    seen.add("a request being received past the limit: closed true");
                }
                try (RawConnection notReading = named(port, "not-reading")) {
                    notReading.sendRaw(bytes("GET k\r\n".repeat(400)));
                    awaitTrue(() -> !admin.clientList().contains("name=not-reading "), "evicted");
                    seen.add("replies not read past the limit: closed " + notReading.endsAfterSkipping(10_000));
                }
                try (RawConnection exempt = named(port, "exempt")) {
                    exempt.call("CLIENT", "NO-EVICT", "on");
                    int size = 3 * MB + 1;
                    exempt.sendRaw(bytes("*1\r\n$" + size + "\r\n" + "v".repeat(size)));
                    awaitTrue(() -> field(admin, "exempt", "qbuf").equals(Integer.toString(size)), "received");
                    seen.add("with no-evict, over the limit: connected, tot-mem over it "
                            + (Long.parseLong(field(admin, "exempt", "tot-mem")) > 3 * MB));
                }
                seen.add(info(admin, "evicted_clients"));
                admin.configResetStat();
                seen.add(info(admin, "evicted_clients"));
            }
            return seen;
        }, List.of("a request being received past the limit: closed true",
                "replies not read past the limit: closed true",
                "with no-evict, over the limit: connected, tot-mem over it true",
                "evicted_clients:2", "evicted_clients:0"));
    }

    /** Lowering the limit evicts the largest clients first, and only as many as it takes. */
    @Test
    void theLargestClientsGoFirst() throws Exception {
        sideBySide(port -> {
            List<String> seen = new ArrayList<>();
            List<RawConnection> clients = new ArrayList<>();
            try (Jedis admin = new Jedis("127.0.0.1", port)) {
                admin.clientSetname("admin");
                admin.sendCommand(() -> bytes("CLIENT"), "NO-EVICT", "on");
                Map<String, Integer> sizes = Map.of("small", 128 * KB, "middle", MB, "large", 3 * MB);
                for (Map.Entry<String, Integer> size : new TreeMap<>(sizes).entrySet()) {
                    for (int i = 1; i <= 2; i++) {
                        String name = size.getKey() + "-" + i;
                        RawConnection client = named(port, name);
                        clients.add(client);
                        client.sendRaw(bytes("*2\r\n$" + size.getValue() + "\r\n" + "v".repeat(size.getValue())));
                        awaitTrue(() -> Long.parseLong(field(admin, name, "qbuf")) >= size.getValue(), "received");
                    }
                }
                for (String keep : List.of("middle", "small")) {
                    Predicate<String> kept = name -> name.equals("admin") || name.compareTo(keep) >= 0;
                    long limit = totalMemory(admin, kept) + 64 * KB;
                    admin.configSet("maxmemory-clients", Long.toString(limit));
                    seen.add(names(admin));
                }
            } finally {
                for (RawConnection client : clients) {
                    client.close();
                }
            }
            return seen;
        }, List.of("admin middle-1 middle-2 small-1 small-2", "admin small-1 small-2"));
    }

    /**
     * Requests sent behind a blocked one wait in the query buffer, which its limit bounds: a client
     * that floods while blocked is closed, not buffered without end.
     */
    @Test
    void requestsHeldBehindABlockedOneCountTowardTheQueryBufferLimit() throws Exception {
        sideBySide(port -> {
            try (Jedis admin = new Jedis("127.0.0.1", port);
                 RawConnection blocked = named(port, "blocked")) {
                admin.configSet("client-query-buffer-limit", "1mb");
                blocked.sendRaw(bytes("BLPOP nothing 0\r\n"));
                awaitTrue(() -> field(admin, "blocked", "flags").equals("b"), "blocked");
                boolean closed;
                try {
                    blocked.sendRaw(bytes("*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\nb\r\n".repeat(100_000)));
                    closed = blocked.endsAfterSkipping(10_000);
                } catch (IOException reset) {
                    closed = true;
                }
                return List.of("closed " + closed, "served others: " + admin.ping(),
                        "nothing ran: " + admin.exists("a"));
            }
        }, List.of("closed true", "served others: PONG", "nothing ran: false"));
    }

    /**
     * Replies a client does not read take memory that maxmemory counts, as Redis's: writes are refused
     * while they wait, and taken again once the client has gone.
     */
    @Test
    void repliesNotReadCountTowardMaxmemory() throws Exception {
        sideBySide(port -> {
            List<String> seen = new ArrayList<>();
            try (Jedis admin = new Jedis("127.0.0.1", port)) {
                Pipeline fill = admin.pipelined();
                for (int i = 0; i < 20_000; i++) {
                    fill.rpush("big".getBytes(), new byte[200]);
                }
                fill.sync();
                long used = Long.parseLong(info(admin, "memory", "used_memory"));
                admin.configSet("maxmemory-policy", "noeviction");
                admin.configSet("maxmemory", Long.toString(used + 16 * MB));
                seen.add("before: " + write(admin));
                try (RawConnection notReading = named(port, "not-reading")) {
                    // 20 MB of replies a batch, until they fill the room left. On Postbox that room includes
                    // the garbage in used_memory, which maxmemory does not count: in a JVM that ran other
                    // tests before, hundreds of MB, which a collection may free while the batches go on,
                    // making room again. So the refusal is recorded when it comes.
                    String written = write(admin);
                    for (int batch = 1; batch <= 100 && !written.startsWith("OOM"); batch++) {
                        notReading.sendRaw(bytes("LRANGE big 0 -1\r\n".repeat(5)));
                        awaitTrue(() -> field(admin, "not-reading", "qbuf").equals("0"), "the LRANGEs ran");
                        written = write(admin);
                    }
                    seen.add("a write refused while the replies wait: " + written);
                    long replies = Long.parseLong(field(admin, "not-reading", "tot-mem"));
                    long usedNow = Long.parseLong(info(admin, "memory", "used_memory"));
                    seen.add("used_memory counts the replies: " + (usedNow > replies));
                }
                awaitTrue(() -> write(admin).equals("OK"), "a write taken once the client has gone");
                seen.add("after: " + write(admin));
            }
            return seen;
        }, List.of("before: OK",
                "a write refused while the replies wait: OOM command not allowed when used memory > 'maxmemory'.",
                "used_memory counts the replies: true", "after: OK"));
    }

    /** SET's reply, or the error it got. */
    private static String write(Jedis admin) {
        try {
            return admin.set("k", "v");
        } catch (JedisDataException refused) {
            return refused.getMessage();
        }
    }

    private static RawConnection named(int port, String name) throws IOException {
        RawConnection connection = new RawConnection(port);
        connection.call("CLIENT", "SETNAME", name);
        return connection;
    }

    /** The CLIENT LIST fields of each client, by name. */
    private static Map<String, Map<String, String>> clientList(Jedis admin) {
        Map<String, Map<String, String>> clients = new TreeMap<>();
        for (String line : admin.clientList().split("\n")) {
            Map<String, String> fields = Arrays.stream(line.trim().split(" "))
                    .map(field -> field.split("=", 2))
                    .collect(Collectors.toMap(pair -> pair[0], pair -> pair.length > 1 ? pair[1] : ""));
            clients.put(fields.get("name"), fields);
        }
        return clients;
    }

    private static String field(Jedis admin, String name, String field) {
        Map<String, String> client = clientList(admin).get(name);
        return client == null ? "(gone)" : client.get(field);
    }

    private static String fields(Jedis admin, String name, String... fields) {
        Map<String, String> client = clientList(admin).get(name);
        return Arrays.stream(fields).map(field -> field + "=" + client.get(field)).collect(Collectors.joining(" "));
    }

    private static long totalMemory(Jedis admin, Predicate<String> named) {
        return clientList(admin).entrySet().stream().filter(client -> named.test(client.getKey()))
                .mapToLong(client -> Long.parseLong(client.getValue().get("tot-mem"))).sum();
    }

    private static String names(Jedis admin) {
        return String.join(" ", clientList(admin).keySet());
    }

    private static String info(Jedis admin, String field) {
        return field + ":" + info(admin, "stats", field);
    }

    private static String info(Jedis admin, String section, String field) {
        return Arrays.stream(admin.info(section).split("\r\n")).filter(line -> line.startsWith(field + ":"))
                .map(line -> line.substring(field.length() + 1)).findFirst().orElseThrow();
    }
}
