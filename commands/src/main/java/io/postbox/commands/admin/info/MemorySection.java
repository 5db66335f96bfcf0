package io.postbox.commands.admin.info;

import io.postbox.commands.ClientMemory;
import io.postbox.commands.Engine;
import io.postbox.commands.ScriptingFigures;

/**
 * INFO memory, from the JVM (see {@link JvmMemory}) and the clients: used memory is the heap in use plus
 * what clients hold in the sockets' direct buffers, as Redis counts its clients' buffers with its data
 * ({@link ClientMemory#offHeapOfNormalClients}). Overhead is the heap in use when the engine started
 * plus what clients take ({@link ClientMemory}); the dataset is the rest. Scripting figures come from
 * the scripting commands ({@link ScriptingFigures}), 0 until they first run.
 */
final class MemorySection implements InfoSection {

    private final long startup = JvmMemory.heapUsed();

    @Override
    public String title() {
        return "Memory";
    }

    @Override
    public void write(InfoLines out, Engine engine) {
        long used = JvmMemory.heapUsed() + ClientMemory.offHeapOfNormalClients(engine.clients());
        long active = JvmMemory.heapCommitted();
        long rss = JvmMemory.residentSetSize();
        engine.stats().noteMemoryUsed(used);
        long peak = engine.stats().memoryPeak;
        long clientMemory = ClientMemory.ofNormalClients(engine.clients());
        long backlog = engine.replicationFeed().backlogMemory();
        long overhead = Math.min(used, startup + clientMemory);
        long dataset = used - overhead;
        long netUsed = used > startup ? used - startup : 0;
        long maxmemory = engine.config().getLong("maxmemory");
        long system = JvmMemory.totalSystemMemory();
        ScriptingFigures scripting = engine.scriptingFigures();
        long vmTotal = scripting.evalVmBytes() + scripting.functionsVmBytes();
        long scriptBytes = scripting.evalScriptBytes() + scripting.functionBytes();
        out.field("used_memory", used)
                .field("used_memory_human", InfoLines.human(used))
                .field("used_memory_rss", rss)
                .field("used_memory_rss_human", InfoLines.human(rss))
                .field("used_memory_peak", peak)
                .field("used_memory_peak_human", InfoLines.human(peak))
                .field("used_memory_peak_perc", percent(used, peak))
                .field("used_memory_overhead", overhead)
                .field("used_memory_startup", startup)
                .field("used_memory_dataset", dataset)
                .field("used_memory_dataset_perc", percent(dataset, netUsed))
                .field("allocator_allocated", used)
                .field("allocator_active", active)
                .field("allocator_resident", rss)
                .field("total_system_memory", system)
                .field("total_system_memory_human", InfoLines.human(system))
                .field("used_memory_lua", scripting.evalVmBytes())
                .field("used_memory_vm_eval", scripting.evalVmBytes())
                .field("used_memory_lua_human", InfoLines.human(scripting.evalVmBytes()))
                .field("used_memory_scripts_eval", scripting.evalScriptBytes())
                .field("number_of_cached_scripts", scripting.cachedScripts())
                .field("number_of_functions", scripting.functions())
                .field("number_of_libraries", scripting.libraries())
                .field("used_memory_vm_functions", scripting.functionsVmBytes())
                .field("used_memory_vm_total", vmTotal)
                .field("used_memory_vm_total_human", InfoLines.human(vmTotal))
                .field("used_memory_functions", scripting.functionBytes())
                .field("used_memory_scripts", scriptBytes)
                .field("used_memory_scripts_human", InfoLines.human(scriptBytes))
                .field("maxmemory", Long.toUnsignedString(maxmemory))
                .field("maxmemory_human", InfoLines.human(maxmemory))
                .field("maxmemory_policy", engine.config().getString("maxmemory-policy"))
                .twoDecimals("allocator_frag_ratio", ratio(active, used))
                .field("allocator_frag_bytes", active - used)
                .twoDecimals("allocator_rss_ratio", ratio(rss, active))
                .field("allocator_rss_bytes", rss - active)
                .twoDecimals("rss_overhead_ratio", 1.0)
                .field("rss_overhead_bytes", 0)
                .twoDecimals("mem_fragmentation_ratio", ratio(rss, used))
                .field("mem_fragmentation_bytes", rss - used)
                .field("mem_not_counted_for_evict", 0)
                .field("mem_replication_backlog", backlog)
                .field("mem_total_replication_buffers", backlog + ClientMemory.outputOfReplicas(engine.clients()))
                .field("mem_clients_slaves", ClientMemory.ofReplicas(engine.clients()))
                .field("mem_clients_normal", clientMemory)
                .field("mem_cluster_links", 0)
                .field("mem_aof_buffer", 0)
                .field("mem_allocator", "jvm-" + Runtime.version())
                .field("active_defrag_running", 0)
                .field("lazyfree_pending_objects", 0)
                .field("lazyfreed_objects", 0);
    }

    private static String percent(long part, long whole) {
        return String.format(java.util.Locale.ROOT, "%.2f%%", whole == 0 ? 0.0 : (double) part / whole * 100);
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0.0 : (double) a / b;
    }
}
