package io.postbox.commands.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code dir}: the working directory, where snapshots, the append-only file and relative paths in the
 * configuration live. Redis changes its process directory; a JVM cannot, so the value is the absolute
 * path everything else resolves against. A relative value is taken relative to the current one, as
 * chdir would, and the directory must exist and be enterable.
 */
final class DirType implements OptionType<String> {

    static final DirType INSTANCE = new DirType();

    @Override
    public String parse(List<String> args, String current) {
        if (args.size() != 1) {
            throw new InvalidConfigValue("wrong number of arguments");
        }
        if (args.get(0).isEmpty()) {
            throw new InvalidConfigValue("No such file or directory");
        }
        Path dir = Path.of(current).resolve(args.get(0));
        if (!Files.exists(dir)) {
            throw new InvalidConfigValue("No such file or directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new InvalidConfigValue("Not a directory");
        }
        if (!Files.isExecutable(dir)) {
            throw new InvalidConfigValue("Permission denied");
        }
        try {
            return dir.toRealPath().toString();
        } catch (IOException e) {
            throw new InvalidConfigValue("No such file or directory");
        }
    }

    @Override
    public String format(String value) {
        return value;
    }

    @Override
    public List<RewriteLine> rewrite(String name, String value, String defaultValue) {
        return List.of(new RewriteLine(name + " " + ConfigSyntax.quote(value), true));
    }
}
