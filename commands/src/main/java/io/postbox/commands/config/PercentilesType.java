package io.postbox.commands.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code latency-tracking-info-percentiles 50 99 99.9}: the percentiles INFO latencystats reports, each
 * in [0, 100]; a lone empty argument means none. Numbers are read as C's strtod reads them.
 */
public final class PercentilesType implements OptionType<List<Double>> {

    static final PercentilesType INSTANCE = new PercentilesType();

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern HEX = Pattern.compile("[+-]?0[xX]([0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)([pP][+-]?\\d+)?");

    @Override
    public List<Double> parse(List<String> args, List<Double> current) {
        if (args.size() == 1 && args.get(0).isEmpty()) {
            return List.of();
        }
        List<Double> percentiles = new ArrayList<>();
        for (String arg : args) {
            Double value = strtod(arg);
            if (value == null) {
                throw new InvalidConfigValue("Invalid latency-tracking-info-percentiles parameters");
            }
            if (value > 100.0 || value < 0.0) {
                throw new InvalidConfigValue("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
            }
            percentiles.add(value);
        }
        return List.copyOf(percentiles);
    }

    private static Double strtod(String text) {
        if (DECIMAL.matcher(text).matches()) {
            return Double.parseDouble(text);
        }
        if (HEX.matcher(text).matches()) {
            return Double.parseDouble(text.matches(".*[pP].*") ? text : text + "p0");
        }
        String word = text.toLowerCase(Locale.ROOT).replaceFirst("^[+-]", "");
        if (word.equals("inf") || word.equals("infinity")) {
            return text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return null;
    }

    /** A percentile as Redis prints it: {@code %f} without trailing zeros ({@code 99.9}, {@code 50}). */
    public static String trimmed(double value) {
        String text = String.format(Locale.ROOT, "%f", value);
        if (text.indexOf('.') >= 0) {
            text = text.replaceAll("0+$", "");
            if (text.endsWith(".")) {
                text = text.substring(0, text.length() - 1);
            }
        }
        return text;
    }

    @Override
    public String format(List<Double> value) {
        StringBuilder text = new StringBuilder();
        for (double percentile : value) {
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(trimmed(percentile));
        }
        return text.toString();
    }

    @Override
    public List<RewriteLine> rewrite(String name, List<Double> value, List<Double> defaultValue) {
        return List.of(new RewriteLine(name + " " + (value.isEmpty() ? "\"\"" : format(value)), true));
    }
}
