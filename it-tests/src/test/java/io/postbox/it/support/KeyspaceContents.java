package io.postbox.it.support;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.Jedis;

/**
 * Everything a server holds, read through commands as plain text: "db:key" to
 * "type:value|expiry", optionally "type:encoding:value|expiry" (hash fields and set members sorted),
 * so two servers (Postbox and Redis) can be compared with one assertEquals.
 */
public final class KeyspaceContents {

    private KeyspaceContents() {
    }

    /** Without encodings: a reload may pack a value differently (a table set of integers loads as an intset). */
    public static Map<String, String> of(Jedis jedis, int databases) {
        return of(jedis, databases, false);
    }

    /** With each value's OBJECT ENCODING after its type. */
    public static Map<String, String> withEncodings(Jedis jedis, int databases) {
        return of(jedis, databases, true);
    }

    private static Map<String, String> of(Jedis jedis, int databases, boolean encodings) {
        Map<String, String> all = new TreeMap<>();
        for (int db = 0; db < databases; db++) {
            jedis.select(db);
            for (byte[] key : jedis.keys("*".getBytes(StandardCharsets.ISO_8859_1))) {
                String type = jedis.type(key);
                if (type.equals("none")) {
                    continue; // expired since KEYS listed it
                }
                String value = switch (type) {
                    case "string" -> text(jedis.get(key));
                    case "list" -> String.join(",", jedis.lrange(key, 0, -1).stream().map(KeyspaceContents::text).toList());
                    case "hash" -> jedis.hgetAll(key).entrySet().stream()
                            .map(e -> text(e.getKey()) + "=" + text(e.getValue())).sorted().toList().toString();
                    case "set" -> jedis.smembers(key).stream().map(KeyspaceContents::text).sorted().toList().toString();
                    case "zset" -> zrange(jedis, key);
                    case "stream" -> stream(jedis, key);
                    default -> throw new IllegalStateException("no comparison for type " + type);
                };
                String encoding = encodings ? text(jedis.objectEncoding(key)) + ":" : "";
                all.put(db + ":" + text(key), type + ":" + encoding + value + "|" + jedis.pexpireTime(key));
            }
        }
        jedis.select(0);
        return all;
    }

    /** Members and scores as the server prints them (%.17g), lowest first. */
    @SuppressWarnings("unchecked")
    private static String zrange(Jedis jedis, byte[] key) {
        List<byte[]> raw = (List<byte[]>) jedis.sendCommand(() -> "ZRANGE".getBytes(StandardCharsets.US_ASCII), key,
                "0".getBytes(), "-1".getBytes(), "WITHSCORES".getBytes());
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < raw.size(); i += 2) {
            out.append(text(raw.get(i))).append('=').append(text(raw.get(i + 1))).append(',');
        }
        return out.toString();
    }

    /**
     * A stream's entries, counters, groups, pending entries and consumers, from XINFO STREAM FULL COUNT 0.
     * Consumers' seen times are left out: replaying a log sets them to the time of the replay.
     */
    @SuppressWarnings("unchecked")
    private static String stream(Jedis jedis, byte[] key) {
        List<Object> info = (List<Object>) jedis.sendCommand(() -> "XINFO".getBytes(StandardCharsets.US_ASCII),
                "STREAM".getBytes(), key, "FULL".getBytes(), "COUNT".getBytes(), "0".getBytes());
        Map<String, Object> fields = pairs(info);
        StringBuilder out = new StringBuilder();
        out.append("len=").append(fields.get("length")).append(" last=").append(str(fields.get("last-generated-id")))
                .append(" first=").append(str(fields.get("recorded-first-entry-id")))
                .append(" maxdel=").append(str(fields.get("max-deleted-entry-id")))
                .append(" added=").append(fields.get("entries-added")).append(" entries=");
        for (Object entry : (List<Object>) fields.get("entries")) {
            List<Object> pair = (List<Object>) entry;
            out.append(str(pair.get(0))).append('{');
            for (Object part : (List<Object>) pair.get(1)) {
                out.append(str(part)).append(',');
            }
            out.append('}');
        }
        for (Object g : (List<Object>) fields.get("groups")) {
            Map<String, Object> group = pairs((List<Object>) g);
            out.append(" group=").append(str(group.get("name"))).append(" last=")
                    .append(str(group.get("last-delivered-id"))).append(" read=").append(group.get("entries-read"))
                    .append(" pel=");
            for (Object p : (List<Object>) group.get("pending")) {
                List<Object> nack = (List<Object>) p;
                out.append(str(nack.get(0))).append(':').append(str(nack.get(1))).append(':').append(nack.get(2))
                        .append(':').append(nack.get(3)).append(',');
            }
            for (Object c : (List<Object>) group.get("consumers")) {
                Map<String, Object> consumer = pairs((List<Object>) c);
                out.append(" consumer=").append(str(consumer.get("name"))).append(':');
                for (Object p : (List<Object>) consumer.get("pending")) {
                    out.append(str(((List<Object>) p).get(0))).append(',');
                }
            }
        }
        return out.toString();
    }

    /** The same text for a stream in an engine, so both sides compare as strings. */
    public static String stream(io.postbox.commands.streams.StreamValue stream) {
        StringBuilder out = new StringBuilder();
        out.append("len=").append(stream.length).append(" last=").append(stream.lastId)
                .append(" first=").append(stream.firstId).append(" maxdel=").append(stream.maxDeletedId)
                .append(" added=").append(stream.entriesAdded).append(" entries=");
        for (io.postbox.commands.streams.StreamEntry entry : stream.range(io.postbox.commands.streams.StreamId.MIN,
                io.postbox.commands.streams.StreamId.MAX, 0, false)) {
            out.append(entry.id()).append('{');
            for (byte[] part : entry.fieldsValues()) {
                out.append(text(part)).append(',');
            }
            out.append('}');
        }
        for (io.postbox.commands.streams.StreamGroup group : stream.groups.values()) {
            out.append(" group=").append(group.name).append(" last=").append(group.lastId).append(" read=")
                    .append(group.entriesRead == -1 ? "null" : Long.toString(group.entriesRead)).append(" pel=");
            group.pending.forEach((id, nack) -> out.append(id).append(':').append(nack.consumer.name).append(':')
                    .append(nack.deliveryTime).append(':').append(nack.deliveryCount).append(','));
            for (io.postbox.commands.streams.StreamConsumer consumer : group.consumers.values()) {
                out.append(" consumer=").append(consumer.name).append(':');
                consumer.pending.keySet().forEach(id -> out.append(id).append(','));
            }
        }
        return out.toString();
    }

    private static Map<String, Object> pairs(List<Object> flat) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < flat.size(); i += 2) {
            map.put(str(flat.get(i)), flat.get(i + 1));
        }
        return map;
    }

    private static String str(Object value) {
        return value == null ? "null" : value instanceof byte[] bytes ? text(bytes) : value.toString();
    }

    public static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** Fails, naming the first difference only (the maps are too large to print), unless they are equal. */
    public static void assertSame(Map<String, String> expected, Map<String, String> actual) {
        if (!expected.equals(actual)) {
            throw new AssertionError("contents differ (" + expected.size() + " keys expected, " + actual.size()
                    + " found); first difference: " + firstDifference(expected, actual));
        }
    }

    /** A short description of a difference, for failure messages on large maps. */
    public static String firstDifference(Map<String, String> expected, Map<String, String> actual) {
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String other = actual.get(e.getKey());
            if (!e.getValue().equals(other)) {
                String value = e.getValue();
                int at = 0;
                while (other != null && at < value.length() && at < other.length() && value.charAt(at) == other.charAt(at)) {
                    at++;
                }
                int from = Math.max(0, at - 60);
                return e.getKey() + " at character " + at + ": expected ..." + abbreviate(value.substring(from))
                        + " got ..." + (other == null ? null : abbreviate(other.substring(Math.min(from, other.length()))));
            }
        }
        for (String key : actual.keySet()) {
            if (!expected.containsKey(key)) {
                return key + ": unexpected";
            }
        }
        return "none";
    }

    private static String abbreviate(String s) {
        return s == null ? null : s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

}
