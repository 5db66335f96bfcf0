package io.postbox.commands.introspection;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The type of a command argument in {@code COMMAND DOCS}, with the rule that gives an argument written
 * in a syntax line its type: a {@code name:type} hint wins; otherwise the name decides (below);
 * anything else is a string.
 */
public enum ArgumentType {
    KEY("key"),
    STRING("string"),
    INTEGER("integer"),
    DOUBLE("double"),
    PATTERN("pattern"),
    UNIX_TIME("unix-time"),
    PURE_TOKEN("pure-token"),
    ONEOF("oneof"),
    BLOCK("block");

    /**
     * Names that mean a key wherever they appear; names ending in "key", or "key" and a number
     * (newkey, destkey, key1), are keys too.
     */
    private static final Set<String> KEY_NAMES = Set.of("key", "source", "destination");

    /** Names whose type is the same in every command that uses them. */
    private static final Map<String, ArgumentType> BY_NAME = Map.ofEntries(
            Map.entry("count", INTEGER), Map.entry("numkeys", INTEGER), Map.entry("seconds", INTEGER),
            Map.entry("milliseconds", INTEGER), Map.entry("offset", INTEGER), Map.entry("start", INTEGER),
            Map.entry("stop", INTEGER), Map.entry("end", INTEGER), Map.entry("index", INTEGER),
            Map.entry("increment", INTEGER), Map.entry("decrement", INTEGER), Map.entry("rank", INTEGER),
            Map.entry("len", INTEGER),
            Map.entry("numreplicas", INTEGER), Map.entry("port", INTEGER), Map.entry("weight", INTEGER),
            Map.entry("score", DOUBLE), Map.entry("timeout", DOUBLE), Map.entry("longitude", DOUBLE),
            Map.entry("latitude", DOUBLE), Map.entry("radius", DOUBLE), Map.entry("width", DOUBLE),
            Map.entry("height", DOUBLE),
            Map.entry("pattern", PATTERN),
            Map.entry("unix-time-seconds", UNIX_TIME), Map.entry("unix-time-milliseconds", UNIX_TIME));

    private final String wireName;

    ArgumentType(String wireName) {
        this.wireName = wireName;
    }

    /** As COMMAND DOCS spells it: {@code pure-token}, {@code unix-time}, ... */
    public String wireName() {
        return wireName;
    }

    /** The type an argument called {@code name} has when its syntax gives no hint. */
    static ArgumentType forName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (KEY_NAMES.contains(lower) || lower.replaceFirst("[0-9]+$", "").endsWith("key")) {
            return KEY;
        }
        return BY_NAME.getOrDefault(lower, STRING);
    }

    /** The type a {@code name:type} hint names, or null if {@code hint} is no value type. */
    static ArgumentType forHint(String hint) {
        for (ArgumentType type : values()) {
            if (type.wireName.equals(hint) && type.takesValue()) {
                return type;
            }
        }
        return null;
    }

    /** True for the types of an argument that carries one value (not tokens or groups). */
    boolean takesValue() {
        return this != PURE_TOKEN && this != ONEOF && this != BLOCK;
    }
}
