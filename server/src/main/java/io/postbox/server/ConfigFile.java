package io.postbox.server;

import io.postbox.commands.config.Config;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.InlineSplitter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads configuration as redis-server does: an optional file in redis.conf syntax (one directive per
 * line, {@code #} comments, arguments split and quoted like inline commands), then command-line
 * {@code --name value...} options, which are applied as if appended to the file.
 */
public final class ConfigFile {

    private ConfigFile() {
    }

    /** Applies {@code redis-server}-style arguments to {@code config}; returns the config file used, or null. */
    public static Path apply(Config config, String[] args) throws IOException {
        Path file = null;
        int i = 0;
        if (args.length > 0 && !args[0].startsWith("--")) {
            file = Path.of(args[0]);
            i = 1;
        }
        StringBuilder text = new StringBuilder();
        if (file != null) {
            text.append(Files.readString(file, StandardCharsets.ISO_8859_1)).append('\n');
        }
        // "--port 7000 --save 900 1" becomes the lines "port 7000" and "save 900 1".
        for (; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                text.append('\n').append(args[i].substring(2));
            } else {
                text.append(' ').append(quote(args[i]));
            }
        }
        applyText(config, text.toString(), file == null ? "(command line)" : file.toString());
        return file;
    }

    static void applyText(Config config, String text, String source) {
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            byte[] bytes = line.getBytes(StandardCharsets.ISO_8859_1);
            List<byte[]> words = InlineSplitter.split(bytes, 0, bytes.length);
            if (words == null) {
                throw new ConfigException(source, n + 1, line, "Unbalanced quotes in configuration line");
            }
            String name = new String(words.get(0), StandardCharsets.ISO_8859_1);
            List<String> values = new ArrayList<>();
            for (int w = 1; w < words.size(); w++) {
                values.add(new String(words.get(w), StandardCharsets.ISO_8859_1));
            }
            try {
                config.set(name, String.join(" ", values));
            } catch (ErrorReply e) {
                throw new ConfigException(source, n + 1, line, e.text());
            }
        }
    }

    private static String quote(String arg) {
        if (!arg.isEmpty() && arg.chars().noneMatch(c -> c == ' ' || c == '"' || c == '\'' || c == '\\')) {
            return arg;
        }
        return '"' + arg.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** A bad configuration line: redis-server prints it and exits. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String source, int lineNumber, String line, String reason) {
            super("\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line "
                    + lineNumber + " of " + source + "\n>>> '" + line + "'\n" + reason);
        }
    }
}
