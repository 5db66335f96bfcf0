package io.postbox.commands.config;

import java.util.List;

/**
 * A free-text option. When {@code emptyIsUnset}, the empty string means "not set" (Redis stores NULL):
 * CONFIG GET still shows "", and CONFIG REWRITE leaves the option out of the file.
 */
final class StringType implements OptionType<String> {

    static final StringType ALLOW_EMPTY = new StringType(false);
    static final StringType EMPTY_IS_UNSET = new StringType(true);

    private final boolean emptyIsUnset;

    private StringType(boolean emptyIsUnset) {
        this.emptyIsUnset = emptyIsUnset;
    }

    @Override
    public String parse(List<String> args, String current) {
        String value = args.get(0);
        return emptyIsUnset && value.isEmpty() ? null : value;
    }

    @Override
    public String format(String value) {
        return value == null ? "" : value;
    }

    @Override
    public List<RewriteLine> rewrite(String name, String value, String defaultValue) {
        if (value == null) {
            return List.of();
        }
        boolean force = defaultValue == null || !defaultValue.equals(value);
        return List.of(new RewriteLine(name + " " + ConfigSyntax.quote(value), force));
    }
}
