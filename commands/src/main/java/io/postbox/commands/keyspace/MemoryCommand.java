package io.postbox.commands.keyspace;

import io.postbox.commands.ClientMemory;
import io.postbox.commands.Command;
import io.postbox.commands.Engine;
import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.KeySpec;
import io.postbox.commands.Numbers;
import io.postbox.commands.admin.info.JvmMemory;
import io.postbox.resp.Reply;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * MEMORY USAGE | STATS | DOCTOR | MALLOC-STATS | PURGE | HELP, answered with what a JVM can tell:
 * our own estimate of a key's bytes (see {@link ObjectSizes}), and the heap and the process's
 * resident set where Redis reports its allocator.
 */
final class MemoryCommand {

    /** MEMORY USAGE measures this many elements of an aggregate unless told otherwise. */
    private static final long DEFAULT_SAMPLES = 5;

    private static final List<String> HELP = List.of(
            "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "DOCTOR",
            "    Return memory problems reports.",
            "MALLOC-STATS",
            "    Return internal statistics report from the memory allocator.",
            "PURGE",
            "    Attempt to purge dirty pages for reclamation by the allocator.",
            "STATS",
            "    Return information about the memory usage of the server.",
            "USAGE <key> [SAMPLES <count>]",
            "    Return memory in bytes used by <key> and its value. Nested values are",
            "    sampled up to <count> times (default: 5, 0 means sample all).",
            "HELP",
            "    Prints this help.");

    /** Heap in use when the command table was built, before any data: MEMORY STATS's startup.allocated. */
    private static final long STARTUP_HEAP = JvmMemory.heapUsed();

    private MemoryCommand() {
    }

    static Command command() {
        return Command.builder("memory").arity(-2).group("server")
                .summary("Reports on memory: per key, for the server, and from the allocator.")
                .since("4.0.0").complexity("Depends on subcommand.")
                .subcommand(report("doctor", "O(1)", "Describes memory problems, if any are detected.")
                        .handler(call -> call.reply().verbatim("txt", bytes(doctor()))))
                .subcommand(report("malloc-stats", "Depends on how much memory is allocated, could be slow",
                        "Shows the internal statistics of the memory manager.")
                        .handler(call -> call.reply().verbatim("txt", bytes(heapPools()))))
                .subcommand(Command.builder("help").arity(2).flags("loading stale").group("server")
                        .summary("Describes the MEMORY subcommands.").since("4.0.0").complexity("O(1)").syntax("")
                        .handler(call -> {
                            call.reply().array(HELP.size());
                            HELP.forEach(call.reply()::simple);
                        }))
                .subcommand(report("stats", "O(1)", "Breaks down the memory used by the server.")
                        .handler(MemoryCommand::stats))
                .subcommand(Command.builder("usage").arity(-3).flags("readonly").group("server")
                        .keys(KeySpec.range("RO", 2, 0, 1))
                        .summary("Estimates the bytes a key and its value take.").since("4.0.0")
                        .complexity("O(N) where N is the number of samples.").syntax("key [SAMPLES count]")
                        .handler(MemoryCommand::usage))
                .subcommand(Command.builder("purge").arity(2).group("server")
                        .tips("request_policy:all_shards", "response_policy:all_succeeded")
                        .summary("Asks the memory manager to give unused memory back.").since("4.0.0")
                        .complexity("Depends on how much memory is allocated, could be slow").syntax("")
                        .handler(call -> {
                            call.engine().heapReturn().purge();
                            call.reply().ok();
                        }))
                .build();
    }

    private static Command.Builder report(String name, String complexity, String summary) {
        return Command.builder(name).arity(2).group("server")
                .tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special")
                .summary(summary).since("4.0.0").complexity(complexity).syntax("");
    }

    static void usage(Invocation call) {
        long samples = DEFAULT_SAMPLES;
        for (int i = 3; i < call.argc(); i++) {
            if (call.argIs(i, "samples") && i + 1 < call.argc()) {
                samples = Numbers.parseLong(call.arg(++i));
                if (samples < 0) {
                    throw Errors.SYNTAX;
                }
                if (samples == 0) {
                    samples = Long.MAX_VALUE;
                }
            } else {
                throw Errors.SYNTAX;
            }
        }
        long bytes = call.db().memoryUsage(call.arg(2), samples);
        if (bytes < 0) {
            call.reply().nullBulk();
        } else {
            call.reply().integer(bytes);
        }
    }

    /** The fields of Redis's MEMORY STATS, in its order, filled from the heap, the clients and our table sizes. */
    static void stats(Invocation call) {
        Engine engine = call.engine();
        long used = JvmMemory.heapUsed() + ClientMemory.offHeapOfNormalClients(engine.clients());
        long peak = Math.max(used, heapPeak());
        long committed = JvmMemory.heapCommitted();
        long rss = JvmMemory.residentSetSize();
        long clientMemory = ClientMemory.ofNormalClients(engine.clients());
        int nonEmpty = 0;
        long keys = 0;
        long tables = 0;
        for (int i = 0; i < engine.databaseCount(); i++) {
            Database db = engine.database(i);
            if (db.size() > 0) {
                nonEmpty++;
                keys += db.size();
                tables += db.overheadBytes(false) + db.overheadBytes(true);
            }
        }
        long overhead = STARTUP_HEAP + clientMemory + tables;
        long dataset = Math.max(0, used - overhead);
        long net = Math.max(1, used - STARTUP_HEAP);

        Reply reply = call.reply();
        reply.map(27 + nonEmpty);
        field(reply, "peak.allocated", peak);
        field(reply, "total.allocated", used);
        field(reply, "startup.allocated", STARTUP_HEAP);
        field(reply, "replication.backlog", engine.replicationFeed().backlogMemory());
        field(reply, "clients.slaves", ClientMemory.ofReplicas(engine.clients()));
        field(reply, "clients.normal", clientMemory);
        field(reply, "cluster.links", 0);
        field(reply, "aof.buffer", 0);
        field(reply, "lua.caches", 0);
        field(reply, "functions.caches", 0);
        for (int i = 0; i < engine.databaseCount(); i++) {
            Database db = engine.database(i);
            if (db.size() > 0) {
                reply.bulk("db." + i);
                reply.map(3);
                field(reply, "overhead.hashtable.main", db.overheadBytes(false));
                field(reply, "overhead.hashtable.expires", db.overheadBytes(true));
                field(reply, "overhead.hashtable.slot-to-keys", 0);
            }
        }
        field(reply, "overhead.total", overhead);
        field(reply, "keys.count", keys);
        field(reply, "keys.bytes-per-key", keys == 0 ? 0 : net / keys);
        field(reply, "dataset.bytes", dataset);
        ratio(reply, "dataset.percentage", dataset * 100.0 / net);
        ratio(reply, "peak.percentage", used * 100.0 / peak);
        field(reply, "allocator.allocated", used);
        field(reply, "allocator.active", committed);
        field(reply, "allocator.resident", committed);
        ratio(reply, "allocator-fragmentation.ratio", (double) committed / used);
        field(reply, "allocator-fragmentation.bytes", committed - used);
        ratio(reply, "allocator-rss.ratio", 1.0);
        field(reply, "allocator-rss.bytes", 0);
        ratio(reply, "rss-overhead.ratio", (double) rss / committed);
        field(reply, "rss-overhead.bytes", rss - committed);
        ratio(reply, "fragmentation", (double) rss / used);
        field(reply, "fragmentation.bytes", rss - used);
    }

    private static void field(Reply reply, String name, long value) {
        reply.bulk(name);
        reply.integer(value);
    }

    private static void ratio(Reply reply, String name, double value) {
        reply.bulk(name);
        reply.doubleValue(value);
    }

    private static String doctor() {
        Runtime runtime = Runtime.getRuntime();
        long used = JvmMemory.heapUsed();
        long max = runtime.maxMemory();
        StringBuilder text = new StringBuilder();
        text.append("Heap in use: ").append(used).append(" of at most ").append(max).append(" bytes.\n");
        if (used > max / 10 * 9) {
            text.append("The heap is more than 90% full: expect long collections, and raise -Xmx or"
                    + " reduce the dataset.\n");
        } else {
            text.append("No memory problems detected.\n");
        }
        return text.toString();
    }

    private static String heapPools() {
        StringBuilder text = new StringBuilder("___ Begin JVM memory pool statistics ___\n");
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            text.append(pool.getName()).append(" (").append(pool.getType() == MemoryType.HEAP ? "heap" : "non-heap")
                    .append("): used=").append(pool.getUsage().getUsed())
                    .append(" committed=").append(pool.getUsage().getCommitted())
                    .append(" max=").append(pool.getUsage().getMax())
                    .append(" peak=").append(pool.getPeakUsage().getUsed()).append('\n');
        }
        return text.append("--- End JVM memory pool statistics ---\n").toString();
    }

    private static long heapPeak() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
