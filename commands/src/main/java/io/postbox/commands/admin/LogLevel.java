package io.postbox.commands.admin;

import java.util.Locale;

/** Redis's log levels, least severe first, with the mark a log line shows for each. */
public enum LogLevel {
    DEBUG('.'), VERBOSE('-'), NOTICE('*'), WARNING('#');

    private final char mark;

    LogLevel(char mark) {
        this.mark = mark;
    }

    public char mark() {
        return mark;
    }

    /** The level the {@code loglevel} option names. */
    public static LogLevel named(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
