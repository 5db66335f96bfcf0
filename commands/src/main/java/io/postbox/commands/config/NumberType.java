package io.postbox.commands.config;

import io.postbox.commands.Numbers;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A numeric option with inclusive bounds, as Redis's numeric configs: a plain integer, a memory size
 * ({@link MemoryUnits}), a memory size or a percentage (stored negated), or an octal number.
 *
 * <p>{@code unsigned} marks Redis's unsigned C types (unsigned int, size_t, unsigned long long): their
 * bounds are compared as unsigned 64-bit numbers, so a value above {@code Long.MAX_VALUE} fits
 * {@code maxmemory}.
 */
final class NumberType implements OptionType<Long> {

    enum Notation { INTEGER, MEMORY, MEMORY_OR_PERCENT, OCTAL }

    private final long lower;
    private final long upper;
    private final boolean unsigned;
    private final Notation notation;
    private final long clampLow;
    private final long clampHigh;

    NumberType(long lower, long upper, boolean unsigned, Notation notation) {
        this(lower, upper, unsigned, notation, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    private NumberType(long lower, long upper, boolean unsigned, Notation notation, long clampLow, long clampHigh) {
        this.lower = lower;
        this.upper = upper;
        this.unsigned = unsigned;
        this.notation = notation;
        this.clampLow = clampLow;
        this.clampHigh = clampHigh;
    }

    static NumberType integer(long lower, long upper) {
        return new NumberType(lower, upper, false, Notation.INTEGER);
    }

    static NumberType unsignedInteger(long lower, long upper) {
        return new NumberType(lower, upper, true, Notation.INTEGER);
    }

    static NumberType memory(long lower, long upper) {
        return new NumberType(lower, upper, false, Notation.MEMORY);
    }

    static NumberType unsignedMemory(long lower, long upper) {
        return new NumberType(lower, upper, true, Notation.MEMORY);
    }

    /**
     * The same type, but a value accepted by the bounds is then brought into {@code [low, high]}, as
     * Redis treats {@code hz}: a hint it accepts and caps rather than refuses.
     */
    NumberType clampedTo(long low, long high) {
        return new NumberType(lower, upper, unsigned, notation, low, high);
    }

    @Override
    public Long parse(List<String> args, Long current) {
        long value = read(args.get(0));
        checkBounds(value);
        return Math.max(clampLow, Math.min(clampHigh, value));
    }

    private long read(String text) {
        if (notation == Notation.MEMORY || notation == Notation.MEMORY_OR_PERCENT) {
            Long bytes = MemoryUnits.parse(text);
            if (bytes != null) {
                return bytes;
            }
        }
        if (notation == Notation.MEMORY_OR_PERCENT && text.length() > 1 && text.endsWith("%")) {
            byte[] digits = text.substring(0, text.length() - 1).getBytes(StandardCharsets.ISO_8859_1);
            if (Numbers.isLong(digits) && Numbers.parseLong(digits) >= 0) {
                return -Numbers.parseLong(digits);
            }
        }
        if (notation == Notation.OCTAL) {
            Long octal = CNumbers.strtoll(text, 8, true);
            if (octal != null) {
                return octal;
            }
        }
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        if (notation == Notation.INTEGER && Numbers.isLong(bytes)) {
            return Numbers.parseLong(bytes);
        }
        throw new InvalidConfigValue(switch (notation) {
            case MEMORY_OR_PERCENT -> "argument must be a memory or percent value";
            case MEMORY -> "argument must be a memory value";
            case OCTAL -> "argument couldn't be parsed as an octal number";
            case INTEGER -> "argument couldn't be parsed into an integer";
        });
    }

    private void checkBounds(long value) {
        if (unsigned) {
            if (Long.compareUnsigned(value, upper) > 0 || Long.compareUnsigned(value, lower) < 0) {
                throw new InvalidConfigValue(notation == Notation.OCTAL
                        ? "argument must be between " + Long.toOctalString(lower) + " and "
                                + Long.toOctalString(upper) + " inclusive"
                        : "argument must be between " + Long.toUnsignedString(lower) + " and "
                                + Long.toUnsignedString(upper) + " inclusive");
            }
        } else if (notation == Notation.MEMORY_OR_PERCENT && value < 0) {
            if (value < lower) {
                throw new InvalidConfigValue("percentage argument must be less or equal to " + -lower);
            }
        } else if (value > upper || value < lower) {
            throw new InvalidConfigValue("argument must be between " + lower + " and " + upper + " inclusive");
        }
    }

    @Override
    public String format(Long value) {
        if (notation == Notation.MEMORY_OR_PERCENT && value < 0) {
            return -value + "%";
        }
        return switch (notation) {
            case MEMORY, MEMORY_OR_PERCENT -> Long.toUnsignedString(value);
            case OCTAL -> Long.toOctalString(value);
            case INTEGER -> Long.toString(value);
        };
    }

    @Override
    public List<RewriteLine> rewrite(String name, Long value, Long defaultValue) {
        String text;
        if (notation == Notation.MEMORY_OR_PERCENT && value < 0) {
            text = -value + "%";
        } else if (notation == Notation.MEMORY || notation == Notation.MEMORY_OR_PERCENT) {
            text = MemoryUnits.forFile(value);
        } else {
            text = format(value);
        }
        return List.of(new RewriteLine(name + " " + text, !value.equals(defaultValue)));
    }
}
