package io.postbox.commands.admin.info;

import io.postbox.commands.Engine;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * INFO's text: the sections asked for, always in Redis's order, each under a "# Title" line and
 * separated by an empty line, every line ending in CRLF.
 *
 * <p>Arguments name sections in any case; {@code default} is every section but commandstats and
 * latencystats, {@code all} is every section, and {@code everything} adds the sections modules
 * contribute (Postbox has none). Unknown names are ignored, as Redis ignores them.
 *
 * <p>One per engine: some sections remember things (the replication id, memory at startup).
 */
public final class Info {

    private static final Set<String> NOT_DEFAULT = Set.of("commandstats", "latencystats");

    private final List<InfoSection> sections = List.of(
            new ServerSection(),
            new ClientsSection(),
            new MemorySection(),
            new PersistenceSection(),
            new StatsSection(),
            new ReplicationSection(),
            new CpuSection(),
            new ModulesSection(),
            new CommandStatsSection(),
            new ErrorStatsSection(),
            new LatencyStatsSection(),
            new ClusterSection(),
            new KeyspaceSection());

    /** The INFO text for these arguments (section names; none means {@code default}). */
    public String render(Engine engine, List<String> args) {
        Set<String> wanted = wanted(args);
        StringBuilder text = new StringBuilder();
        for (InfoSection section : sections) {
            if (!wanted.contains(name(section))) {
                continue;
            }
            if (text.length() > 0) {
                text.append("\r\n");
            }
            InfoLines lines = new InfoLines();
            section.write(lines, engine);
            text.append("# ").append(section.title()).append("\r\n").append(lines);
        }
        return text.toString();
    }

    private Set<String> wanted(List<String> args) {
        Set<String> wanted = new HashSet<>();
        if (args.isEmpty()) {
            addDefaults(wanted);
        }
        for (String arg : args) {
            switch (arg.toLowerCase(Locale.ROOT)) {
                case "default" -> addDefaults(wanted);
                case "all", "everything" -> sections.forEach(s -> wanted.add(name(s)));
                default -> wanted.add(arg.toLowerCase(Locale.ROOT));
            }
        }
        return wanted;
    }

    private void addDefaults(Set<String> wanted) {
        for (InfoSection section : sections) {
            if (!NOT_DEFAULT.contains(name(section))) {
                wanted.add(name(section));
            }
        }
    }

    private static String name(InfoSection section) {
        return section.title().toLowerCase(Locale.ROOT);
    }
}
