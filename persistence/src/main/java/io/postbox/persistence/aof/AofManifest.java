package io.postbox.persistence.aof;

import java.util.ArrayList;
import java.util.List;

/**
 * The manifest of Redis 7's multi-part append-only file: which files, in which order, make up the
 * dataset. It lives in {@code <appenddirname>/<appendfilename>.manifest}, one line per file:
 * <pre>
 *   file appendonly.aof.3.base.rdb seq 3 type b
 *   file appendonly.aof.5.incr.aof seq 5 type i
 *   file appendonly.aof.6.incr.aof seq 6 type i
 * </pre>
 * {@code b} is the base (an RDB file, {@code .base.rdb}, with aof-use-rdb-preamble; else commands,
 * {@code .base.aof}), {@code i} the incremental files of commands written since, in order; {@code h}
 * marks history files that a finished rewrite made obsolete and that are deleted next. Loading reads
 * the base, then every incremental file.
 *
 * <p>Not thread-safe; the executor owns the live manifest and hands its {@link #format() text} over.
 */
public final class AofManifest {

    /** One file of the manifest. */
    public record Entry(String file, long seq, char type) {

        /** Whether this is an RDB file (a base written with aof-use-rdb-preamble), not commands. */
        public boolean rdb() {
            return file.endsWith(".rdb");
        }
    }

    private final String prefix;
    private Entry base;
    private final List<Entry> incrs = new ArrayList<>();
    private final List<Entry> history = new ArrayList<>();

    /** An empty manifest for files named after {@code appendfilename}. */
    public AofManifest(String appendFilename) {
        this.prefix = appendFilename;
    }

    /**
     * Reads a manifest's text.
     *
     * @throws IllegalArgumentException with the reason, if a line is not a valid manifest line
     */
    public static AofManifest parse(String appendFilename, String text) {
        AofManifest manifest = new AofManifest(appendFilename);
        int lineNumber = 0;
        for (String line : text.split("\n")) {
            lineNumber++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] words = trimmed.split(" ");
            String file = null;
            long seq = -1;
            char type = 0;
            for (int i = 0; i + 1 < words.length; i += 2) {
                switch (words[i]) {
                    case "file" -> file = words[i + 1];
                    case "seq" -> seq = parseSeq(words[i + 1], lineNumber);
                    case "type" -> type = words[i + 1].length() == 1 ? words[i + 1].charAt(0) : 0;
                    default -> {
                        // Unknown keys are skipped, as Redis does, for forward compatibility.
                    }
                }
            }
            if (words.length % 2 != 0 || file == null || seq < 0 || (type != 'b' && type != 'i' && type != 'h')) {
                throw new IllegalArgumentException("Invalid AOF manifest file format at line " + lineNumber);
            }
            Entry entry = new Entry(file, seq, type);
            if (type == 'b') {
                if (manifest.base != null) {
                    throw new IllegalArgumentException("Found duplicate base file information at line " + lineNumber);
                }
                manifest.base = entry;
            } else if (type == 'i') {
                if (!manifest.incrs.isEmpty() && manifest.incrs.get(manifest.incrs.size() - 1).seq() >= seq) {
                    throw new IllegalArgumentException("Found a non-monotonic sequence number at line " + lineNumber);
                }
                manifest.incrs.add(entry);
            } else {
                manifest.history.add(entry);
            }
        }
        return manifest;
    }

    private static long parseSeq(String text, int line) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid AOF manifest file format at line " + line);
        }
    }

    public String format() {
        StringBuilder text = new StringBuilder();
        List<Entry> all = new ArrayList<>();
        if (base != null) {
            all.add(base);
        }
        all.addAll(history);
        all.addAll(incrs);
        for (Entry e : all) {
            text.append("file ").append(e.file()).append(" seq ").append(e.seq()).append(" type ").append(e.type())
                    .append('\n');
        }
        return text.toString();
    }

    public Entry base() {
        return base;
    }

    public List<Entry> incrs() {
        return List.copyOf(incrs);
    }

    public List<Entry> history() {
        return List.copyOf(history);
    }

    /** Adds a new incremental file after the last one and returns it. */
    public Entry addIncr() {
        Entry entry = nextIncr();
        incrs.add(entry);
        return entry;
    }

    /** The incremental file {@link #addIncr()} would add. */
    public Entry nextIncr() {
        long seq = incrs.isEmpty() ? 1 : incrs.get(incrs.size() - 1).seq() + 1;
        return new Entry(prefix + "." + seq + ".incr.aof", seq, 'i');
    }

    /**
     * A rewrite finished: {@code newBase} (from {@link #nextBase}) replaces the base, and the
     * incremental files before {@code firstKept} become history.
     */
    public void installBase(Entry newBase, Entry firstKept) {
        if (base != null) {
            history.add(new Entry(base.file(), base.seq(), 'h'));
        }
        base = newBase;
        while (!incrs.isEmpty() && (firstKept == null || incrs.get(0).seq() < firstKept.seq())) {
            Entry old = incrs.remove(0);
            history.add(new Entry(old.file(), old.seq(), 'h'));
        }
    }

    /** The base file a rewrite would write next. */
    public Entry nextBase(boolean rdbPreamble) {
        long seq = base == null ? 1 : base.seq() + 1;
        return new Entry(prefix + "." + seq + ".base." + (rdbPreamble ? "rdb" : "aof"), seq, 'b');
    }

    /** Forgets the history files, once they are deleted. */
    public void clearHistory() {
        history.clear();
    }
}
