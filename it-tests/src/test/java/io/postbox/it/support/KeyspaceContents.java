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
                String value = switch (type) {
                    case "string" -> text(jedis.get(key));
                    case "list" -> String.join(",", jedis.lrange(key, 0, -1).stream().map(KeyspaceContents::text).toList());
                    case "hash" -> jedis.hgetAll(key).entrySet().stream()
                            .map(e -> text(e.getKey()) + "=" + text(e.getValue())).sorted().toList().toString();
                    case "set" -> jedis.smembers(key).stream().map(KeyspaceContents::text).sorted().toList().toString();
                    case "zset" -> zrange(jedis, key);
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
