package io.postbox.commands.config;

import java.util.List;

/**
 * {@code bind 127.0.0.1 -::1}: the addresses to listen on; {@code *} is every IPv4 address, {@code ::*}
 * every IPv6 one, and a leading '-' makes an address optional. A lone empty argument binds nothing.
 */
final class BindType implements OptionType<List<String>> {

    static final BindType INSTANCE = new BindType();

    /** Redis's CONFIG_BINDADDR_MAX. */
    private static final int MAX_ADDRESSES = 16;

    @Override
    public List<String> parse(List<String> args, List<String> current) {
        if (args.size() > MAX_ADDRESSES) {
            throw new InvalidConfigValue("Too many bind addresses specified.");
        }
        if (args.size() == 1 && args.get(0).isEmpty()) {
            return List.of();
        }
        return List.copyOf(args);
    }

    @Override
    public String format(List<String> value) {
        return String.join(" ", value);
    }

    @Override
    public List<RewriteLine> rewrite(String name, List<String> value, List<String> defaultValue) {
        if (value.equals(defaultValue)) {
            return List.of();
        }
        return List.of(new RewriteLine(name + " " + (value.isEmpty() ? "\"\"" : format(value)), true));
    }
}
