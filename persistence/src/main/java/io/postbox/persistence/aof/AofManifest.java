package io.postbox.persistence.aof;

import io.postbox.commands.config.ConfigSyntax;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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

    /** A manifest for files named after {@code appendfilename} that lists {@code base} alone. */
    public static AofManifest withBase(String appendFilename, Entry base) {
        AofManifest manifest = new AofManifest(appendFilename);
        manifest.base = base;
        return manifest;
    }

    /** Redis's MANIFEST_MAX_LINE: a line that long and still without its newline is refused. */
    private static final int MAX_LINE = 1024;

    /**
     * Reads a manifest's text, as strictly as Redis reads it: every line ends with a newline, is at
     * most 1024 bytes, and is a comment ({@code #} first) or an even number of words, at least six,
     * naming the file (no path), a sequence number above 0 and a type; unknown keys are skipped, for
     * forward compatibility. An empty manifest is refused too.
     *
     * @throws IllegalArgumentException with Redis's reason and the line, if the text is not a manifest
     */
    public static AofManifest parse(String appendFilename, String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("Found an empty AOF manifest");
        }
        AofManifest manifest = new AofManifest(appendFilename);
        int lineNumber = 0;
        int from = 0;
        while (from < text.length()) {
            lineNumber++;
            int newline = text.indexOf('\n', from);
            int end = newline < 0 ? text.length() : newline;
            String raw = text.substring(from, end);
            from = end + 1;
            if (raw.startsWith("#")) {
                continue;
            }
            if (newline < 0 || raw.length() + 1 > MAX_LINE) {
                throw invalid("The AOF manifest file contains too long line", lineNumber, raw);
            }
            manifest.add(parseLine(raw, lineNumber), lineNumber, ConfigSyntax.trim(raw));
        }
        return manifest;
    }

    private static Entry parseLine(String raw, int lineNumber) {
        String line = ConfigSyntax.trim(raw);
        List<String> split = line.isEmpty() ? null : ConfigSyntax.words(line);
        if (split == null || split.size() < 6 || split.size() % 2 != 0) {
            throw invalid("Invalid AOF manifest file format", lineNumber, line);
        }
        String[] words = split.toArray(new String[0]);
        String file = null;
        long seq = 0;
        char type = 0;
        for (int i = 0; i < words.length; i += 2) {
            switch (words[i].toLowerCase(Locale.ROOT)) {
                case "file" -> {
                    file = words[i + 1];
                    if (file.contains("/") || file.contains("\\")) {
                        throw invalid("File can't be a path, just a filename", lineNumber, line);
                    }
                }
                case "seq" -> seq = leadingNumber(words[i + 1]);
                case "type" -> type = words[i + 1].charAt(0);
                default -> {
                    // Unknown keys are skipped, as Redis does, for forward compatibility.
                }
            }
        }
        if (file == null || seq == 0 || type == 0) {
            throw invalid("Invalid AOF manifest file format", lineNumber, line);
        }
        if (type != 'b' && type != 'i' && type != 'h') {
            throw invalid("Unknown AOF file type", lineNumber, line);
        }
        return new Entry(file, seq, type);
    }

    private void add(Entry entry, int lineNumber, String line) {
        if (entry.type() == 'b') {
            if (base != null) {
                throw invalid("Found duplicate base file information", lineNumber, line);
            }
            base = entry;
        } else if (entry.type() == 'i') {
            if (!incrs.isEmpty() && incrs.get(incrs.size() - 1).seq() >= entry.seq()) {
                throw invalid("Found a non-monotonic sequence number", lineNumber, line);
            }
            incrs.add(entry);
        } else {
            history.add(entry);
        }
    }

    private static IllegalArgumentException invalid(String reason, int lineNumber, String line) {
        return new IllegalArgumentException(reason + ", at line " + lineNumber + ": >>> '" + line + "'");
    }

    /** C's atoll: the leading decimal integer, 0 if there is none. */
    private static long leadingNumber(String text) {
        int end = text.startsWith("-") || text.startsWith("+") ? 1 : 0;
        while (end < text.length() && text.charAt(end) >= '0' && text.charAt(end) <= '9') {
            end++;
        }
        try {
            return Long.parseLong(text.substring(0, end));
        } catch (NumberFormatException e) {
            return 0;
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
            text.append("file ").append(needsQuotes(e.file()) ? ConfigSyntax.quote(e.file()) : e.file())
                    .append(" seq ").append(e.seq()).append(" type ").append(e.type()).append('\n');
        }
        return text.toString();
    }

    /** Redis's sdsneedsrepr: a name with white space, quotes, backslashes or unprintable bytes is quoted. */
    private static boolean needsQuotes(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\\' || c == '"' || c <= ' ' || c >= 0x7f) {
                return true;
            }
        }
        return false;
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
