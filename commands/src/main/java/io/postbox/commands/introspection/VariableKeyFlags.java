package io.postbox.commands.introspection;

import io.postbox.commands.Ascii;
import java.util.List;

/**
 * The key flags of the commands whose key spec says {@code variable_flags}, for one call: Redis 7.0
 * works them out from the arguments (its setGetKeys and bitfieldGetKeys), where the spec gives only
 * the most a call may do.
 */
final class VariableKeyFlags {

    private static final List<String> READ = List.of("RO", "access");
    private static final List<String> READ_WRITE = List.of("RW", "access", "update");
    private static final List<String> OVERWRITE = List.of("OW", "update");

    private VariableKeyFlags() {
    }

    /** The flags of the key of {@code line}, a call of {@code command} whose spec has variable flags. */
    static List<String> of(String command, byte[][] line) {
        return switch (command) {
            case "set" -> set(line);
            case "bitfield" -> bitfield(line);
            default -> throw new IllegalArgumentException(command + " has no variable key flags");
        };
    }

    /** SET reads its key only with GET; otherwise it overwrites it. */
    private static List<String> set(byte[][] line) {
        for (int i = 3; i < line.length; i++) {
            if (Ascii.equalsIgnoreCase(line[i], "get")) {
                return READ_WRITE;
            }
        }
        return OVERWRITE;
    }

    /** BITFIELD only reads while its operations are GETs (and OVERFLOW); anything else may write. */
    private static List<String> bitfield(byte[][] line) {
        for (int i = 2; i < line.length; i++) {
            int left = line.length - i - 1;
            if (Ascii.equalsIgnoreCase(line[i], "get") && left >= 2) {
                i += 2;
            } else if (Ascii.equalsIgnoreCase(line[i], "overflow") && left >= 1) {
                i += 1;
            } else {
                // A write, or a syntax error: Redis assumes the worst.
                return READ_WRITE;
            }
        }
        return READ;
    }
}
