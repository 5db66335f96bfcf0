package io.postbox.commands.config;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** {@code oom-score-adj-values 0 200 800}: three OOM score adjustments, each in [-2000, 2000]. */
final class OomScoreAdjValuesType implements OptionType<List<Integer>> {

    static final OomScoreAdjValuesType INSTANCE = new OomScoreAdjValuesType();

    @Override
    public List<Integer> parse(List<String> args, List<Integer> current) {
        if (args.size() != 3) {
            throw new InvalidConfigValue("wrong number of arguments");
        }
        List<Integer> values = new ArrayList<>();
        for (String arg : args) {
            Long value = CNumbers.strtoll(arg, 10, false);
            if (value == null || value < -2000 || value > 2000) {
                throw new InvalidConfigValue("Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
            }
            values.add((int) (long) value);
        }
        return List.copyOf(values);
    }

    @Override
    public String format(List<Integer> value) {
        return value.stream().map(String::valueOf).collect(Collectors.joining(" "));
    }
}
