package io.postbox.persistence;

import java.util.ArrayList;
import java.util.List;

/** A {@link Log} for tests: keeps every line, in order, and the warnings apart. */
public final class RecordingLog implements Log {

    private final List<String> lines = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    @Override
    public void notice(String message) {
        lines.add(message);
    }

    @Override
    public void warning(String message) {
        lines.add(message);
        warnings.add(message);
    }

    /** Every line logged, notices and warnings, in order. */
    public List<String> lines() {
        return lines;
    }

    public List<String> warnings() {
        return warnings;
    }
}
