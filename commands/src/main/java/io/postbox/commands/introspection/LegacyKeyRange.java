package io.postbox.commands.introspection;

import io.postbox.commands.Command;
import io.postbox.commands.KeySpec;
import java.util.List;

/**
 * The first key, last key and step that COMMAND INFO still reports next to the key specs, and whether
 * a client needs COMMAND GETKEYS to find the keys ({@code movablekeys}). Derived from the key specs
 * as Redis 7.0 derives them: one plain range spec is reported as it is; otherwise the consecutive
 * step-1 range specs are merged, and any spec that does not fit makes the keys movable.
 * {@code last} is absolute when non-negative, counted from the end when negative.
 */
public record LegacyKeyRange(int first, int last, int step, boolean movable) {

    private static final LegacyKeyRange NONE = new LegacyKeyRange(0, 0, 0, false);

    public static LegacyKeyRange of(Command command) {
        List<KeySpec> specs = command.keySpecs();
        if (specs.isEmpty()) {
            return NONE;
        }
        if (specs.size() == 1 && specs.get(0).isPlainRange()) {
            KeySpec spec = specs.get(0);
            return new LegacyKeyRange(spec.index(), absoluteLast(spec), spec.step(), spec.has("incomplete"));
        }
        int first = Integer.MAX_VALUE;
        int last = 0;
        boolean movable = false;
        for (KeySpec spec : specs) {
            // Only a step-1 range starting right after the previous one extends the merged range.
            if (!spec.isPlainRange() || spec.step() != 1 || (last != 0 && last != spec.index() - 1)) {
                movable = true;
                continue;
            }
            movable |= spec.has("incomplete");
            first = Math.min(first, spec.index());
            // Unsigned, so a range to the end (negative) outranks any absolute position.
            if (Integer.compareUnsigned(absoluteLast(spec), last) > 0) {
                last = absoluteLast(spec);
            }
        }
        if (first == Integer.MAX_VALUE) {
            return new LegacyKeyRange(0, 0, 0, true);
        }
        return new LegacyKeyRange(first, last, 1, movable);
    }

    private static int absoluteLast(KeySpec spec) {
        return spec.lastKey() >= 0 ? spec.index() + spec.lastKey() : spec.lastKey();
    }
}
