package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;
import io.postbox.it.support.InJvmPostboxExtension;
import io.postbox.it.support.RawConnection;
import io.postbox.it.support.SideBySideClients;
import io.postbox.it.support.Transcripts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.csc.Cache;
import redis.clients.jedis.csc.DefaultCache;

/**
 * Server-assisted client-side caching (CLIENT TRACKING), side by side with Redis: each case is a
 * script of commands over several connections, run on both servers, and the transcripts (every reply
 * and push each connection got, in order) must be the same. Client ids are shown as the connection's
 * name, CLIENT INFO lines as their flags and redir fields. Then Lettuce's and Jedis's client-side
 * caches, over Postbox alone.
 *
 * <p>Script lines: {@code a> CMD args} sends a command on connection {@code a} and reads its reply;
 * {@code a: CMD args} only sends it (a blocking command); {@code a?} sends PING on {@code a} and
 * records everything before the PING's reply, so pushes other connections' commands caused;
 * {@code sleep N} waits N ms. {@code #b} in a command is b's client id.
 */
class ClientTrackingTest {

    @RegisterExtension
    static final InJvmPostboxExtension postbox = new InJvmPostboxExtension("--enable-debug-command", "yes");
    @RegisterExtension
    final SideBySideClients clients = new SideBySideClients(postbox);

    private static final Pattern STEP = Pattern.compile("(\\w+)([>:?]) ?(.*)");
    private static final Pattern CLIENT_LINE = Pattern.compile("id=\\d+ .* flags=(\\S+) .* redir=(-?\\d+) ");

    @Test
    void readKeysAreInvalidatedOnceWhenTheyChange() throws IOException {
        sameAsRedis("""
                a> HELLO 3
                a> FLUSHALL
                a> CLIENT TRACKING on
                a> SET k v
                a> GET k
                a> SET k w
                a> SET k x
                a> MGET k k2 k3
                b> MSET k 1 k2 2
                a?
                b> DEL k3
                a?
                a> GET k
                a> MULTI
                a> SET k x
                a> GET k
                a> SET k y
                a> EXEC
                a> GET k
                a> EVAL "redis.call('set', KEYS[1], 'z') return redis.call('get', KEYS[1])" 1 k
                a> EVAL_RO "return 1" 1 k4
                b> SET k4 1
                a?
                a> EVAL "redis.call('get', 'other') redis.call('set', KEYS[1], 'q') return 1" 2 k5 k6
                a?
                b> MSET k6 1 other 2
                a?
                a> EVAL_RO "return redis.call('get', 'other')" 1 k7
                b> MSET k7 1 other 2
                a?
                a> HGET h f
                a> LRANGE l 0 -1
                b> HSET h f v
                b> RPUSH l x
                a?
                a> GET k
                a> FLUSHDB
                a> CLIENT TRACKINGINFO
                a> CLIENT GETREDIR
                a> CLIENT INFO
                a> CLIENT TRACKING off
                a> CLIENT TRACKINGINFO
                a> CLIENT GETREDIR
                """);
    }

    @Test
    void changesByOthersExpiryAndFlushesReachTheReader() throws IOException {
        sameAsRedis("""
                a> HELLO 3
                a> FLUSHALL
                a> CLIENT TRACKING on
                b> SET e v PX 50
                a> GET e
                sleep 150
                b> GET e
                a?
                a> GET k
                b> FLUSHALL
                a?
                b> SET k v
                a?
                """);
    }

    @Test
    void noloopSkipsTheClientsOwnChanges() throws IOException {
        sameAsRedis("""
                a> HELLO 3
                a> FLUSHALL
                a> CLIENT TRACKING on NOLOOP
                a> GET k
                a> SET k v
                a> GET k
                b> SET k w
                a?
                a> CLIENT TRACKINGINFO
                """);
    }

    @Test
    void optinTracksOnlyAfterCachingYesAndOptoutSkipsAfterCachingNo() throws IOException {
        sameAsRedis("""
                a> HELLO 3
                a> FLUSHALL
                a> CLIENT TRACKING on OPTIN
                a> GET k1
                a> CLIENT CACHING yes
                a> CLIENT TRACKINGINFO
                a> CLIENT ID
                a> GET k2
                a> CLIENT CACHING yes
                a> MULTI
                a> GET k3
                a> GET k4
                a> EXEC
                a> GET k5
                b> MSET k1 1 k2 2 k3 3 k4 4 k5 5
                a?
                a> CLIENT CACHING no
                a> CLIENT TRACKING off
                a> CLIENT TRACKING on OPTOUT
                a> GET k1
                a> CLIENT CACHING no
                a> CLIENT TRACKINGINFO
                a> GET k2
                a> GET k3
                b> MSET k1 1 k2 2 k3 3
                a?
                a> CLIENT CACHING yes
                a> CLIENT TRACKING on OPTIN
                """);
    }

    @Test
    void broadcastSendsEachPrefixsChangedKeysTogether() throws IOException {
        sameAsRedis("""
                a> HELLO 3
                a> FLUSHALL
                a> CLIENT TRACKING on BCAST PREFIX user: PREFIX job:
                a> CLIENT TRACKINGINFO
                a> CLIENT INFO
                b> MSET job:2 x user:9 y other z job:1 w
                a?
                a> SET user:1 v
                a> CLIENT TRACKING on BCAST NOLOOP PREFIX cfg:
                a> MSET cfg:a 1 user:2 v
                b> SET cfg:b 2
                a?
                a> CLIENT TRACKINGINFO
                a> CLIENT TRACKING on BCAST
                a> CLIENT TRACKINGINFO
                a> CLIENT TRACKING on BCAST PREFIX us
                a> CLIENT TRACKING on BCAST PREFIX x PREFIX xy
                a> CLIENT TRACKING on
                c> HELLO 3
                c> CLIENT TRACKING on BCAST
                c> CLIENT TRACKINGINFO
                b> SET anything 1
                c?
                a?
                a> CLIENT TRACKING off
                a> CLIENT TRACKING on
                a> CLIENT TRACKINGINFO
                """);
    }

    @Test
    void redirectionGoesToAResp3ClientOrAResp2Subscriber() throws IOException {
        sameAsRedis("""
                a> FLUSHALL
                r> SUBSCRIBE __redis__:invalidate
                a> CLIENT TRACKING on REDIRECT #r
                a> CLIENT GETREDIR
                a> CLIENT INFO
                a> GET k
                a> SET k v
                r?
                a> GET k
                b> FLUSHDB
                r?
                p> HELLO 3
                c> CLIENT TRACKING on REDIRECT #p
                c> GET k2
                b> SET k2 v
                p?
                d> CLIENT TRACKING on
                d> GET k3
                b> SET k3 v
                d?
                """);
    }

    @Test
    void aServedBlockedClientGetsItsReplyBeforeTheInvalidationItCaused() throws IOException {
        sameAsRedis("""
                a> HELLO 3
                a> FLUSHALL
                a> CLIENT TRACKING on
                a> LRANGE dst 0 -1
                a> GET other
                a> CLIENT ID
                b> CLIENT ID
                a: BLMOVE src dst LEFT LEFT 0
                sleep 100
                b> MULTI
                b> RPUSH src job
                b> SET other x
                b> EXEC
                a?
                """);
    }

    @Test
    void aRedirectionToAClientThatLeftIsReportedBroken() throws IOException {
        sameAsRedis("""
                a> HELLO 3
                a> FLUSHALL
                a> CLIENT TRACKING on REDIRECT #gone
                a> GET k
                gone> QUIT
                sleep 50
                b> SET k v
                a?
                a> CLIENT TRACKINGINFO
                a> CLIENT INFO
                """);
    }

    @Test
    void badOptionsGetRedisErrors() throws IOException {
        sameAsRedis("""
                a> CLIENT TRACKING maybe
                a> CLIENT TRACKING on frobnicate
                a> CLIENT TRACKING on PREFIX
                a> CLIENT TRACKING on REDIRECT x
                a> CLIENT TRACKING on REDIRECT 0
                a> CLIENT TRACKING on REDIRECT #a REDIRECT #a
                a> CLIENT TRACKING on PREFIX p
                a> CLIENT TRACKING on BCAST OPTIN
                a> CLIENT TRACKING on OPTIN OPTOUT
                a> CLIENT TRACKING off PREFIX p
                a> CLIENT CACHING yes
                a> CLIENT TRACKING on
                a> CLIENT CACHING yes
                a> CLIENT CACHING no
                a> CLIENT CACHING maybe
                a> CLIENT TRACKING on BCAST
                a> CLIENT TRACKING on OPTIN
                a> CLIENT TRACKING on OPTOUT
                a> CLIENT TRACKING
                a> CLIENT CACHING
                """);
    }

    @Test
    void infoCountsTrackingClientsKeysItemsAndPrefixes() throws IOException {
        sameAsRedis("""
                a> FLUSHALL
                a> CLIENT TRACKING on
                b> CLIENT TRACKING on
                a> MGET k1 k2
                b> GET k1
                c> CLIENT TRACKING on BCAST PREFIX p PREFIX q
                x> INFO
                b> SET k1 v
                x> INFO
                c> CLIENT TRACKING off
                a> CLIENT TRACKING off
                x> INFO
                """);
    }

    /**
     * Past tracking-table-max-keys, the next command first invalidates keys until the table is back
     * under it. Which ones is Redis's random pick (Postbox's: the oldest), so how many is compared.
     */
    @Test
    void pastTheTableLimitKeysAreInvalidatedAsIfChanged() throws IOException {
        String script = """
                a> HELLO 3
                a> FLUSHALL
                a> CONFIG SET tracking-table-max-keys 2
                a> CLIENT TRACKING on
                a> MGET k1 k2 k3 k4
                a?
                a> CONFIG SET tracking-table-max-keys 1000000
                x> INFO
                """;
        Map<String, String> postboxSide = run(postbox.port(), script);
        Map<String, String> redisSide = run(clients.port("redis"), script);
        for (Map<String, String> side : List.of(postboxSide, redisSide)) {
            String pushes = side.get("a?");
            assertEquals(2, count(pushes, ">2\r\n$10\r\ninvalidate\r\n*1\r\n"), pushes);
        }
        assertEquals(field(redisSide.get("x> INFO"), "tracking_total_keys"),
                field(postboxSide.get("x> INFO"), "tracking_total_keys"));
    }

    /**
     * What the table limit invalidates before a command goes out ahead of its reply, also when MULTI
     * queues the command (Redis's #11715). The cron is paused, so only the command can trim the table.
     */
    @Test
    void theTableLimitsInvalidationsPrecedeAQueuedCommandsReply() throws IOException {
        for (int port : List.of(clients.port("redis"), postbox.port())) {
            try (RawConnection reader = new RawConnection(port); RawConnection admin = new RawConnection(port)) {
                reader.call("HELLO", "3");
                admin.call("DEBUG", "PAUSE-CRON", "1");
                admin.call("CONFIG", "SET", "tracking-table-max-keys", "2");
                reader.call("CLIENT", "TRACKING", "on");
                reader.call("MGET", "11715-a", "11715-b");
                reader.call("MULTI");
                admin.call("CONFIG", "SET", "tracking-table-max-keys", "1");
                String first = text(reader.call("PING"));
                String second = text(reader.readReply());
                reader.call("DISCARD");
                admin.call("CONFIG", "SET", "tracking-table-max-keys", "1000000");
                admin.call("DEBUG", "PAUSE-CRON", "0");
                assertTrue(first.startsWith(">2\r\n$10\r\ninvalidate\r\n*1\r\n$7\r\n11715-"), port + ": " + first);
                assertEquals("+QUEUED\r\n", second, "on port " + port);
            }
        }
    }

    /** Lettuce's client-side cache over Postbox: a read is served from the cache until another client writes. */
    @Test
    void lettucesCacheDropsAnEntryWhenAnotherClientChangesIt() throws Exception {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + postbox.port());
        try (StatefulRedisConnection<String, String> connection = client.connect();
             Jedis writer = new Jedis("127.0.0.1", postbox.port())) {
            writer.set("cached", "first");
            Map<String, String> cache = new ConcurrentHashMap<>();
            CacheFrontend<String, String> frontend = ClientSideCaching.enable(CacheAccessor.forMap(cache), connection,
                    TrackingArgs.Builder.enabled());
            assertEquals("first", frontend.get("cached"));
            assertEquals(Map.of("cached", "first"), cache);
            writer.set("cached", "second");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!cache.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(Map.of(), cache, "the invalidation should have removed the entry");
            assertEquals("second", frontend.get("cached"));
            frontend.close();
        } finally {
            client.shutdown();
        }
    }

    /**
     * Jedis's client-side cache over Postbox. Jedis 8 refuses a server whose HELLO reports a version
     * below 7.4 ("Client side caching is only supported with 'Redis 7.4' or later"), and Postbox reports
     * 7.0.15, unless the cache runs in compatibility mode, as a cache overriding compatibilityMode() does:
     * then reads are served from the cache until another client writes the key.
     */
    @Test
    void jedisCacheInCompatibilityModeDropsAnEntryWhenAnotherClientChangesIt() throws Exception {
        Cache cache = new DefaultCache(100) {
            @Override
            public boolean compatibilityMode() {
                return true;
            }
        };
        try (redis.clients.jedis.RedisClient client = redis.clients.jedis.RedisClient.builder()
                .hostAndPort("127.0.0.1", postbox.port())
                .clientConfig(DefaultJedisClientConfig.builder().resp3().build()).cache(cache).build();
             Jedis writer = new Jedis("127.0.0.1", postbox.port())) {
            writer.set("jedis-cached", "first");
            assertEquals("first", client.get("jedis-cached"));
            assertEquals("first", client.get("jedis-cached"));
            assertEquals(1, cache.getStats().getHitCount(), "the second read should come from the cache");
            writer.set("jedis-cached", "second");
            // Jedis reads the invalidation before its next command, once it has arrived.
            long deadline = System.nanoTime() + 5_000_000_000L;
            String read = client.get("jedis-cached");
            while (!read.equals("second") && System.nanoTime() < deadline) {
                Thread.sleep(10);
                read = client.get("jedis-cached");
            }
            assertEquals("second", read);
            assertEquals(1, cache.getStats().getInvalidationCount());
        }
    }

    private void sameAsRedis(String script) throws IOException {
        Map<String, String> redisSide = run(clients.port("redis"), script);
        Map<String, String> postboxSide = run(postbox.port(), script);
        assertEquals(Transcripts.render(redisSide), Transcripts.render(postboxSide));
    }

    /** Runs a script on a server; the transcript maps each step (numbered) to what it read. */
    private Map<String, String> run(int port, String script) throws IOException {
        Map<String, RawConnection> connections = new LinkedHashMap<>();
        Map<String, String> ids = new LinkedHashMap<>();
        Map<String, String> transcript = new LinkedHashMap<>();
        try {
            for (String step : script.strip().split("\n")) {
                if (step.startsWith("sleep ")) {
                    sleep(Long.parseLong(step.substring(6)));
                    continue;
                }
                Matcher parts = STEP.matcher(step);
                if (!parts.matches()) {
                    throw new IllegalArgumentException("not a script line: " + step);
                }
                String name = parts.group(1);
                RawConnection connection = connection(port, name, connections, ids);
                if (parts.group(2).equals(":")) {
                    connection.send(words(parts.group(3), port, connections, ids));
                    continue;
                }
                String read;
                if (parts.group(2).equals("?")) {
                    read = untilPong(connection);
                } else {
                    byte[] reply = connection.call(words(parts.group(3), port, connections, ids));
                    read = parts.group(3).startsWith("HELLO") ? "(hello)" : text(reply);
                }
                transcript.put(transcript.containsKey(step) ? step + " #" + transcript.size() : step,
                        normalise(read, ids));
            }
        } finally {
            for (RawConnection connection : connections.values()) {
                connection.close();
            }
        }
        return transcript;
    }

    private static RawConnection connection(int port, String name, Map<String, RawConnection> connections,
                                            Map<String, String> ids) throws IOException {
        RawConnection connection = connections.get(name);
        if (connection == null) {
            connection = new RawConnection(port);
            connections.put(name, connection);
            ids.put(name, text(connection.call("CLIENT", "ID")).substring(1).strip());
        }
        return connection;
    }

    /** A command line's words: double quotes group, {@code #name} is that connection's id. */
    private static List<byte[]> words(String line, int port, Map<String, RawConnection> connections,
                                      Map<String, String> ids) throws IOException {
        List<String> words = new ArrayList<>();
        Matcher word = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(line);
        while (word.find()) {
            words.add(word.group(1) != null ? word.group(1) : word.group(2));
        }
        for (int i = 0; i < words.size(); i++) {
            if (words.get(i).startsWith("#")) {
                String name = words.get(i).substring(1);
                connection(port, name, connections, ids);
                words.set(i, ids.get(name));
            }
        }
        return RawConnection.command(words.toArray(String[]::new));
    }

    /** Everything the connection reads before the reply to a PING sent now (RESP2 pub/sub mode included). */
    private static String untilPong(RawConnection connection) throws IOException {
        connection.send(RawConnection.command("PING"));
        StringBuilder before = new StringBuilder();
        while (true) {
            String reply = text(connection.readReply());
            if (reply.equals("+PONG\r\n") || reply.equals("*2\r\n$4\r\npong\r\n$0\r\n\r\n")) {
                return before.toString();
            }
            before.append(reply);
        }
    }

    /** Client ids as their connection's name; a CLIENT INFO line as its flags and redirection. */
    private static String normalise(String read, Map<String, String> ids) {
        Matcher line = CLIENT_LINE.matcher(read);
        if (line.find()) {
            return "flags=" + line.group(1) + " redir=" + named(line.group(2), ids);
        }
        if (read.contains("# Clients")) {
            StringBuilder fields = new StringBuilder();
            for (String field : List.of("tracking_clients", "tracking_total_keys", "tracking_total_items",
                    "tracking_total_prefixes")) {
                fields.append(field).append(':').append(field(read, field)).append(' ');
            }
            return fields.toString();
        }
        for (Map.Entry<String, String> id : ids.entrySet()) {
            // An integer element: at the start, or right after another element's line.
            read = read.replaceAll("(^|\r\n):" + id.getValue() + "\r\n", "$1:#" + id.getKey() + "\r\n");
        }
        return read;
    }

    private static String named(String id, Map<String, String> ids) {
        for (Map.Entry<String, String> known : ids.entrySet()) {
            if (known.getValue().equals(id)) {
                return "#" + known.getKey();
            }
        }
        return id;
    }

    private static String field(String info, String name) {
        Matcher value = Pattern.compile("(?m)^" + name + ":(\\S+)").matcher(info);
        return value.find() ? value.group(1) : "(missing)";
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
