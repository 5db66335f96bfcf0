package io.postbox.commands.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads {@code <class> <hard> <soft> <soft-seconds>} groups; classes not named keep their limits. The
 * whole value is checked before any class changes.
 */
final class OutputBufferLimitsType implements OptionType<OutputBufferLimits> {

    static final OutputBufferLimitsType INSTANCE = new OutputBufferLimitsType();

    private static final String[] CLASS_NAMES = {"normal", "slave", "pubsub"};

    @Override
    public OutputBufferLimits parse(List<String> args, OutputBufferLimits current) {
        if (args.size() % 4 != 0) {
            throw new InvalidConfigValue("Wrong number of arguments in buffer limit configuration.");
        }
        List<OutputBufferLimits.Limit> limits = new ArrayList<>(current.byClass());
        for (int i = 0; i < args.size(); i += 4) {
            int clientClass = classNamed(args.get(i));
            if (clientClass < 0) {
                throw new InvalidConfigValue("Invalid client class specified in buffer limit configuration.");
            }
            Long hard = MemoryUnits.parse(args.get(i + 1));
            Long soft = MemoryUnits.parse(args.get(i + 2));
            Long seconds = CNumbers.strtoll(args.get(i + 3), 10, false);
            // Redis keeps the seconds in a C int before checking the sign.
            if (hard == null || soft == null || seconds == null || (int) (long) seconds < 0) {
                throw new InvalidConfigValue("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
            }
            limits.set(clientClass, new OutputBufferLimits.Limit(hard, soft, (int) (long) seconds));
        }
        return new OutputBufferLimits(List.copyOf(limits));
    }

    private static int classNamed(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "normal" -> OutputBufferLimits.NORMAL;
            case "slave", "replica" -> OutputBufferLimits.REPLICA;
            case "pubsub" -> OutputBufferLimits.PUBSUB;
            default -> -1;
        };
    }

    @Override
    public String format(OutputBufferLimits value) {
        StringBuilder text = new StringBuilder();
        for (int c = 0; c < CLASS_NAMES.length; c++) {
            OutputBufferLimits.Limit limit = value.of(c);
            if (c > 0) {
                text.append(' ');
            }
            text.append(CLASS_NAMES[c]).append(' ').append(Long.toUnsignedString(limit.hardBytes())).append(' ')
                    .append(Long.toUnsignedString(limit.softBytes())).append(' ').append(limit.softSeconds());
        }
        return text.toString();
    }

    @Override
    public List<RewriteLine> rewrite(String name, OutputBufferLimits value, OutputBufferLimits defaultValue) {
        List<RewriteLine> lines = new ArrayList<>();
        for (int c = 0; c < CLASS_NAMES.length; c++) {
            OutputBufferLimits.Limit limit = value.of(c);
            String className = c == OutputBufferLimits.REPLICA ? "replica" : CLASS_NAMES[c];
            lines.add(new RewriteLine(name + " " + className + " " + MemoryUnits.forFile(limit.hardBytes()) + " "
                    + MemoryUnits.forFile(limit.softBytes()) + " " + limit.softSeconds(),
                    !limit.equals(defaultValue.of(c))));
        }
        return lines;
    }
}
