package io.postbox.commands.config;

import java.util.List;

/** A yes/no option, in any case. */
final class BoolType implements OptionType<Boolean> {

    static final BoolType INSTANCE = new BoolType();

    @Override
    public Boolean parse(List<String> args, Boolean current) {
        String word = args.get(0);
        if (word.equalsIgnoreCase("yes")) {
            return true;
        }
        if (word.equalsIgnoreCase("no")) {
            return false;
        }
        throw new InvalidConfigValue("argument must be 'yes' or 'no'");
    }

    @Override
    public String format(Boolean value) {
        return value ? "yes" : "no";
    }
}
