package io.postbox.commands.config;

import java.util.List;

/**
 * {@code replicaof <host> <port>}, kept as "host port", or {@code replicaof no one}, kept as "": the master
 * the server follows, from its start and as REPLICAOF changes it. CONFIG REWRITE writes the master
 * followed, or no line for none, as Redis does, so a replica that restarts follows its master again.
 */
final class ReplicaOfType implements OptionType<String> {

    static final ReplicaOfType INSTANCE = new ReplicaOfType();

    @Override
    public String parse(List<String> args, String current) {
        if (args.size() != 2) {
            throw new InvalidConfigValue("wrong number of arguments");
        }
        if (args.get(0).equalsIgnoreCase("no") && args.get(1).equalsIgnoreCase("one")) {
            return "";
        }
        Long port = CNumbers.strtoll(args.get(1), 10, true);
        if (port == null || port < 0 || port > 65535) {
            throw new InvalidConfigValue("Invalid master port");
        }
        return args.get(0) + " " + port;
    }

    @Override
    public String format(String value) {
        return value;
    }

    @Override
    public List<RewriteLine> rewrite(String name, String value, String defaultValue) {
        return value.isEmpty() ? List.of() : List.of(new RewriteLine(name + " " + value, true));
    }
}
