package io.postbox.server;

import io.postbox.commands.Strerror;
import io.postbox.commands.config.Config;
import io.postbox.commands.config.ConfigOption;
import io.postbox.commands.config.InvalidConfigValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code oom-score-adj}: how readily the kernel's OOM killer picks this process, written to
 * /proc/self/oom_score_adj as Redis writes it. {@code yes} (or {@code relative}) adds a value of
 * {@code oom-score-adj-values} to the score the process had before Postbox first changed it,
 * {@code absolute} writes that value as it is, and {@code no} puts the earlier score back. The value
 * is the first for a master, the second for a replica (a {@code replicaof} master set, which REPLICAOF
 * changes); the third is for a forked child, which Postbox never has.
 */
final class OomScoreAdjustment {

    static final Path PROC_FILE = Path.of("/proc/self/oom_score_adj");

    private static final String VALUES = "oom-score-adj-values";
    private static final int MIN_SCORE = -1000;
    private static final int MAX_SCORE = 1000;

    private final Path file;
    private final ServerLog log;
    /** The score before Postbox changed it; null while Postbox has not. */
    private Integer base;

    OomScoreAdjustment(Path file, ServerLog log) {
        this.file = file;
        this.log = log;
    }

    /** Acts on the options' values from now on: once at startup, and after CONFIG SET changes either. */
    void install(Config config) {
        ConfigOption.ApplyHook adjust = this::apply;  // one hook, so a change of both options runs it once
        config.onApply("oom-score-adj", adjust);
        config.onApply(VALUES, adjust);
        config.onApply(VALUES, this::warnIfNotAscending);
        // Becoming a replica, or a master again, does not fail for a score that cannot be set: as Redis,
        // the log says why and the score stays.
        config.onApply("replicaof", c -> {
            try {
                apply(c);
            } catch (InvalidConfigValue logged) {
                // Logged by refused().
            }
        });
        warnIfNotAscending(config);
        try {
            apply(config);
        } catch (InvalidConfigValue logged) {
            // As Redis starts: the reason is in the log, and the server runs with the score it has.
        }
    }

    /** @throws InvalidConfigValue if the file cannot be read or written, after logging why */
    void apply(Config config) {
        String mode = config.getString("oom-score-adj");
        int score;
        if (!mode.equals("no")) {
            if (base == null) {
                base = read();
            }
            List<Integer> values = config.<List<Integer>>option(VALUES).value();
            int role = config.getString("replicaof").isEmpty() ? 0 : 1;
            int value = mode.equals("absolute") ? values.get(role) : values.get(role) + base;
            score = Math.max(MIN_SCORE, Math.min(MAX_SCORE, value));
        } else if (base != null) {
            score = base;
            base = null;
        } else {
            return;
        }
        write(score);
    }

    private int read() {
        try {
            return Integer.parseInt(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            throw refused("Unable to read oom_score_adj: " + Strerror.describe(e));
        }
    }

    private void write(int score) {
        try {
            Files.writeString(file, score + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw refused("Unable to write oom_score_adj: " + Strerror.describe(e));
        }
    }

    private InvalidConfigValue refused(String why) {
        log.warning(why);
        return new InvalidConfigValue("Failed to set current oom_score_adj. Check server logs.");
    }

    /** A replica's or a child's value below the one before it cannot be set without privileges. */
    private void warnIfNotAscending(Config config) {
        List<Integer> values = config.<List<Integer>>option(VALUES).value();
        if (values.get(1) < values.get(0) || values.get(2) < values.get(1)) {
            log.warning("The oom-score-adj-values configuration may not work for non-privileged processes! "
                    + "Please consult the documentation.");
        }
    }
}
