package io.postbox.commands.config;

import static io.postbox.commands.config.ConfigOption.Flag.DENY_LOADING;
import static io.postbox.commands.config.ConfigOption.Flag.HIDDEN;
import static io.postbox.commands.config.ConfigOption.Flag.IMMUTABLE;
import static io.postbox.commands.config.ConfigOption.Flag.MULTI_ARG;
import static io.postbox.commands.config.ConfigOption.Flag.PROTECTED;
import static io.postbox.commands.config.ConfigOption.Flag.SENSITIVE;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Every option Redis 7.0.15 knows, with its Redis name, alias, type, bounds and default, in the order
 * of Redis's config table. A stock redis.conf therefore loads, and CONFIG GET * lists what Redis lists.
 *
 * <p>Postbox acts on the options of the network, clients, logging, limits, slow log, latency
 * tracking and the OOM score. The others (encodings, defrag, replication, cluster, TLS details) are
 * kept and reported only: they tune machinery Postbox does not have. Options that would switch on a
 * feature Postbox lacks (forking, cluster mode, TLS, syslog, being a replica) refuse the value instead
 * of pretending.
 */
final class ConfigCatalog {

    private static final long INT_MAX = Integer.MAX_VALUE;
    private static final long INT_MIN = Integer.MIN_VALUE;
    private static final long UINT_MAX = 0xffffffffL;
    private static final long LONG_MAX = Long.MAX_VALUE;
    private static final long ULLONG_MAX = -1L;

    private final List<ConfigOption<?>> options = new ArrayList<>();

    private ConfigCatalog() {
    }

    static List<ConfigOption<?>> options() {
        ConfigCatalog c = new ConfigCatalog();
        c.bools();
        c.strings();
        c.enums();
        c.numbers();
        c.specials();
        return c.options;
    }

    private void bools() {
        bool("rdbchecksum", null, true, IMMUTABLE);
        bool("daemonize", null, false, unsupportedWhen(true,
                "Postbox does not fork: run it in the foreground under a supervisor (systemd, Docker) instead of daemonize yes"),
                IMMUTABLE);
        bool("io-threads-do-reads", null, false, IMMUTABLE);
        bool("always-show-logo", null, false, IMMUTABLE);
        bool("protected-mode", null, true);
        bool("rdbcompression", null, true);
        bool("rdb-del-sync-files", null, false);
        bool("activerehashing", null, true);
        bool("stop-writes-on-bgsave-error", null, true);
        bool("set-proc-title", null, true, IMMUTABLE);
        bool("dynamic-hz", null, true);
        bool("lazyfree-lazy-eviction", null, false);
        bool("lazyfree-lazy-expire", null, false);
        bool("lazyfree-lazy-server-del", null, false);
        bool("lazyfree-lazy-user-del", null, false);
        bool("lazyfree-lazy-user-flush", null, false);
        bool("repl-disable-tcp-nodelay", null, false);
        bool("repl-diskless-sync", null, true);
        bool("aof-rewrite-incremental-fsync", null, true);
        bool("no-appendfsync-on-rewrite", null, false);
        bool("cluster-require-full-coverage", null, true);
        bool("rdb-save-incremental-fsync", null, true);
        bool("aof-load-truncated", null, true);
        bool("aof-use-rdb-preamble", null, true);
        bool("aof-timestamp-enabled", null, false);
        bool("cluster-replica-no-failover", "cluster-slave-no-failover", false);
        bool("replica-lazy-flush", "slave-lazy-flush", false);
        bool("replica-serve-stale-data", "slave-serve-stale-data", true);
        bool("replica-read-only", "slave-read-only", true);
        bool("replica-ignore-maxmemory", "slave-ignore-maxmemory", true);
        bool("jemalloc-bg-thread", null, true);
        bool("activedefrag", null, false);
        bool("syslog-enabled", null, false, unsupportedWhen(true,
                "Postbox does not log to syslog: use logfile, or standard output under a supervisor"), IMMUTABLE);
        bool("cluster-enabled", null, false, unsupportedWhen(true, "Postbox does not support cluster mode"), IMMUTABLE);
        bool("appendonly", null, false, DENY_LOADING);
        bool("cluster-allow-reads-when-down", null, false);
        bool("cluster-allow-pubsubshard-when-down", null, true);
        bool("crash-log-enabled", null, true);
        bool("crash-memcheck-enabled", null, true);
        // Redis's test hook: a panic exits rather than aborts. Postbox never aborts, so it changes nothing.
        bool("use-exit-on-panic", null, false, HIDDEN);
        bool("disable-thp", null, true, IMMUTABLE);
        bool("cluster-allow-replica-migration", null, true);
        bool("replica-announced", null, true);
        bool("latency-tracking", null, true);
        bool("aof-disable-auto-gc", null, false);
        bool("replica-ignore-disk-write-errors", null, false);
        for (String tls : List.of("tls-cluster", "tls-replication", "tls-prefer-server-ciphers")) {
            bool(tls, null, false);
        }
        bool("tls-session-caching", null, true);
    }

    private void strings() {
        string("aclfile", StringType.ALLOW_EMPTY, "", IMMUTABLE);
        string("unixsocket", StringType.EMPTY_IS_UNSET, null, IMMUTABLE);
        string("pidfile", StringType.EMPTY_IS_UNSET, null, IMMUTABLE);
        option("replica-announce-ip", "slave-announce-ip", StringType.EMPTY_IS_UNSET, null, Set.of(), null);
        string("masteruser", StringType.EMPTY_IS_UNSET, null, SENSITIVE);
        string("cluster-announce-ip", StringType.EMPTY_IS_UNSET, null);
        string("cluster-config-file", StringType.ALLOW_EMPTY, "nodes.conf", IMMUTABLE);
        string("cluster-announce-hostname", StringType.EMPTY_IS_UNSET, null, ConfigCatalog::checkHostname);
        string("syslog-ident", StringType.ALLOW_EMPTY, "redis", IMMUTABLE);
        string("dbfilename", StringType.ALLOW_EMPTY, "dump.rdb", value -> {
            if (!isBaseName(value)) {
                throw new InvalidConfigValue("dbfilename can't be a path, just a filename");
            }
        }, PROTECTED);
        string("appendfilename", StringType.ALLOW_EMPTY, "appendonly.aof", value -> {
            if (value.isEmpty()) {
                throw new InvalidConfigValue("appendfilename can't be empty");
            }
            if (!isBaseName(value)) {
                throw new InvalidConfigValue("appendfilename can't be a path, just a filename");
            }
        }, IMMUTABLE);
        string("appenddirname", StringType.ALLOW_EMPTY, "appendonlydir", value -> {
            if (value.isEmpty()) {
                throw new InvalidConfigValue("appenddirname can't be empty");
            }
            if (!isBaseName(value)) {
                throw new InvalidConfigValue("appenddirname can't be a path, just a dirname");
            }
        }, IMMUTABLE);
        for (String cpulist : List.of("server_cpulist", "bio_cpulist", "aof_rewrite_cpulist", "bgsave_cpulist")) {
            string(cpulist, StringType.EMPTY_IS_UNSET, null, IMMUTABLE);
        }
        string("ignore-warnings", StringType.ALLOW_EMPTY, "");
        string("proc-title-template", StringType.ALLOW_EMPTY, "{title} {listen-addr} {server-mode}",
                ConfigCatalog::checkProcTitleTemplate);
        string("bind-source-addr", StringType.EMPTY_IS_UNSET, null);
        string("logfile", StringType.ALLOW_EMPTY, "", IMMUTABLE);
        string("masterauth", StringType.EMPTY_IS_UNSET, null, SENSITIVE);
        string("requirepass", StringType.EMPTY_IS_UNSET, null, SENSITIVE);
        for (String tls : List.of("tls-cert-file", "tls-key-file", "tls-key-file-pass", "tls-client-cert-file",
                "tls-client-key-file", "tls-client-key-file-pass", "tls-dh-params-file", "tls-ca-cert-file",
                "tls-ca-cert-dir", "tls-protocols", "tls-ciphers", "tls-ciphersuites")) {
            string(tls, StringType.EMPTY_IS_UNSET, null);
        }
    }

    private void enums() {
        enumeration("supervised", "no", new EnumType("upstart", "systemd", "auto", "no"), IMMUTABLE);
        enumeration("syslog-facility", "local0", new EnumType("user", "local0", "local1", "local2", "local3",
                "local4", "local5", "local6", "local7"), IMMUTABLE);
        enumeration("repl-diskless-load", "disabled", new EnumType("disabled", "on-empty-db", "swapdb"),
                DENY_LOADING);
        enumeration("loglevel", "notice", new EnumType("debug", "verbose", "notice", "warning"));
        enumeration("maxmemory-policy", "noeviction", new EnumType("volatile-lru", "volatile-lfu",
                "volatile-random", "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"));
        enumeration("appendfsync", "everysec", new EnumType("everysec", "always", "no"));
        enumeration("oom-score-adj", "no", new EnumType("no", "yes", "relative=yes", "absolute"));
        enumeration("acl-pubsub-default", "resetchannels", new EnumType("allchannels", "resetchannels"));
        enumeration("sanitize-dump-payload", "no", new EnumType("no", "yes", "clients"));
        enumeration("enable-protected-configs", "no", new EnumType("no", "yes", "local"), IMMUTABLE);
        enumeration("enable-debug-command", "no", new EnumType("no", "yes", "local"), IMMUTABLE);
        enumeration("enable-module-command", "no", new EnumType("no", "yes", "local"), IMMUTABLE);
        enumeration("cluster-preferred-endpoint-type", "ip", new EnumType("ip", "hostname", "unknown-endpoint"));
        enumeration("propagation-error-behavior", "ignore", new EnumType("ignore", "panic", "panic-on-replicas"));
        for (String signal : List.of("shutdown-on-sigint", "shutdown-on-sigterm")) {
            FlagSetType flags = new FlagSetType(List.of("default", "save", "nosave", "now", "force"), value -> {
                if ((value & 0b11) == 0b11) {
                    throw new InvalidConfigValue("shutdown options SAVE and NOSAVE can't be used simultaneously");
                }
            });
            option(signal, null, flags, 0, EnumSet.of(MULTI_ARG), null);
        }
        enumeration("tls-auth-clients", "yes", new EnumType("no", "yes", "optional"));
    }

    private void numbers() {
        number("databases", null, NumberType.integer(1, INT_MAX), 16, IMMUTABLE);
        number("port", null, NumberType.integer(0, 65535), 6379);
        number("io-threads", null, NumberType.integer(1, 128), 1, IMMUTABLE);
        number("auto-aof-rewrite-percentage", null, NumberType.integer(0, INT_MAX), 100);
        number("cluster-replica-validity-factor", "cluster-slave-validity-factor", NumberType.integer(0, INT_MAX), 10);
        number("list-max-listpack-size", "list-max-ziplist-size", NumberType.integer(INT_MIN, INT_MAX), -2);
        number("tcp-keepalive", null, NumberType.integer(0, INT_MAX), 300);
        number("cluster-migration-barrier", null, NumberType.integer(0, INT_MAX), 1);
        number("active-defrag-cycle-min", null, NumberType.integer(1, 99), 1);
        number("active-defrag-cycle-max", null, NumberType.integer(1, 99), 25);
        number("active-defrag-threshold-lower", null, NumberType.integer(0, 1000), 10);
        number("active-defrag-threshold-upper", null, NumberType.integer(0, 1000), 100);
        number("lfu-log-factor", null, NumberType.integer(0, INT_MAX), 10);
        number("lfu-decay-time", null, NumberType.integer(0, INT_MAX), 1);
        number("replica-priority", "slave-priority", NumberType.integer(0, INT_MAX), 100);
        number("repl-diskless-sync-delay", null, NumberType.integer(0, INT_MAX), 5);
        // Redis's test hooks: each key a snapshot saves or loads takes this many microseconds more (KeyPace),
        // and how many bytes a load reads between two rounds of serving clients.
        number("rdb-key-save-delay", null, NumberType.integer(INT_MIN, INT_MAX), 0, HIDDEN);
        number("key-load-delay", null, NumberType.integer(INT_MIN, INT_MAX), 0, HIDDEN);
        number("loading-process-events-interval-bytes", null, NumberType.integer(1024, INT_MAX), 2 * 1024 * 1024,
                HIDDEN);
        number("maxmemory-samples", null, NumberType.integer(1, INT_MAX), 5);
        number("maxmemory-eviction-tenacity", null, NumberType.integer(0, 100), 10);
        number("timeout", null, NumberType.integer(0, INT_MAX), 0);
        number("replica-announce-port", "slave-announce-port", NumberType.integer(0, 65535), 0);
        number("tcp-backlog", null, NumberType.integer(0, INT_MAX), 511, IMMUTABLE);
        number("cluster-port", null, NumberType.integer(0, 65535), 0, IMMUTABLE);
        number("cluster-announce-bus-port", null, NumberType.integer(0, 65535), 0);
        number("cluster-announce-port", null, NumberType.integer(0, 65535), 0);
        number("cluster-announce-tls-port", null, NumberType.integer(0, 65535), 0);
        number("repl-timeout", null, NumberType.integer(1, INT_MAX), 60);
        number("repl-ping-replica-period", "repl-ping-slave-period", NumberType.integer(1, INT_MAX), 10);
        number("list-compress-depth", null, NumberType.integer(0, INT_MAX), 0);
        number("active-expire-effort", null, NumberType.integer(1, 10), 1);
        // Redis accepts any hz and caps it to what its timer can do.
        number("hz", null, NumberType.integer(0, INT_MAX).clampedTo(1, 500), 10);
        number("min-replicas-to-write", "min-slaves-to-write", NumberType.integer(0, INT_MAX), 0);
        number("min-replicas-max-lag", "min-slaves-max-lag", NumberType.integer(0, INT_MAX), 10);
        number("shutdown-timeout", null, NumberType.integer(0, INT_MAX), 10);
        number("repl-diskless-sync-max-replicas", null, NumberType.integer(0, INT_MAX), 0);
        number("maxclients", null, NumberType.unsignedInteger(1, UINT_MAX), 10000);
        number("unixsocketperm", null, new NumberType(0, 0777, true, NumberType.Notation.OCTAL), 0, IMMUTABLE);
        number("socket-mark-id", null, NumberType.unsignedInteger(0, UINT_MAX), 0, IMMUTABLE);
        number("active-defrag-max-scan-fields", null, NumberType.integer(1, LONG_MAX), 1000);
        number("slowlog-max-len", null, NumberType.integer(0, LONG_MAX), 128);
        number("acllog-max-len", null, NumberType.integer(0, LONG_MAX), 128);
        number("busy-reply-threshold", "lua-time-limit", NumberType.integer(0, LONG_MAX), 5000);
        number("cluster-node-timeout", null, NumberType.integer(0, LONG_MAX), 15000);
        number("slowlog-log-slower-than", null, NumberType.integer(-1, LONG_MAX), 10000);
        number("latency-monitor-threshold", null, NumberType.integer(0, LONG_MAX), 0);
        number("proto-max-bulk-len", null, NumberType.memory(1024 * 1024, LONG_MAX), 512L * 1024 * 1024);
        number("stream-node-max-entries", null, NumberType.integer(0, LONG_MAX), 100);
        number("repl-backlog-size", null, NumberType.memory(1, LONG_MAX), 1024 * 1024);
        number("maxmemory", null, NumberType.unsignedMemory(0, ULLONG_MAX), 0);
        number("cluster-link-sendbuf-limit", null, NumberType.unsignedMemory(0, ULLONG_MAX), 0);
        number("hash-max-listpack-entries", "hash-max-ziplist-entries", NumberType.unsignedInteger(0, LONG_MAX), 512);
        number("set-max-intset-entries", null, NumberType.unsignedInteger(0, LONG_MAX), 512);
        number("zset-max-listpack-entries", "zset-max-ziplist-entries", NumberType.unsignedInteger(0, LONG_MAX), 128);
        number("active-defrag-ignore-bytes", null, NumberType.unsignedMemory(1, LONG_MAX), 100L << 20);
        number("hash-max-listpack-value", "hash-max-ziplist-value", NumberType.unsignedMemory(0, LONG_MAX), 64);
        number("stream-node-max-bytes", null, NumberType.unsignedMemory(0, LONG_MAX), 4096);
        number("zset-max-listpack-value", "zset-max-ziplist-value", NumberType.unsignedMemory(0, LONG_MAX), 64);
        number("hll-sparse-max-bytes", null, NumberType.unsignedMemory(0, LONG_MAX), 3000);
        number("tracking-table-max-keys", null, NumberType.unsignedInteger(0, LONG_MAX), 1000000);
        number("client-query-buffer-limit", null, NumberType.unsignedMemory(1024 * 1024, LONG_MAX), 1024L * 1024 * 1024);
        number("maxmemory-clients", null, new NumberType(-100, LONG_MAX, false, NumberType.Notation.MEMORY_OR_PERCENT), 0);
        number("repl-backlog-ttl", null, NumberType.integer(0, LONG_MAX), 60 * 60);
        number("auto-aof-rewrite-min-size", null, NumberType.memory(0, LONG_MAX), 64L * 1024 * 1024);
        number("tls-port", null, NumberType.integer(0, 65535), 0, value -> {
            if (value != 0) {
                throw new InvalidConfigValue("Postbox does not support TLS: put a TLS proxy in front of it");
            }
        });
        number("tls-session-cache-size", null, NumberType.integer(0, INT_MAX), 20 * 1024);
        number("tls-session-cache-timeout", null, NumberType.integer(0, INT_MAX), 300);
    }

    private void specials() {
        option("dir", null, DirType.INSTANCE, Path.of("").toAbsolutePath().toString(),
                EnumSet.of(PROTECTED, DENY_LOADING), null);
        option("save", null, SavePointsType.INSTANCE,
                List.of(new SavePoint(3600, 1), new SavePoint(300, 100), new SavePoint(60, 10000)),
                EnumSet.of(MULTI_ARG), null);
        option("client-output-buffer-limit", null, OutputBufferLimitsType.INSTANCE, OutputBufferLimits.DEFAULTS,
                EnumSet.of(MULTI_ARG), null);
        option("oom-score-adj-values", null, OomScoreAdjValuesType.INSTANCE, List.of(0, 200, 800),
                EnumSet.of(MULTI_ARG), null);
        option("notify-keyspace-events", null, KeyspaceEventsType.INSTANCE, 0, Set.of(), null);
        // The loopback pair of the redis.conf Redis ships, not its compiled-in wildcard: a queue server
        // is reachable from the network only once someone says so.
        option("bind", null, BindType.INSTANCE, List.of("127.0.0.1", "-::1"), EnumSet.of(MULTI_ARG), null);
        option("replicaof", "slaveof", ReplicaOfType.INSTANCE, "", EnumSet.of(IMMUTABLE, MULTI_ARG), null);
        option("latency-tracking-info-percentiles", null, PercentilesType.INSTANCE, List.of(50.0, 99.0, 99.9),
                EnumSet.of(MULTI_ARG), null);
    }

    private void bool(String name, String alias, boolean defaultValue, ConfigOption.Flag... flags) {
        bool(name, alias, defaultValue, null, flags);
    }

    private void bool(String name, String alias, boolean defaultValue, Consumer<Boolean> check,
                      ConfigOption.Flag... flags) {
        option(name, alias, BoolType.INSTANCE, defaultValue, flagSet(flags), check);
    }

    private void string(String name, StringType type, String defaultValue, ConfigOption.Flag... flags) {
        string(name, type, defaultValue, null, flags);
    }

    private void string(String name, StringType type, String defaultValue, Consumer<String> check,
                        ConfigOption.Flag... flags) {
        option(name, null, type, defaultValue, flagSet(flags), check);
    }

    private void enumeration(String name, String defaultValue, EnumType type, ConfigOption.Flag... flags) {
        option(name, null, type, defaultValue, flagSet(flags), null);
    }

    private void number(String name, String alias, NumberType type, long defaultValue, ConfigOption.Flag... flags) {
        number(name, alias, type, defaultValue, null, flags);
    }

    private void number(String name, String alias, NumberType type, long defaultValue, Consumer<Long> check,
                        ConfigOption.Flag... flags) {
        option(name, alias, type, defaultValue, flagSet(flags), check);
    }

    private static Set<ConfigOption.Flag> flagSet(ConfigOption.Flag... flags) {
        Set<ConfigOption.Flag> set = EnumSet.noneOf(ConfigOption.Flag.class);
        set.addAll(List.of(flags));
        return set;
    }

    private <T> void option(String name, String alias, OptionType<T> type, T defaultValue,
                            Set<ConfigOption.Flag> flags, Consumer<T> check) {
        options.add(new ConfigOption<>(name, alias, flags, type, defaultValue, check));
    }

    private static Consumer<Boolean> unsupportedWhen(boolean refused, String reason) {
        return value -> {
            if (value == refused) {
                throw new InvalidConfigValue(reason);
            }
        };
    }

    private static boolean isBaseName(String path) {
        return path.indexOf('/') < 0;
    }

    private static void checkHostname(String hostname) {
        if (hostname == null) {
            return;
        }
        if (hostname.length() >= 256) {
            throw new InvalidConfigValue("Hostnames must be less than 256 characters");
        }
        for (char c : hostname.toCharArray()) {
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) {
                throw new InvalidConfigValue("Hostnames may only contain alphanumeric characters, hyphens or dots");
            }
        }
    }

    /**
     * A process title template may use only Redis's variables, in balanced braces, and must not be
     * empty once expanded (the title and server mode may expand to nothing).
     */
    private static void checkProcTitleTemplate(String template) {
        Set<String> mayBeEmpty = Set.of("title", "server-mode", "unixsocket", "config-file");
        Set<String> known = Set.of("title", "server-mode", "unixsocket", "config-file", "listen-addr", "port", "tls-port");
        StringBuilder expanded = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '}') {
                throw invalidTemplate();
            }
            if (c != '{') {
                expanded.append(c);
                continue;
            }
            int close = template.indexOf('}', i);
            if (close < 0) {
                throw invalidTemplate();
            }
            String variable = template.substring(i + 1, close);
            if (!known.contains(variable)) {
                throw invalidTemplate();
            }
            if (!mayBeEmpty.contains(variable)) {
                expanded.append('x');
            }
            i = close;
        }
        if (expanded.toString().strip().isEmpty()) {
            throw invalidTemplate();
        }
    }

    private static InvalidConfigValue invalidTemplate() {
        return new InvalidConfigValue("template format is invalid or contains unknown variables");
    }
}
