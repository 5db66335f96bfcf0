package io.postbox.it.support;

import java.util.Set;
import java.util.TreeSet;
import redis.clients.jedis.Jedis;

/**
 * The kinds of error reply a server has sent since it started (INFO errorstats), for tests that check
 * a client library or framework worked without errors it may have logged or swallowed.
 */
public final class ErrorReplies {

    private ErrorReplies() {
    }

    /** Error prefixes such as "ERR" or "NOSCRIPT" that were replied at least once. */
    public static Set<String> kinds(Jedis jedis) {
        Set<String> kinds = new TreeSet<>();
        for (String line : jedis.info("errorstats").split("\r\n")) {
            if (line.startsWith("errorstat_")) {
                kinds.add(line.substring("errorstat_".length(), line.indexOf(':')));
            }
        }
        return kinds;
    }
}
