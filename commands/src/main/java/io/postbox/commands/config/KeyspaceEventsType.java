package io.postbox.commands.config;

import java.util.List;

/**
 * {@code notify-keyspace-events}: which keyspace notifications are published, as a set of class
 * characters. The value is a bit set with Redis's bit values; CONFIG GET shows it in Redis's canonical
 * order, with {@code A} standing for all the type classes.
 */
public final class KeyspaceEventsType implements OptionType<Integer> {

    public static final int KEYSPACE = 1;
    public static final int KEYEVENT = 1 << 1;
    public static final int GENERIC = 1 << 2;
    public static final int STRING = 1 << 3;
    public static final int LIST = 1 << 4;
    public static final int SET = 1 << 5;
    public static final int HASH = 1 << 6;
    public static final int ZSET = 1 << 7;
    public static final int EXPIRED = 1 << 8;
    public static final int EVICTED = 1 << 9;
    public static final int STREAM = 1 << 10;
    public static final int KEY_MISS = 1 << 11;
    public static final int MODULE = 1 << 12;
    public static final int NEW = 1 << 13;
    /** What {@code A} stands for: every class of event except key misses and new keys. */
    public static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    static final KeyspaceEventsType INSTANCE = new KeyspaceEventsType();

    /** The class characters in output order, each with its bit; {@code n} prints with the type classes. */
    private static final String CLASS_CHARS = "g$lshzxetdn";
    private static final int[] CLASS_BITS = {GENERIC, STRING, LIST, SET, HASH, ZSET, EXPIRED, EVICTED, STREAM,
        MODULE, NEW};

    private KeyspaceEventsType() {
    }

    @Override
    public Integer parse(List<String> args, Integer current) {
        int flags = 0;
        for (char c : args.get(0).toCharArray()) {
            flags |= switch (c) {
                case 'A' -> ALL;
                case 'K' -> KEYSPACE;
                case 'E' -> KEYEVENT;
                case 'm' -> KEY_MISS;
                default -> {
                    int at = CLASS_CHARS.indexOf(c);
                    if (at < 0) {
                        throw new InvalidConfigValue("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
                    }
                    yield CLASS_BITS[at];
                }
            };
        }
        return flags;
    }

    @Override
    public String format(Integer flags) {
        StringBuilder text = new StringBuilder();
        if ((flags & ALL) == ALL) {
            text.append('A');
        } else {
            for (int i = 0; i < CLASS_BITS.length; i++) {
                if ((flags & CLASS_BITS[i]) != 0) {
                    text.append(CLASS_CHARS.charAt(i));
                }
            }
        }
        if ((flags & KEYSPACE) != 0) {
            text.append('K');
        }
        if ((flags & KEYEVENT) != 0) {
            text.append('E');
        }
        if ((flags & KEY_MISS) != 0) {
            text.append('m');
        }
        return text.toString();
    }

    @Override
    public List<RewriteLine> rewrite(String name, Integer value, Integer defaultValue) {
        return List.of(new RewriteLine(name + " " + ConfigSyntax.quote(format(value)), value != 0));
    }
}
