package io.postbox.commands.config;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code save 3600 1 300 100}: pairs of seconds and changes. A lone empty argument means no snapshots.
 * In a config file the first {@code save} line replaces the defaults and later ones add to it, so one
 * rule per line works; {@code save ""} always clears.
 */
final class SavePointsType implements OptionType<List<SavePoint>> {

    static final SavePointsType INSTANCE = new SavePointsType();

    @Override
    public List<SavePoint> parse(List<String> args, List<SavePoint> current) {
        if (args.size() == 1 && args.get(0).isEmpty()) {
            return List.of();
        }
        if (args.size() % 2 != 0) {
            throw invalid();
        }
        List<SavePoint> points = new ArrayList<>();
        for (int i = 0; i < args.size(); i += 2) {
            Long seconds = CNumbers.strtoll(args.get(i), 10, false);
            Long changes = CNumbers.strtoll(args.get(i + 1), 10, false);
            if (seconds == null || changes == null || seconds < 1 || changes < 0) {
                throw invalid();
            }
            // Redis keeps the change count in a C int.
            points.add(new SavePoint(seconds, (int) (long) changes));
        }
        return List.copyOf(points);
    }

    /** A later {@code save} line of the same config file adds its rules, or clears them for {@code ""}. */
    @Override
    public List<SavePoint> amend(List<SavePoint> earlier, List<SavePoint> parsed, List<String> args) {
        if (args.size() == 1 && args.get(0).isEmpty()) {
            return List.of();
        }
        List<SavePoint> all = new ArrayList<>(earlier);
        all.addAll(parsed);
        return List.copyOf(all);
    }

    @Override
    public String format(List<SavePoint> value) {
        StringBuilder text = new StringBuilder();
        for (SavePoint point : value) {
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(point.seconds()).append(' ').append(point.changes());
        }
        return text.toString();
    }

    @Override
    public List<RewriteLine> rewrite(String name, List<SavePoint> value, List<SavePoint> defaultValue) {
        if (value.isEmpty()) {
            return List.of(new RewriteLine(name + " \"\"", true));
        }
        List<RewriteLine> lines = new ArrayList<>();
        for (SavePoint point : value) {
            lines.add(new RewriteLine(name + " " + point.seconds() + " " + point.changes(), true));
        }
        return lines;
    }

    private static InvalidConfigValue invalid() {
        return new InvalidConfigValue("Invalid save parameters");
    }
}
