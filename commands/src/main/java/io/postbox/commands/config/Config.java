package io.postbox.commands.config;

import io.postbox.commands.Errors;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The server's configuration: named options with Redis's names and defaults, set at startup from
 * redis.conf syntax and {@code --name value} arguments, read and changed at runtime by CONFIG.
 *
 * <p>Read from the executor thread; startup writes happen before the executor starts.
 */
public final class Config {

    private final Map<String, String> values = new LinkedHashMap<>();

    public Config() {
        define("port", "6379");
        define("bind", "127.0.0.1 -::1");
        define("protected-mode", "yes");
        define("requirepass", "");
        define("dir", ".");
        define("databases", "16");
        define("maxclients", "10000");
        define("timeout", "0");
        define("tcp-keepalive", "300");
        define("tcp-backlog", "511");
        define("loglevel", "notice");
        define("logfile", "");
        define("pidfile", "");
        define("proto-max-bulk-len", Long.toString(512L * 1024 * 1024));
        define("client-query-buffer-limit", Long.toString(1024L * 1024 * 1024));
        define("hz", "10");
        define("maxmemory-policy", "noeviction");
        define("lfu-log-factor", "10");
        define("lfu-decay-time", "1");
    }

    private void define(String name, String defaultValue) {
        values.put(name, defaultValue);
    }

    public String getString(String name) {
        String value = values.get(name.toLowerCase(Locale.ROOT));
        if (value == null) {
            throw new IllegalArgumentException("no config option " + name);
        }
        return value;
    }

    public long getLong(String name) {
        return Long.parseLong(getString(name));
    }

    public boolean getBool(String name) {
        return getString(name).equals("yes");
    }

    public void set(String name, String value) {
        String key = name.toLowerCase(Locale.ROOT);
        if (!values.containsKey(key)) {
            throw Errors.err("Unknown option or number of arguments for CONFIG SET - '" + name + "'");
        }
        values.put(key, value);
    }
}
